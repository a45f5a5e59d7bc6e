package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's open and held evaluations survive a restart of the only gate: the new gate's Streams task restores
 * the store from its changelog and files every evaluation again under the time it is due (the tick reads nothing
 * else), so a probe that never answers still times out at its deadline, a held NO_GO is still re-evaluated when its
 * window ends, and a decided evaluation is not decided again.
 */
class AggregatorRestartIT {
  @TempDir
  Path tmp;

  @Test
  void openAndHeldEvaluationsAreDecidedOnTimeByTheNextGate() throws Exception {
    AtomicReference<Instant> windowEnds = new AtomicReference<>(Instant.MAX);
    TestProbes.Gate hanging = new TestProbes.Gate();
    String config = """
        tenants: [acme]
        environments:
          production: {probes: {slow: {deadline: 45s}}}
          staging: {probes: {window: {}}}
          development: {probes: {pass: {}}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(hanging.probe(), TestProbes.window(windowEnds::get), TestProbes.PASS), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"%s\",\"candidate\":\"" + repo.head() + "\"}";

      JsonNode decided = tollgate.api().evaluate(body.formatted("development"), 30).json();
      assertEquals("GO", decided.path("verdict").path("decision").asText(), decided.toString());
      windowEnds.set(Instant.now().plusSeconds(40));
      JsonNode held = tollgate.api().evaluate(body.formatted("staging"), 30).json();
      assertTrue(held.path("verdict").path("held").asBoolean(), held.toString());
      Api.Response accepted = tollgate.api().post("/api/v1/evaluations", body.formatted("production"));
      assertEquals(202, accepted.status(), accepted.body());
      String open = accepted.json().path("id").asText();
      assertTrue(hanging.awaitEntered(30), "the probe that never answers is running");
      assertEquals("PENDING", tollgate.api().get("/api/v1/evaluations/" + open).json().path("status").asText());

      tollgate.stopGate(); // with the evaluation open, and the other held
      tollgate.startGate();

      JsonNode timedOut = tollgate.api().get("/api/v1/evaluations/" + open + "?waitSeconds=60").json();
      assertEquals("NO_GO", timedOut.path("verdict").path("decision").asText(), timedOut.toString());
      // Timed out by the new gate's tick; or, had the restart outlasted the deadline by a second, by the worker's ERROR
      // for the same check (it gives up at the deadline too): NO_GO either way, never later than that.
      assertTrue(timedOut.path("verdict").path("reasons").get(0).path("message").asText().matches(
          "probe slow (gave no result within 45s|could not decide.*)"), timedOut.toString());
      Instant requestedAt = Instant.parse(timedOut.path("requestedAt").asText());
      assertFalse(Instant.parse(timedOut.path("verdict").path("decidedAt").asText()).isBefore(requestedAt.plusSeconds(45)),
          "decided at its deadline, not before");

      String heldId = held.path("id").asText();
      JsonNode resumed = held;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (resumed.path("verdict").path("revision").asInt() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        resumed = tollgate.api().get("/api/v1/evaluations/" + heldId).json();
      }
      assertEquals("GO", resumed.path("verdict").path("decision").asText(), resumed.toString());
      assertFalse(Instant.parse(resumed.path("verdict").path("decidedAt").asText()).isBefore(windowEnds.get()));

      JsonNode still = tollgate.api().get("/api/v1/evaluations/" + decided.path("id").asText()).json();
      assertEquals(1, still.path("verdict").path("revision").asInt(), "a decided evaluation stays decided: " + still);
    } finally {
      hanging.release();
    }
  }
}
