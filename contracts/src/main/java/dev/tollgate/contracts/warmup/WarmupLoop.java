package dev.tollgate.contracts.warmup;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Repeats one unit of work (a round trip of messages, an evaluation decided in memory) in batches until its cost stops
 * falling or the budget is spent: the one stopping rule of the JIT warm-ups (JSON codecs, the gate's path).
 *
 * <p>Why not a fixed count or time: the probes' warm-up used to round-trip its 10 messages for at most 0.8 s. Run beside
 * the broker's and the gate's start on 2 cores it did ~130 round trips in that time: interpreted, a message's round
 * trip costs ~0.7 ms against 14 µs once C2 compiled it (measured, {@code docs/bench/load.md} round 4), and C2 compiles
 * a method only after thousands of invocations plus its queue. So Jackson's parser and generator and the java.time
 * formatters were compiled after ready, while the first requests waited (issue #24: Jackson 1.7 s and java.time.format
 * 1.0 s of C2 in the first 10 s after ready). Measuring each batch shows when C2's code is in, on any machine and load.
 */
public final class WarmupLoop {
  /** A batch repeats the unit until it took this long: long enough that one batch's time is not noise. */
  static final long BATCH_NANOS = Duration.ofMillis(25).toNanos();
  /** Batches without a 5 % gain (and with C2's queue empty) before stopping: 12 × 25 ms = 0.3 s. */
  static final int WINDOW = 12;
  static final double GAIN = 0.05;
  /** Reads of C2's queue at most this often: each is a safepoint operation ({@link JitQueue#POLL}). */
  static final long QUEUE_READ_NANOS = JitQueue.POLL.toNanos();

  private WarmupLoop() {}

  /** Why it stopped; {@code CANCELLED}: {@link WarmupThread#cancel} (the service closed while it warmed). */
  public enum Stop { PLATEAU, BUDGET, CANCELLED, OFF }

  /**
   * What it did: batches, units run, time, why it stopped, and the cost of one unit in the first and the last batch
   * (what the JIT gained).
   */
  public record Report(int batches, long units, Duration took, Stop stoppedBy, long firstNanosPerUnit,
      long lastNanosPerUnit) {
    /** Nothing done. */
    public static final Report NONE = new Report(0, 0, Duration.ZERO, Stop.OFF, 0, 0);
  }

  /**
   * Runs {@code unit} in batches until its cost plateaus with C2's queue empty ({@link JitQueue}) or {@code budget} is
   * spent (one batch at least unless the budget is zero). An exception from the unit ends the loop and is thrown; {@link
   * WarmupThread#cancel} ends it between batches.
   */
  public static Report run(Runnable unit, Duration budget) {
    return run(unit, budget, JitQueue::c2Queued);
  }

  /**
   * {@link #run(Runnable, Duration)} with the queue read from {@code c2Queued} (tests).
   *
   * <p>Why the queue too: the cost per unit levels twice, at C1's code (for seconds: C2 waits for its invocation
   * thresholds, then compiles the large methods for 50–200 ms each, one at a time) and at C2's. Measured on the 2-core
   * machine, C1's level lasted 3 s and C2's code was 5× faster again; a plateau alone stopped on the first. Methods
   * still queued for C2 are the sign. (It replaced a rule on the JIT's compile time per wall time, which never held
   * during a start: the other warm-up and Kafka's start kept the compiler busy.) Where the JVM does not tell, the
   * plateau alone counts.
   */
  public static Report run(Runnable unit, Duration budget, Supplier<OptionalInt> c2Queued) {
    Objects.requireNonNull(unit, "unit");
    if (budget.isZero() || budget.isNegative()) {
      return Report.NONE;
    }
    long start = System.nanoTime();
    Plateau plateau = new Plateau(WINDOW, GAIN);
    int batches = 0;
    long units = 0;
    long first = 0;
    long last;
    long queueReadAt = start - QUEUE_READ_NANOS;
    int queued = 0;
    Stop stop;
    while (true) {
      long batchStart = System.nanoTime();
      long n = 0;
      long elapsed;
      do {
        unit.run();
        n++;
        elapsed = System.nanoTime() - batchStart;
      } while (elapsed < BATCH_NANOS && System.nanoTime() - start < budget.toNanos());
      units += n;
      batches++;
      last = elapsed / n;
      if (batches == 1) {
        first = last;
      }
      if (plateau.add(last)) {
        if (System.nanoTime() - queueReadAt >= QUEUE_READ_NANOS) {
          queueReadAt = System.nanoTime();
          queued = c2Queued.get().orElse(0);
        }
        if (queued == 0) {
          stop = Stop.PLATEAU;
          break;
        }
      }
      if (WarmupThread.cancelled()) {
        stop = Stop.CANCELLED;
        break;
      }
      if (System.nanoTime() - start >= budget.toNanos()) {
        stop = Stop.BUDGET;
        break;
      }
    }
    return new Report(batches, units, Duration.ofNanos(System.nanoTime() - start), stop, first, last);
  }
}
