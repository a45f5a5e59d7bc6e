package dev.tollgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.warmup.JitQueue;
import dev.tollgate.contracts.warmup.WarmupLoop;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The gate's warm-up decides, renders, signs and round-trips in-memory evaluations, and nothing else; its budget stops
 * it; a part that fails fails it (the gate then starts cold).
 */
class GateWarmupTest {
  private static ServerPolicy policy() throws Exception {
    JsonNode environments = new ObjectMapper(new YAMLFactory()).readTree(
        "{production: {probes: {secrets: {required: true}, migrations: {required: true}, rollback: {required: false}}}, staging: {}}");
    return ServerPolicy.from(MissingNode.getInstance(), environments,
        Set.of(ProbeId.SECRETS, ProbeId.MIGRATIONS, ProbeId.ROLLBACK, ProbeId.CALENDAR));
  }

  @Test
  void decidesSignsAndRoundTripsEvaluationsInMemory() throws Exception {
    GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.ED25519, Clock.systemUTC()).run(Duration.ofSeconds(2));
    // Each evaluation checks that its verdict signature verifies and that every message reads back equal, or throws.
    assertTrue(r.evaluations() > 1, r.toString());
    assertEquals(r.evaluations(), r.loop().units());
  }

  @Test
  void signsWithAThrowawayKeyOfEitherKind() throws Exception {
    GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.P256, Clock.systemUTC()).run(Duration.ofMillis(200));
    assertTrue(r.evaluations() > 0, r.toString());
  }

  @Test
  void theBudgetStopsIt() throws Exception {
    // Shorter than the plateau's window of batches: only the budget can stop it.
    GateWarmup.Report r = new GateWarmup(policy(), null, Clock.systemUTC()).run(Duration.ofMillis(100));
    assertEquals(WarmupLoop.Stop.BUDGET, r.loop().stoppedBy(), r.toString());
    assertTrue(r.loop().took().compareTo(Duration.ofSeconds(5)) < 0, "one evaluation past the budget at most: " + r);
  }

  @Test
  void aZeroBudgetDoesNothing() throws Exception {
    GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.ED25519, Clock.systemUTC()).run(Duration.ZERO);
    assertEquals(WarmupLoop.Stop.OFF, r.loop().stoppedBy());
    assertEquals(0, r.evaluations());
  }

  @Test
  void aSecondGateInTheProcessJoinsTheFirstWarmupAndItRunsOnce() throws Exception {
    var slot = new AtomicReference<CompletableFuture<Void>>();
    var meters = new SimpleMeterRegistry();
    AtomicInteger built = new AtomicInteger();
    ServerPolicy policy = policy();
    Supplier<GateWarmup> warmup = () -> {
      built.incrementAndGet();
      return new GateWarmup(policy, null, Clock.systemUTC());
    };
    CompletableFuture<Void> first = GateWarmup.begin(warmup, Duration.ofMillis(200), meters, slot, GateWarmup.OVERRUN);
    assertSame(first, GateWarmup.begin(warmup, Duration.ofMillis(200), meters, slot, GateWarmup.OVERRUN));
    first.get(30, TimeUnit.SECONDS);
    assertEquals(1, built.get());
    assertEquals(1, meters.timer("tollgate.gate.warmup").count(), "its time is recorded");
  }

  @Test
  void aHungWarmupIsGivenUpAndTheGateIsReadyCold() {
    CountDownLatch never = new CountDownLatch(1);
    // The warm-up's thread builds it, and hangs there for good.
    Supplier<GateWarmup> hung = () -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    };
    CompletableFuture<Void> done = GateWarmup.begin(hung, Duration.ofMillis(100), new SimpleMeterRegistry(), new AtomicReference<>(),
        Duration.ofMillis(200));
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> done.get());
    never.countDown();
  }

  @Test
  void aFailingWarmupStillLetsTheGateStart() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(GateWarmup.class);
    logs.start();
    logger.addAppender(logs);
    var meters = new SimpleMeterRegistry();
    CompletableFuture<Void> done = GateWarmup.begin(() -> {
      throw new IllegalStateException("a part of the warm-up is broken");
    }, Duration.ofSeconds(5), meters, new AtomicReference<>(), GateWarmup.OVERRUN);
    done.get(30, TimeUnit.SECONDS); // completes normally: the gate starts cold
    assertEquals(0, meters.timer("tollgate.gate.warmup").count(), "no time recorded for a failed warm-up");
    logger.detachAppender(logs);
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("gate warm-up failed, starting cold")
        && e.getFormattedMessage().contains("a part of the warm-up is broken")), "the cold start is logged: " + logs.list);
  }

  @Test
  void aZeroBudgetBeginsNothing() throws Exception {
    var slot = new AtomicReference<CompletableFuture<Void>>();
    AtomicInteger built = new AtomicInteger();
    CompletableFuture<Void> done = GateWarmup.begin(() -> {
      built.incrementAndGet();
      return null;
    }, Duration.ZERO, new SimpleMeterRegistry(), slot, GateWarmup.OVERRUN);
    assertTrue(done.isDone());
    assertEquals(0, built.get());
  }

  @Test
  void afterItsLoopItWaitsForC2sQueueAtMostHalfItsBudget() throws Exception {
    // A queue that never empties: the loop runs to its 400 ms budget, then the wait to its bound, 200 ms.
    GateWarmup.Report r = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> new GateWarmup(policy(), null, Clock.systemUTC()).run(Duration.ofMillis(400), JitQueue.bound(Duration.ofMillis(400)),
            () -> OptionalInt.of(7)));
    assertEquals(WarmupLoop.Stop.BUDGET, r.loop().stoppedBy(), r.toString());
    assertEquals(JitQueue.Stop.BUDGET, r.drain().stoppedBy(), r.toString());
    assertEquals(7, r.drain().queuedAtEnd(), r.toString());
    // 200 ms and at most a poll (100 ms) past it, with room for a loaded machine; ignoring the bound waits 5 s or more.
    assertTrue(r.drain().waited().compareTo(Duration.ofMillis(200)) >= 0
        && r.drain().waited().compareTo(Duration.ofMillis(200).plus(Duration.ofSeconds(1))) < 0, r.toString());
  }

  @Test
  void readyWaitsForTheLoopItsWaitForC2AndTheOverrun() {
    assertEquals(Duration.ofMillis(3000 + 1500 + 10_000), GateWarmup.readinessWait(Duration.ofSeconds(3), GateWarmup.OVERRUN));
    assertEquals(Duration.ofSeconds(300 + 5 + 10), GateWarmup.readinessWait(Duration.ofMinutes(5), GateWarmup.OVERRUN));
  }

  @Test
  void closingTheGateCancelsAWarmupStillRunning() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(GateWarmup.class);
    logs.start();
    logger.addAppender(logs);
    var meters = new SimpleMeterRegistry();
    ServerPolicy policy = policy();
    CompletableFuture<Void> done;
    try {
      // 2 min: uncancelled, its loop would run 0.3 s at least (a plateau needs 12 batches), then wait for C2's queue.
      done = GateWarmup.begin(() -> new GateWarmup(policy, null, Clock.systemUTC()), Duration.ofMinutes(2), meters,
          new AtomicReference<>(), GateWarmup.OVERRUN);
      GateWarmup.cancel();
      done.get(30, TimeUnit.SECONDS);
    } finally {
      logger.detachAppender(logs);
    }
    assertEquals(1, meters.timer("tollgate.gate.warmup").count(), "a cancelled warm-up still reports what it did");
    // Its loop ended at its first batch because of the cancel, and it did not wait for C2's queue.
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("gate warmed up")
        && e.getFormattedMessage().contains("stopped by CANCELLED") && e.getFormattedMessage().contains("(OFF:")),
        "gate.warmed says CANCELLED: " + logs.list);
  }
}
