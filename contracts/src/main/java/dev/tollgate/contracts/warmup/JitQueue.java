package dev.tollgate.contracts.warmup;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JIT's C2 queue: the methods hot enough for the optimizing compiler that it has not compiled yet, read through
 * HotSpot's {@code compilerQueue} diagnostic command (what {@code jcmd PID Compiler.queue} prints).
 *
 * <p>Why (issue #24, docs/bench/load.md round 5): the warm-ups end while C2 still has seconds of their methods queued
 * (on 2 cores there is one C2 thread). Measured on the 2-core machine, C2 then compiled the warm-ups' Jackson,
 * SnakeYAML and java.time methods for the first 5 s after ready, one core busy, while the first requests ran those
 * and the probes' methods in the interpreter or C1's code. {@link #drain} waits, before ready, until C2 has nothing
 * queued: a bounded wait that spends the start's idle core on code the first requests need.
 */
public final class JitQueue {
  /**
   * How often {@link #drain} looks at the queue: each read is a safepoint operation (HotSpot prints the whole queue at
   * a safepoint), and a drain takes 0.4–1.9 s, so a tenth of a second costs little wait and few pauses.
   */
  static final Duration POLL = Duration.ofMillis(100);
  /** The longest wait a warm-up's budget can buy (measured: 0.4–1.9 s to drain, at load 8–18 on 2 cores). */
  static final Duration MAX_WAIT = Duration.ofSeconds(5);

  /** HotSpot's diagnostic commands; built once, not per read. */
  private static final ObjectName DIAGNOSTIC_COMMAND = diagnosticCommand();

  private JitQueue() {}

  private static ObjectName diagnosticCommand() {
    try {
      return new ObjectName("com.sun.management:type=DiagnosticCommand");
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException("never: a constant name", e);
    }
  }

  /** Methods waiting in C2's queue now, or empty where the JVM does not tell (not HotSpot, no management). */
  public static OptionalInt c2Queued() {
    try {
      Object out = ManagementFactory.getPlatformMBeanServer().invoke(DIAGNOSTIC_COMMAND, "compilerQueue", new Object[] {new String[0]}, new String[] {String[].class.getName()});
      return out instanceof String text ? parse(text) : OptionalInt.empty();
    } catch (JMException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Counts the entries under {@code C2 compile queue:} in the command's output (an entry per line until a blank line;
   * the word {@code Empty} when none); empty when there is no such section.
   */
  static OptionalInt parse(String text) {
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().equals("C2 compile queue:")) {
        int n = 0;
        for (int j = i + 1; j < lines.length && !lines[j].isBlank(); j++) {
          if (!lines[j].trim().equals("Empty")) {
            n++;
          }
        }
        return OptionalInt.of(n);
      }
    }
    return OptionalInt.empty();
  }

  /** Why a drain ended: C2's queue emptied, the wait hit its bound, the JVM does not tell, or it was cancelled. */
  public enum Stop { DRAINED, BUDGET, UNKNOWN, CANCELLED, OFF }

  /** What a drain did: its wait, the queue when it began and when it ended (-1: unknown), why it ended. */
  public record Report(Duration waited, int queuedAtStart, int queuedAtEnd, Stop stoppedBy) {
    /** Nothing done. */
    public static final Report NONE = new Report(Duration.ZERO, -1, -1, Stop.OFF);
  }

  /**
   * The wait a warm-up of {@code budget} allows itself after its loops: half the budget, at most {@link #MAX_WAIT}
   * (a start never waits long on a queue that does not empty, e.g. beside another process's warm-up).
   */
  public static Duration bound(Duration budget) {
    Duration half = budget.dividedBy(2);
    return half.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : half;
  }

  /** Waits at most {@code max} until C2's queue is empty ({@link #drain(Duration, Supplier)} on this JVM). */
  public static Report drain(Duration max) {
    return drain(max, JitQueue::c2Queued);
  }

  /**
   * Waits until {@code queued} reads 0, at most {@code max} (looking every {@link #POLL}); at once when it is unknown
   * or {@code max} is zero. A read that fails during the wait ends it as {@link Stop#UNKNOWN} with the last count read
   * (not drained: nothing says the queue emptied). {@link WarmupThread#cancel} (or an interrupt, off a warm-up's thread) ends the wait
   * ({@link Stop#CANCELLED}).
   */
  public static Report drain(Duration max, Supplier<OptionalInt> queued) {
    Objects.requireNonNull(queued, "queued");
    if (max.isZero() || max.isNegative()) {
      return Report.NONE;
    }
    long start = System.nanoTime();
    OptionalInt first = queued.get();
    if (first.isEmpty()) {
      return new Report(Duration.ZERO, -1, -1, Stop.UNKNOWN);
    }
    int now = first.getAsInt();
    while (now > 0) {
      if (System.nanoTime() - start >= max.toNanos()) {
        return new Report(Duration.ofNanos(System.nanoTime() - start), first.getAsInt(), now, Stop.BUDGET);
      }
      LockSupport.parkNanos(POLL.toNanos());
      if (WarmupThread.cancelled()) {
        return new Report(Duration.ofNanos(System.nanoTime() - start), first.getAsInt(), now, Stop.CANCELLED);
      }
      OptionalInt read = queued.get();
      if (read.isEmpty()) {
        return new Report(Duration.ofNanos(System.nanoTime() - start), first.getAsInt(), now, Stop.UNKNOWN);
      }
      now = read.getAsInt();
    }
    return new Report(Duration.ofNanos(System.nanoTime() - start), first.getAsInt(), 0, Stop.DRAINED);
  }
}
