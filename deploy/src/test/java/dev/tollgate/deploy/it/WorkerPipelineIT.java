package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.ProbeWorkers;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker has no batch barrier (issue #24: a check waited for every check polled with it, and the next poll waited
 * for their commit): a slow check delays only itself, and nothing finished after it is committed past it.
 */
class WorkerPipelineIT {
  @TempDir
  Path tmp;

  static final String CONFIG = """
      tenants: [acme]
      worker: {concurrency: 2}
      environments:
        staging:
          probes: {slow: {deadline: 60s}}
        production:
          probes: {pass: {deadline: 20s}}
      """;

  static String request(FixtureRepo repo, String environment) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + repo.head() + "\"}";
  }

  /** The partition of {@code checks.requested} a check of evaluation {@code id} goes to (its key, the producer's hash). */
  static int partition(String id) {
    return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % TestInstallation.PARTITIONS;
  }

  @Test
  void aSlowCheckDoesNotHoldTheEvaluationsAfterIt() throws Exception {
    TestProbes.Gate slow = new TestProbes.Gate();
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(slow.probe(), TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String held = tollgate.api().post("/api/v1/evaluations", request(repo, "staging")).json().path("id").asText();
      assertTrue(slow.awaitEntered(30), "the worker never started the slow check");
      try {
        // Before: the loop waited for the slow check's batch before it polled again, so these waited with it.
        for (int i = 0; i < 3; i++) {
          JsonNode v = tollgate.api().evaluate(request(repo, "production"), 20).json();
          assertEquals("GO", v.path("verdict").path("decision").asText(), "decided while the slow check still runs: " + v);
        }
        JsonNode stillHeld = tollgate.api().get("/api/v1/evaluations/" + held).json();
        assertEquals("PENDING", stillHeld.path("status").asText(), stillHeld.toString());
      } finally {
        slow.release();
      }
      JsonNode v = tollgate.api().get("/api/v1/evaluations/" + held + "?waitSeconds=30").json();
      assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    }
  }

  @Test
  void aWorkerKilledAfterLaterChecksFinishedStillLeavesTheSlowOneToAnotherWorker() throws Exception {
    TestProbes.Gate slow = new TestProbes.Gate();
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(slow.probe(), TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      ProbeWorkers first = tollgate.startWorker("first");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String held = tollgate.api().post("/api/v1/evaluations", request(repo, "staging")).json().path("id").asText();
      assertTrue(slow.awaitEntered(30), "the first worker never started the slow check");
      // Checks after the slow one on its partition finish and are published; committing their offsets would commit
      // the slow check's too, and the kill below would lose it. Without one on its partition nothing is tested.
      List<String> sharing = new ArrayList<>();
      for (int i = 0; i < 24 && sharing.size() < 3; i++) {
        JsonNode v = tollgate.api().evaluate(request(repo, "production"), 20).json();
        assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
        String id = v.path("id").asText();
        if (partition(id) == partition(held)) {
          sharing.add(id);
        }
      }
      assertFalse(sharing.isEmpty(), "no finished check shares the slow check's partition");
      // Let an asynchronous commit of the finished prefix go out before the kill (the worker commits within 50 ms).
      Thread.sleep(300);
      first.halt(); // like kill -9: the slow check's result is never published
      slow.release();
      tollgate.startWorker("second");
      JsonNode v = tollgate.api().get("/api/v1/evaluations/" + held + "?waitSeconds=60").json();
      assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
      assertEquals("second", v.path("probes").get(0).path("worker").asText(), "the slow check was redelivered: " + v);
    }
  }
}
