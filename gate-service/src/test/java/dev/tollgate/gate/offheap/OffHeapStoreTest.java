package dev.tollgate.gate.offheap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffHeapStoreTest {
  @TempDir
  Path tmp;

  @Test
  void aScanThatCannotReadToTheEndFailsRatherThanReturningAShortList() throws Exception {
    try (OffHeapStore store = OffHeapStore.open(tmp.resolve("store"))) {
      Random random = new Random(7);
      byte[] prefix = {'p'};
      // Incompressible values past two write buffers: the store writes table files.
      for (int i = 0; i < 12_000; i++) {
        byte[] value = new byte[1_024];
        random.nextBytes(value);
        byte[] key = OffHeapStore.key(prefix, ByteBuffer.allocate(4).putInt(i).array());
        store.write(b -> b.put(key, value));
      }
      for (int i = 0; i < 200 && store.diskBytes() <= 0; i++) {
        Thread.sleep(50);
      }
      assertTrue(store.diskBytes() > 0, "a table file was written");
      List<Path> tables;
      try (Stream<Path> files = Files.list(tmp.resolve("store"))) {
        tables = files.filter(p -> p.toString().endsWith(".sst")).toList();
      }
      for (Path t : tables) {
        corruptMiddle(t);
      }
      AtomicInteger seen = new AtomicInteger();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.scan(prefix, null, k -> seen.incrementAndGet() > 0));
      assertTrue(e.getMessage().contains("scan failed"), e.getMessage());
      assertTrue(seen.get() < 12_000, "read " + seen.get());
    }
  }

  @Test
  void aSecondStoreOnTheSameDirectoryFailsAndLeavesTheFirstWorking() {
    Path dir = tmp.resolve("views");
    byte[] key = OffHeapStore.utf8("k");
    try (OffHeapStore first = OffHeapStore.open(dir)) {
      first.write(b -> b.put(key, OffHeapStore.utf8("v")));
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> OffHeapStore.open(dir));
      assertTrue(e.getMessage().contains("in use by another gate"), e.getMessage());
      assertEquals("v", OffHeapStore.utf8(first.get(key), 0), "the first store's files were not wiped");
      first.write(b -> b.put(OffHeapStore.utf8("k2"), OffHeapStore.utf8("w")));
      assertEquals("w", OffHeapStore.utf8(first.get(OffHeapStore.utf8("k2")), 0));
    }
    try (OffHeapStore again = OffHeapStore.open(dir)) {
      assertEquals(null, again.get(key), "closed, the directory is free again (and wiped)");
    }
  }

  @Test
  void aRootDirectoryIsRefused() {
    Path root = tmp.getRoot();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OffHeapStore.open(root));
    assertTrue(e.getMessage().contains("below a root"), e.getMessage());
  }

  private static void corruptMiddle(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long length = f.length();
      f.seek(length / 10);
      f.write(new byte[(int) (length * 4 / 10)]);
    }
  }
}
