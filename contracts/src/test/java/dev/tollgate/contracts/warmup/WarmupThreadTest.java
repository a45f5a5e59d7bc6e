package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
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

  @Test
  void cancellingEndsAWarmupLoopAtItsNextBatch() throws Exception {
    CompletableFuture<WarmupLoop.Report> report = new CompletableFuture<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    // A unit whose cost keeps falling would run to its 60 s budget.
    long start = System.nanoTime();
    WarmupThread t = WarmupThread.start("t-warmup", () -> report.complete(WarmupLoop.run(() -> {
      long end = System.nanoTime() + Math.max(10_000, 2_000_000 - (System.nanoTime() - start) / 1000);
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }, Duration.ofSeconds(60), () -> OptionalInt.of(5))), e -> { }, done);
    Thread.sleep(200);
    t.cancel();
    done.get(10, TimeUnit.SECONDS);
    assertEquals(WarmupLoop.Stop.CANCELLED, report.get().stoppedBy());
    assertTrue(report.get().took().compareTo(Duration.ofSeconds(10)) < 0, report.get().toString());
  }
}
