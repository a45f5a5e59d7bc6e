package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reads C2's queue from HotSpot's diagnostic command, and waits for it to empty within a bound. */
class JitQueueTest {
  /** What {@code jcmd PID Compiler.queue} printed on JDK 17 while C2 had work. */
  private static final String BUSY = """
      Current compiles:\s
      C2 CompilerThread0  1193   !   4       com.sun.tools.javac.jvm.ClassReader::classSigToType (497 bytes)

      C1 compile queue:
      Empty

      C2 compile queue:
      1195       4       com.sun.tools.javac.jvm.PoolReader$ImmutablePoolHelper::readIfNeeded (106 bytes)
      1476 %     4       java.util.regex.Matcher::match @ 46 (154 bytes)
      1522   !   4       java.util.regex.Pattern::closure (276 bytes)

      """;

  @Test
  void countsTheMethodsWaitingForC2NotTheOneBeingCompiledNorC1s() {
    assertEquals(OptionalInt.of(3), JitQueue.parse(BUSY));
  }

  @Test
  void anEmptyQueueReadsZero() {
    assertEquals(OptionalInt.of(0), JitQueue.parse("Current compiles:\n\nC1 compile queue:\n1 3 a.B::c (3 bytes)\n\nC2 compile queue:\nEmpty\n\n"));
  }

  @Test
  void outputWithoutAC2SectionIsUnknown() {
    assertEquals(OptionalInt.empty(), JitQueue.parse("Compiler.queue: unknown command"));
  }

  @Test
  void thisJvmTellsItsQueue() {
    assertTrue(JitQueue.c2Queued().isPresent(), "HotSpot answers compilerQueue");
  }

  @Test
  void aDrainWaitsUntilTheQueueEmpties() {
    Iterator<Integer> reads = IntStream.of(7, 4, 2, 0).iterator();
    JitQueue.Report r = JitQueue.drain(Duration.ofSeconds(30), () -> OptionalInt.of(reads.next()));
    assertEquals(JitQueue.Stop.DRAINED, r.stoppedBy(), r.toString());
    assertEquals(7, r.queuedAtStart());
    assertEquals(0, r.queuedAtEnd());
    assertTrue(r.waited().compareTo(JitQueue.POLL.multipliedBy(3)) >= 0, r.toString());
  }

  @Test
  void aQueueThatNeverEmptiesEndsTheWaitAtItsBound() {
    JitQueue.Report r = JitQueue.drain(Duration.ofMillis(300), () -> OptionalInt.of(5));
    assertEquals(JitQueue.Stop.BUDGET, r.stoppedBy(), r.toString());
    assertEquals(5, r.queuedAtEnd());
    assertTrue(r.waited().compareTo(Duration.ofMillis(300)) >= 0 && r.waited().compareTo(Duration.ofSeconds(10)) < 0, r.toString());
  }

  @Test
  void aReadThatFailsDuringTheWaitIsUnknownWithTheLastCountNotDrained() {
    Iterator<OptionalInt> reads = List.of(OptionalInt.of(7), OptionalInt.of(4), OptionalInt.empty()).iterator();
    JitQueue.Report r = JitQueue.drain(Duration.ofSeconds(30), reads::next);
    assertEquals(JitQueue.Stop.UNKNOWN, r.stoppedBy(), r.toString());
    assertEquals(7, r.queuedAtStart());
    assertEquals(4, r.queuedAtEnd());
  }

  @Test
  void anInterruptedWarmupThreadEndsTheWaitAtOnceRatherThanBusyPolling() throws Exception {
    CompletableFuture<JitQueue.Report> report = new CompletableFuture<>();
    AtomicInteger reads = new AtomicInteger();
    WarmupThread.start("t-warmup", () -> {
      Thread.currentThread().interrupt();
      report.complete(JitQueue.drain(Duration.ofSeconds(5), () -> {
        reads.incrementAndGet();
        return OptionalInt.of(5);
      }));
    }, e -> { }, new CompletableFuture<>());
    JitQueue.Report r = report.get(10, TimeUnit.SECONDS);
    // Ignoring the interrupt, parkNanos returns at once: thousands of reads until the 5 s bound.
    assertEquals(JitQueue.Stop.CANCELLED, r.stoppedBy(), r.toString());
    assertEquals(1, reads.get(), r.toString());
  }

  @Test
  void aJvmThatDoesNotTellIsNotWaitedFor() {
    assertEquals(JitQueue.Stop.UNKNOWN, JitQueue.drain(Duration.ofSeconds(30), OptionalInt::empty).stoppedBy());
  }

  @Test
  void aWarmupWaitsHalfItsBudgetAndNeverMoreThanTheCap() {
    assertEquals(Duration.ofMillis(1500), JitQueue.bound(Duration.ofSeconds(3)));
    assertEquals(JitQueue.MAX_WAIT, JitQueue.bound(Duration.ofMinutes(5)));
    assertEquals(Duration.ZERO, JitQueue.bound(Duration.ZERO));
  }

  @Test
  void aZeroBoundWaitsForNothing() {
    assertEquals(JitQueue.Report.NONE, JitQueue.drain(Duration.ZERO, () -> OptionalInt.of(5)));
  }

  @Test
  void cancellingTheWarmupThreadEndsTheWaitWithoutAnInterrupt() throws Exception {
    CompletableFuture<JitQueue.Report> report = new CompletableFuture<>();
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    WarmupThread t = WarmupThread.start("t-warmup", () -> {
      report.complete(JitQueue.drain(Duration.ofSeconds(60), () -> OptionalInt.of(5)));
      interrupted.complete(Thread.currentThread().isInterrupted());
    }, e -> { }, new CompletableFuture<>());
    Thread.sleep(100);
    t.cancel();
    assertEquals(JitQueue.Stop.CANCELLED, report.get(10, TimeUnit.SECONDS).stoppedBy());
    assertEquals(false, interrupted.get(10, TimeUnit.SECONDS), "an interrupt would close the NIO channel a probe reads");
  }

  @Test
  void anInterruptEndsTheWaitOffAWarmupThread() throws Exception {
    CompletableFuture<JitQueue.Report> report = new CompletableFuture<>();
    Thread t = new Thread(() -> report.complete(JitQueue.drain(Duration.ofSeconds(60), () -> OptionalInt.of(5))));
    t.start();
    Thread.sleep(100);
    t.interrupt();
    assertEquals(JitQueue.Stop.CANCELLED, report.get(10, TimeUnit.SECONDS).stoppedBy());
  }
}
