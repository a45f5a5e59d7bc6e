package dev.tollgate.probes.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code probe-pool}: {@code size} threads that run checks, shared by every tenant. A check that outlives its
 * budget is interrupted; a thread that still runs it {@link #STUCK_AFTER} later (a loop that never looks at the
 * interrupt, a socket read) is counted as stuck and replaced by a new thread, so the pool keeps {@code size} threads
 * for everyone else. Java cannot stop the stuck thread; it leaves the count when its check finally ends.
 *
 * <p>Replacements stop at {@code size} stuck threads (twice the pool in all): beyond that the worker is
 * {@link #saturated()}, which readiness reports, and new checks wait in the queue until their budget ends. Metrics:
 * {@code tollgate.probe.pool.stuck} (threads past their budget now), {@code tollgate.probe.pool.replaced} (threads
 * added for them, total).
 */
final class ProbePool {
  private static final Logger log = LoggerFactory.getLogger(ProbePool.class);
  /** How long an interrupted check may take to stop before its thread counts as stuck. */
  static final Duration STUCK_AFTER = Duration.ofSeconds(2);

  private final int size;
  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timer;
  private final AtomicInteger stuck = new AtomicInteger();
  private final Counter replaced;

  /** One submitted check: which thread runs it, whether it ended, whether it was counted stuck. */
  final class Task {
    private volatile Thread thread;
    private volatile boolean done;
    private final AtomicBoolean counted = new AtomicBoolean();
    private volatile Future<?> future;

    /**
     * Interrupts the check (its budget is over). If its thread is still in it after {@link #STUCK_AFTER}, the thread
     * counts as stuck and the pool grows by one.
     */
    void abandon(String label) {
      Future<?> f = future;
      if (f != null) {
        f.cancel(true);
      }
      timer.schedule(() -> {
        if (!done && thread != null && counted.compareAndSet(false, true)) {
          markStuck(label);
        }
      }, STUCK_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * @param size threads that run checks
   * @param timer schedules the stuck checks (shared with the worker's budget timer)
   */
  ProbePool(int size, ScheduledExecutorService timer, MeterRegistry meters) {
    this.size = size;
    this.timer = timer;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "probe-pool-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Gauge.builder("tollgate.probe.pool.stuck", stuck, AtomicInteger::get)
        .description("Probe threads still running a check past its budget (each replaced while the pool can grow)")
        .register(meters);
    this.replaced = Counter.builder("tollgate.probe.pool.replaced")
        .description("Probe threads added because a check outlived its budget").register(meters);
  }

  /** Runs {@code work} on the pool. */
  Task submit(Runnable work) {
    Task task = new Task();
    task.future = executor.submit(() -> {
      task.thread = Thread.currentThread();
      try {
        work.run();
      } finally {
        task.done = true;
        task.thread = null;
        if (task.counted.get()) {
          release();
        }
      }
    });
    return task;
  }

  /** Threads stuck past their budget now. */
  int stuck() {
    return stuck.get();
  }

  /** True when as many threads are stuck as the pool has: no more are replaced, and new checks wait. */
  boolean saturated() {
    return stuck.get() >= size;
  }

  /** Threads the pool may run now: its size plus one per replaced stuck thread. */
  int maximumPoolSize() {
    return executor.getMaximumPoolSize();
  }

  void shutdownNow() {
    executor.shutdownNow();
  }

  private synchronized void markStuck(String label) {
    int now = stuck.get() + 1;
    boolean replace = now <= size;
    if (replace) {
      // Grow max before core: the pool refuses a core size above its maximum.
      executor.setMaximumPoolSize(size + now);
      executor.setCorePoolSize(size + now);
      executor.prestartCoreThread();
      replaced.increment();
    }
    stuck.set(now); // last: whoever sees the count sees the pool already grown
    log.atWarn().addKeyValue("event", "probe.thread.stuck").addKeyValue("check", label).addKeyValue("stuck", now)
        .log(replace ? "a probe thread is still running {} past its budget; a new thread replaces it"
            : "a probe thread is still running {} past its budget and the pool cannot grow further: saturated", label);
  }

  private synchronized void release() {
    int now = stuck.get() - 1;
    int target = size + Math.min(now, size);
    if (target < executor.getCorePoolSize()) {
      // Shrink core before max; the extra thread ends when idle.
      executor.setCorePoolSize(target);
      executor.setMaximumPoolSize(target);
    }
    stuck.set(now); // last, as in markStuck: whoever sees the count sees the pool already shrunk
    log.atInfo().addKeyValue("event", "probe.thread.released").addKeyValue("stuck", now)
        .log("a stuck probe thread finished its check; the pool shrinks back");
  }
}
