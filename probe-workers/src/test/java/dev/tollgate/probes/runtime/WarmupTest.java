package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.contracts.warmup.JitQueue;
import dev.tollgate.contracts.warmup.Plateau;
import dev.tollgate.contracts.warmup.WarmupLoop;
import dev.tollgate.contracts.warmup.WarmupThread;
import dev.tollgate.probes.repo.ChangeSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The warm-up runs every production probe on its generated repository, and nothing when turned off. */
class WarmupTest {
  private final ProbeRegistry registry = ProbeRegistry.production();
  private final Warmup warmup = new Warmup(registry, new ProbeRunner(200), ChangeSet.Limits.DEFAULT, Clock.systemUTC());

  @Test
  void everyProbeRunsWithoutAnErrorOnTheGeneratedRepository() {
    Warmup.Report r = warmup.run(Duration.ofMillis(1));
    // The budget is checked before each round: the first round always runs, whole.
    assertEquals(1, r.rounds());
    assertEquals(registry.ids().size(), r.checks());
    assertEquals(0, r.errors(), "a probe that errors on the warm-up repository warms nothing");
  }

  @Test
  void aLongBudgetStopsWhenTheRoundsStopGettingFasterOrAtTheCap() {
    Warmup.Report r = warmup.run(Duration.ofMinutes(10));
    // Never on the budget: it stops paying long before ten minutes (PlateauTest pins the rule itself).
    assertTrue(r.stoppedBy() == Warmup.Stop.PLATEAU || r.stoppedBy() == Warmup.Stop.CAP, r.toString());
    assertTrue(r.rounds() > Plateau.WINDOW && r.rounds() <= Warmup.MAX_ROUNDS, r.toString());
    assertEquals(r.rounds() * registry.ids().size(), r.checks());
    assertEquals(0, r.errors());
    // Then it waited for C2's queue, within half the budget.
    assertTrue(r.drain().stoppedBy() == JitQueue.Stop.DRAINED || r.drain().stoppedBy() == JitQueue.Stop.BUDGET, r.toString());
  }

