package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.probes.testing.FixtureRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bare mirrors of a real remote (a file:// repository): clone on first use, fetch when a commit is missing. */
class MirrorCacheTest {
  @TempDir
  Path tmp;

  MirrorCache cache(long maxBytes) {
    return new MirrorCache(tmp.resolve("mirrors"), maxBytes, Duration.ofSeconds(30), Ticker.systemTicker(), new SimpleMeterRegistry());
  }

  @Test
  void clonesOnceAndFetchesOnlyWhenACommitIsMissing() throws Exception {
    FixtureRepo remote = FixtureRepo.create(tmp.resolve("remote")).commit("a.txt", "1");
    String url = remote.dir().toUri().toString();
    MirrorCache cache = cache(1L << 30);
    String first = remote.head();
    try (Repository mirror = cache.open(url, "remote", first)) {
      assertTrue(mirror.isBare());
      assertTrue(mirror.getObjectDatabase().has(ObjectId.fromString(first)));
    }
    remote.commit("a.txt", "2");
    try (Repository mirror = cache.open(url, "remote", remote.head(), first)) {
      assertTrue(mirror.getObjectDatabase().has(ObjectId.fromString(remote.head())), "fetched the new commit");
    }
    assertEquals(1, cache.size());
    // A new cache over the same directory finds the mirror again (the index survives a restart).
    assertEquals(1, cache(1L << 30).size());
  }

  @Test
  void anUnreachableRemoteOrAMissingCommitIsARepoAccessError() {
    MirrorCache cache = cache(1L << 30);
    assertThrows(RepoAccessException.class, () -> cache.open(tmp.resolve("nowhere").toUri().toString(), "nowhere",
        "0123456789abcdef0123456789abcdef01234567"));
    assertTrue(Files.notExists(tmp.resolve("mirrors").resolve(MirrorCache.keyOf("nowhere"))), "no half-cloned mirror left");
  }

  @Test
  void theLeastRecentlyUsedMirrorIsDeletedBeyondTheSizeBound() throws Exception {
    MirrorCache cache = cache(1); // 1 MB: each mirror weighs at least 1
    FixtureRepo one = FixtureRepo.create(tmp.resolve("one")).commit("a", "1");
    FixtureRepo two = FixtureRepo.create(tmp.resolve("two")).commit("b", "2");
    cache.open(one.dir().toUri().toString(), "one", one.head()).close();
    cache.open(two.dir().toUri().toString(), "two", two.head()).close();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cache.size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // Caffeine evicts asynchronously on its executor
    }
    assertEquals(1, cache.size());
  }
}
