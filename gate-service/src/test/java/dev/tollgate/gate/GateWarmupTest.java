package dev.tollgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.warmup.WarmupLoop;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The gate's warm-up decides, renders, signs and round-trips in-memory evaluations and calls its own liveness on
 * loopback, and nothing else; its budget stops it; a part that fails fails it (the gate then starts cold).
 */
class GateWarmupTest {
  private static ServerPolicy policy() throws Exception {
    JsonNode environments = new ObjectMapper(new YAMLFactory()).readTree(
        "{production: {probes: {secrets: {required: true}, migrations: {required: true}, rollback: {required: false}}}, staging: {}}");
    return ServerPolicy.from(MissingNode.getInstance(), environments,
        Set.of(ProbeId.SECRETS, ProbeId.MIGRATIONS, ProbeId.ROLLBACK, ProbeId.CALENDAR));
  }

  /** A real HTTP server on loopback answering {@code status} and recording each request's method and path. */
  private static HttpServer server(int status, List<String> seen) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext("/", ex -> {
      seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    s.start();
    return s;
  }

  @Test
  void decidesSignsAndRoundTripsEvaluationsAndOnlyReadsTheGatesLiveness() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer s = server(200, seen);
    try {
      GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.ED25519, () -> s.getAddress().getPort(), Clock.systemUTC())
          .run(Duration.ofSeconds(2));
      // Each evaluation checks that its verdict signature verifies and that every message reads back equal, or throws.
      assertTrue(r.evaluations() > 1, r.toString());
      assertEquals(r.evaluations(), r.loop().units());
      assertEquals(r.evaluations(), r.requests(), "one liveness request per evaluation");
      assertEquals(r.requests(), seen.size());
      assertTrue(seen.stream().allMatch("GET /health/live"::equals), "nothing but the liveness: " + seen.subList(0, 1));
    } finally {
      s.stop(0);
    }
  }

  @Test
  void theLoopbackRequestJoinsOnceTheGateListens() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer s = server(200, seen);
    try {
      AtomicInteger calls = new AtomicInteger();
      // Not listening for the first 5 evaluations (the warm-up begins with the gate's start), then listening.
      GateWarmup.Report r = new GateWarmup(policy(), null, () -> calls.incrementAndGet() > 5 ? s.getAddress().getPort() : 0,
          Clock.systemUTC()).run(Duration.ofSeconds(1));
      assertTrue(r.evaluations() > 5, r.toString());
      assertEquals(r.evaluations() - 5, r.requests(), r.toString());
      assertEquals(r.requests(), seen.size());
    } finally {
      s.stop(0);
    }
  }

  @Test
  void signsWithAThrowawayKeyOfEitherKindAndWithoutHttpWhenNoPort() throws Exception {
    GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.P256, () -> 0, Clock.systemUTC()).run(Duration.ofMillis(200));
    assertTrue(r.evaluations() > 0, r.toString());
    assertEquals(0, r.requests());
  }

  @Test
  void theBudgetStopsIt() throws Exception {
    // Shorter than the plateau's window of batches: only the budget can stop it.
    GateWarmup.Report r = new GateWarmup(policy(), null, () -> 0, Clock.systemUTC()).run(Duration.ofMillis(100));
    assertEquals(WarmupLoop.Stop.BUDGET, r.loop().stoppedBy(), r.toString());
    assertTrue(r.loop().took().compareTo(Duration.ofSeconds(5)) < 0, "one evaluation past the budget at most: " + r);
  }

  @Test
  void aZeroBudgetDoesNothing() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer s = server(200, seen);
    try {
      GateWarmup.Report r = new GateWarmup(policy(), AttestationKey.Kind.ED25519, () -> s.getAddress().getPort(), Clock.systemUTC())
          .run(Duration.ZERO);
      assertEquals(WarmupLoop.Stop.OFF, r.loop().stoppedBy());
      assertEquals(0, r.evaluations());
      assertEquals(List.of(), seen);
    } finally {
      s.stop(0);
    }
  }

  @Test
  void aGateThatDoesNotAnswerItsLivenessFailsTheWarmup() throws Exception {
    HttpServer s = server(503, new CopyOnWriteArrayList<>());
    try {
      GateWarmup w = new GateWarmup(policy(), null, () -> s.getAddress().getPort(), Clock.systemUTC());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.run(Duration.ofSeconds(1)));
      assertTrue(e.getMessage().contains("503"), e.getMessage());
    } finally {
      s.stop(0);
    }
  }

  @Test
  void aSecondGateInTheProcessJoinsTheFirstWarmupAndItRunsOnce() throws Exception {
    var slot = new AtomicReference<CompletableFuture<Void>>();
    var meters = new SimpleMeterRegistry();
    AtomicInteger built = new AtomicInteger();
    ServerPolicy policy = policy();
    Supplier<GateWarmup> warmup = () -> {
      built.incrementAndGet();
      return new GateWarmup(policy, null, () -> 0, Clock.systemUTC());
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
    HttpServer s = server(500, new CopyOnWriteArrayList<>());
    try {
      ServerPolicy policy = policy();
      var meters = new SimpleMeterRegistry();
      CompletableFuture<Void> done = GateWarmup.begin(() -> new GateWarmup(policy, null, () -> s.getAddress().getPort(), Clock.systemUTC()),
          Duration.ofSeconds(5), meters, new AtomicReference<>(), GateWarmup.OVERRUN);
      done.get(30, TimeUnit.SECONDS);
      assertFalse(done.isCompletedExceptionally());
      assertEquals(0, meters.timer("tollgate.gate.warmup").count(), "no time recorded for a failed warm-up");
    } finally {
      s.stop(0);
    }
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
}
