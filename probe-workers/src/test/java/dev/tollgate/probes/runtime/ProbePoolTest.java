package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A check that ignores the interrupt at the end of its budget no longer takes a pool thread from everyone else
 * (issue 19, item 7): the thread is replaced, counted, and when the replacements run out the pool says it is saturated.
 */
class ProbePoolTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicBoolean release = new AtomicBoolean();

  @AfterEach
  void stop() {
    release.set(true);
    timer.shutdownNow();
  }

  /** Spins like a catastrophic regex: never looks at the interrupt, ends only when released. */
  private Runnable spinner(CountDownLatch started) {
    return () -> {
      started.countDown();
      long x = 0;
      while (!release.get()) {
        x += System.nanoTime() % 7; // busy, not sleeping: Thread.interrupt() does not end it
      }
      if (x == 42) {
        System.out.print("");
      }
    };
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.sleep(20);
    }
  }

  @Test
  void flagsAStuckThreadAndReplacesItSoOtherChecksStillRun() throws Exception {
    ProbePool pool = new ProbePool(1, timer, meters);
    CountDownLatch started = new CountDownLatch(1);
    ProbePool.Task stuck = pool.submit(spinner(started));
    assertTrue(started.await(10, TimeUnit.SECONDS));
    stuck.abandon("spin of evaluation e1");
    await(() -> pool.stuck() == 1);
    assertEquals(2, pool.maximumPoolSize());
    assertEquals(1.0, meters.get("tollgate.probe.pool.replaced").counter().count());
    assertEquals(1.0, meters.get("tollgate.probe.pool.stuck").gauge().value());
    assertTrue(pool.saturated(), "one stuck thread of a pool of one: no replacement left");
    // Another tenant's check runs on the replacement thread.
    CountDownLatch ran = new CountDownLatch(1);
    pool.submit(ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the replacement thread ran the next check");
    // The stuck check ends at last: the pool shrinks back and is ready again.
    release.set(true);
    await(() -> pool.stuck() == 0);
    assertFalse(pool.saturated());
    assertEquals(1, pool.maximumPoolSize());
    pool.shutdownNow();
  }

  @Test
  void passesACheckThatStopsWhenInterrupted() throws Exception {
    ProbePool pool = new ProbePool(2, timer, meters);
    CountDownLatch started = new CountDownLatch(1);
    ProbePool.Task polite = pool.submit(() -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stops at once
      }
    });
    assertTrue(started.await(10, TimeUnit.SECONDS));
    polite.abandon("sleep of evaluation e2");
    // The timer is one thread in time order: once a task scheduled after the stuck check ran, the check ran too.
    CountDownLatch checked = new CountDownLatch(1);
    timer.schedule(checked::countDown, ProbePool.STUCK_AFTER.toMillis() + 1, TimeUnit.MILLISECONDS);
    assertTrue(checked.await(20, TimeUnit.SECONDS));
    assertEquals(0, pool.stuck());
    assertEquals(2, pool.maximumPoolSize());
    assertFalse(pool.saturated());
    pool.shutdownNow();
  }
}