  @Test
  void closingTheWorkerCancelsAWarmupStillRunning() throws Exception {
    var slot = new AtomicReference<CompletableFuture<Void>>();
    var meters = new SimpleMeterRegistry();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Warmup.class);
    logs.start();
    logger.addAppender(logs);
    try {
      // 5 min: uncancelled, it would run rounds until they plateau (a window of rounds at least), then the codecs' loop.
      CompletableFuture<Void> done = Warmup.begin(warmup, Duration.ofMinutes(5), meters, slot);
      Warmup.cancel();
      done.get(60, TimeUnit.SECONDS);
    } finally {
      logger.detachAppender(logs);
    }
    assertEquals(1, meters.timer("tollgate.worker.warmup").count(), "a cancelled warm-up still reports what it did");
    // Its rounds ended at the first because of the cancel; neither the codecs' loop nor the wait for C2 ran.
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("probes warmed up: 1 rounds")
        && e.getFormattedMessage().contains("stopped by CANCELLED") && e.getFormattedMessage().contains("(OFF:")),
        "worker.warmed says CANCELLED: " + logs.list);
  }

  @Test
  void theWorkerWaitsForTheLongestAWarmupMayTakeAndTheOverrun() {
    // 1.25 × the budget (its loops), its wait for C2's queue, the overrun: a 200 s budget's warm-up may take 255 s.
    assertEquals(Duration.ofSeconds(250 + 5 + 30), Warmup.readinessWait(Duration.ofSeconds(200), Warmup.OVERRUN));
    assertEquals(Duration.ofMillis(7500 + 3000 + 30_000), Warmup.readinessWait(Duration.ofSeconds(6), Warmup.OVERRUN));
  }

  @Test
  void aCancelledWarmupEndsItsRoundCleanlyAndRunsNothingAfter() throws Exception {
    CompletableFuture<Warmup.Report> report = new CompletableFuture<>();
    WarmupThread t = WarmupThread.start("t-warmup", () -> report.complete(warmup.run(Duration.ofMinutes(5))), e -> { },
        new CompletableFuture<>());
    Thread.sleep(300);
    t.cancel();
    Warmup.Report r = report.get(60, TimeUnit.SECONDS);
    assertEquals(Warmup.Stop.CANCELLED, r.stoppedBy(), r.toString());
    // Not an interrupt: that would close the pack file a probe reads and fail its rules.
    assertEquals(0, r.errors(), r.toString());
    assertEquals(WarmupLoop.Stop.OFF, r.json().stoppedBy(), r.toString());
    assertEquals(JitQueue.Stop.OFF, r.drain().stoppedBy(), r.toString());
  }

  @Test
  void aShortBudgetStopsOnTheBudget() {
    Warmup.Report r = warmup.run(Duration.ofMillis(1));
    assertEquals(Warmup.Stop.BUDGET, r.stoppedBy());
    assertEquals(WarmupLoop.Stop.BUDGET, r.json().stoppedBy(), "the codecs' quarter of 1 ms: one batch");
  }

  @Test
  void aLongBudgetAlsoRoundTripsTheLastRoundsMessagesAsJsonUntilTheirCostLevels() {
    Warmup.Report r = warmup.run(Duration.ofMinutes(10));
    // Each must read back equal (else the warm-up fails); not a count picked by hand: until the cost stops falling.
    assertTrue(r.json().units() > 0, r.toString());
    assertEquals(WarmupLoop.Stop.PLATEAU, r.json().stoppedBy(), r.toString());
  }

  @Test
  void theCodecsGetAQuarterOfTheBudgetEvenWhenTheRoundsSpentIt() {
    // 1 s: on a loaded machine the repository and a cold first round take longer; the codecs still get 250 ms.
    Warmup.Report r = warmup.run(Duration.ofSeconds(1));
    assertTrue(r.json().units() > 0, r.toString());
    assertTrue(r.json().took().compareTo(Duration.ofMillis(200)) >= 0, r.toString());
  }

  @Test
  void theWorkerWaitsForAWarmupBegunEarlierAndItRunsOnce() {
    var slot = new AtomicReference<CompletableFuture<Void>>();
    var meters = new SimpleMeterRegistry();
    var begun = Warmup.begin(warmup, Duration.ofMillis(1), meters, slot);
    Warmup.once(warmup, Duration.ofMillis(1), meters, slot, Warmup.OVERRUN);
    assertTrue(begun.isDone(), "once returns only when the warm-up begun earlier is done");
    assertSame(begun, Warmup.begin(warmup, Duration.ofMillis(1), meters, slot), "a second begin joins the first");
    assertEquals(1, meters.timer("tollgate.worker.warmup").count());
  }

  @Test
  void aFailingWarmupStillLetsTheWorkerStart() {
    Clock broken = clock(() -> {
      throw new IllegalStateException("clock broken");
    });
    Warmup failing = new Warmup(registry, new ProbeRunner(200), ChangeSet.Limits.DEFAULT, broken);
    var slot = new AtomicReference<CompletableFuture<Void>>();
    var meters = new SimpleMeterRegistry();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Warmup.class);
    logs.start();
    logger.addAppender(logs);
    try {
      Warmup.once(failing, Duration.ofSeconds(5), meters, slot, Warmup.OVERRUN);
    } finally {
      logger.detachAppender(logs);
    }
    assertTrue(slot.get().isDone() && !slot.get().isCompletedExceptionally(), "a cold worker is slower, not stopped");
    assertEquals(0, meters.timer("tollgate.worker.warmup").count(), "no warm-up time recorded for a failed one");
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("warm-up failed, starting cold")
        && e.getFormattedMessage().contains("clock broken")), "the cold start is logged: " + logs.list);
  }

  @Test
  void aHungWarmupIsGivenUpAndTheWorkerStartsCold() {
    CountDownLatch release = new CountDownLatch(1);
    Clock hanging = clock(() -> {
      // A probe that never returns: the warm-up's first check waits here until the test ends.
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Instant.EPOCH;
    });
    Warmup hung = new Warmup(registry, new ProbeRunner(200), ChangeSet.Limits.DEFAULT, hanging);
    var slot = new AtomicReference<CompletableFuture<Void>>();
    try {
      // Before: once waited for the warm-up with no timeout, so the worker never joined its group.
      assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> Warmup.once(hung, Duration.ofMillis(100), new SimpleMeterRegistry(), slot, Duration.ofMillis(200)));
      assertFalse(slot.get().isDone(), "the warm-up still hangs: once gave up on it");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aZeroBudgetDoesNothing() {
    Warmup.Report r = warmup.run(Duration.ZERO);
    assertEquals(0, r.checks());
    assertTrue(r.took().isZero());
    assertEquals(Warmup.Stop.OFF, r.stoppedBy());
  }

  /** A clock whose every reading is {@code now}'s: a probe reading the time throws or waits as the test needs. */
  private static Clock clock(Supplier<Instant> now) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }
}
