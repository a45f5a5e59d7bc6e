package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.ProbeWorkers;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missing, late or broken → NO_GO with a reason, and nothing accepted is lost: a probe past its deadline, a
 * worker killed mid-check, a gate restarted mid-evaluation.
 */
class FailClosedIT {
  @TempDir
  Path tmp;

  String request(FixtureRepo repo, String environment) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + repo.head() + "\"}";
  }

  @Test
  void aProbePastItsDeadlineMakesANoGoNamingIt() throws Exception {
    TestProbes.Gate slow = new TestProbes.Gate();
    String config = """
        tenants: [acme]
        environments:
          production:
            probes: {pass: {deadline: 20s}, slow: {deadline: 1500ms}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, slow.probe()), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      Api.Response r = tollgate.api().evaluate(request(repo, "production"), 30);
      slow.release();
      JsonNode v = r.json();
      assertEquals("NO_GO", v.path("verdict").path("decision").asText(), r.body());
      JsonNode reason = v.path("verdict").path("reasons").get(0);
      assertEquals("PROBE_TIMED_OUT", reason.path("code").asText());
      assertEquals("probe slow gave no result within 1.5s", reason.path("message").asText());
      long ms = v.path("verdict").path("durationMs").asLong();
      assertTrue(ms >= 1500 && ms < 10_000, "decided at the deadline, not before and not much after: " + ms);
    }
  }

  @Test
  void aWorkerKilledMidCheckLeavesTheCheckToAnotherWorkerAndTheVerdictStillArrives() throws Exception {
    TestProbes.Gate slow = new TestProbes.Gate();
    String config = """
        tenants: [acme]
        environments:
          production:
            probes: {slow: {deadline: 60s}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(slow.probe()), config)) {
      tollgate.startGate();
      ProbeWorkers first = tollgate.startWorker("first");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String id = tollgate.api().post("/api/v1/evaluations", request(repo, "production")).json().path("id").asText();
      assertTrue(slow.awaitEntered(30), "the first worker never started the check");
      first.halt(); // like kill -9: no result, no commit
      slow.release();
      tollgate.startWorker("second");
      JsonNode v = tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=60").json();
      assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
      assertEquals("second", v.path("probes").get(0).path("worker").asText(), "the redelivered check ran on the survivor");
    }
  }

  @Test
  void aGateRestartedMidEvaluationStillDecidesAndStillShowsTheEvaluation() throws Exception {
    TestProbes.Gate slow = new TestProbes.Gate();
    String config = """
        tenants: [acme]
        environments:
          production:
            probes: {slow: {deadline: 60s}, pass: {deadline: 60s}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(slow.probe(), TestProbes.PASS), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String id = tollgate.api().post("/api/v1/evaluations", request(repo, "production")).json().path("id").asText();
      assertTrue(slow.awaitEntered(30));
      tollgate.stopGate();
      slow.release(); // the result is published while no gate runs
      tollgate.startGate();
      JsonNode v = tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=60").json();
      assertEquals("COMPLETE", v.path("status").asText(), v.toString());
      assertEquals("GO", v.path("verdict").path("decision").asText());
      assertEquals(2, v.path("probes").size());
      // The verdict was reached once: the view shows the first and only revision.
      assertEquals(Duration.ZERO.isZero(), v.path("verdict").path("decidedAt").isTextual());
    }
  }
}
