package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmupThreadTest {
  @Test
  void aWarmupThatThrowsIsHandedOverAndStillEnds() throws Exception {
    List<String> failures = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    WarmupThread.start("t-warmup", () -> {
      throw new IllegalStateException("broken");
    }, e -> failures.add(e.getMessage()), done);
    done.get(10, TimeUnit.SECONDS);
    assertFalse(done.isCompletedExceptionally());
    assertEquals(List.of("broken"), failures);
  }

  @Test
  void itRunsOnADaemonThreadOfItsName() throws Exception {
    CompletableFuture<Thread> ran = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    WarmupThread.start("t-warmup", () -> ran.complete(Thread.currentThread()), e -> { }, done);
    done.get(10, TimeUnit.SECONDS);
    Thread t = ran.get(10, TimeUnit.SECONDS);
    assertEquals("t-warmup", t.getName());
    assertTrue(t.isDaemon(), "a hung warm-up never keeps the process alive");
  }
}
