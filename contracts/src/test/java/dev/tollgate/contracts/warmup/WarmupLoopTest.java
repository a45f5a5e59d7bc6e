package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop stops when the cost of its unit levels, not while it still falls; the budget bounds it either way. */
class WarmupLoopTest {
  /** Busy for {@code nanos} (a sleep would measure the scheduler). */
  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  void aUnitOfLevelCostStopsOnThePlateauOnceC2HasNothingQueued() {
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(200_000), Duration.ofSeconds(30), () -> OptionalInt.of(0));
    assertEquals(WarmupLoop.Stop.PLATEAU, r.stoppedBy(), r.toString());
    assertTrue(r.batches() > WarmupLoop.WINDOW, r.toString());
    assertTrue(r.took().compareTo(Duration.ofSeconds(30)) < 0, r.toString());
  }

  @Test
  void aLevelCostWithMethodsStillQueuedForC2RunsOnUntilTheQueueEmpties() {
    long start = System.nanoTime();
    // C2 has work queued for the first 1.5 s: C1's level, which a plateau alone would stop on.
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(200_000), Duration.ofSeconds(30),
        () -> OptionalInt.of(System.nanoTime() - start < 1_500_000_000L ? 4 : 0));
    assertEquals(WarmupLoop.Stop.PLATEAU, r.stoppedBy(), r.toString());
    assertTrue(r.took().compareTo(Duration.ofMillis(1500)) >= 0, r.toString());
  }

  @Test
  void aLevelCostWithC2NeverIdleRunsToTheBudget() {
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(200_000), Duration.ofMillis(800), () -> OptionalInt.of(3));
    assertEquals(WarmupLoop.Stop.BUDGET, r.stoppedBy(), r.toString());
  }

  @Test
  void onceLevelItReadsC2sQueueAtMostEveryPoll() {
    AtomicInteger reads = new AtomicInteger();
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(200_000), Duration.ofSeconds(2), () -> {
      reads.incrementAndGet();
      return OptionalInt.of(3);
    });
    assertEquals(WarmupLoop.Stop.BUDGET, r.stoppedBy(), r.toString());
    // Level after WINDOW batches, so about 68 reads if read after every level batch; at most one per poll (and the first).
    long allowed = r.took().toNanos() / WarmupLoop.QUEUE_READ_NANOS + 1;
    assertTrue(reads.get() >= 1 && reads.get() <= allowed, reads + " reads, at most " + allowed + ": " + r);
    assertTrue(r.batches() - WarmupLoop.WINDOW > allowed, "the bound is what limits the reads: " + r);
  }

  @Test
  void whereTheJvmDoesNotTellThePlateauAloneCounts() {
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(200_000), Duration.ofSeconds(30), OptionalInt::empty);
    assertEquals(WarmupLoop.Stop.PLATEAU, r.stoppedBy(), r.toString());
  }

  @Test
  void aUnitThatKeepsGettingCheaperRunsToTheBudget() {
    long start = System.nanoTime();
    // 2 ms at first, falling steadily: every window of batches is well over 5 % cheaper than the one before.
    WarmupLoop.Report r = WarmupLoop.run(() -> spin(Math.max(0, 2_000_000 - (System.nanoTime() - start) / 600)),
        Duration.ofMillis(1000));
    assertEquals(WarmupLoop.Stop.BUDGET, r.stoppedBy(), r.toString());
    assertTrue(r.lastNanosPerUnit() < r.firstNanosPerUnit(), r.toString());
  }

  @Test
  void aZeroBudgetRunsNothing() {
    AtomicInteger runs = new AtomicInteger();
    assertSame(WarmupLoop.Report.NONE, WarmupLoop.run(runs::incrementAndGet, Duration.ZERO));
    assertEquals(0, runs.get());
  }

  @Test
  void aShortBudgetRunsOneBatchAtLeast() {
    AtomicInteger runs = new AtomicInteger();
    WarmupLoop.Report r = WarmupLoop.run(runs::incrementAndGet, Duration.ofNanos(1));
    assertEquals(WarmupLoop.Stop.BUDGET, r.stoppedBy());
    assertEquals(1, r.batches());
    assertEquals(runs.get(), r.units());
  }

  @Test
  void aFailingUnitEndsTheLoopWithItsError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> WarmupLoop.run(() -> { throw new IllegalStateException("broken"); }, Duration.ofSeconds(1)));
    assertEquals("broken", e.getMessage());
  }
}
