package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker restarts while an evaluation is in flight (its data dir kept, as the all-in-one does): gate, aggregator
 * and workers reconnect, nothing is lost, and the verdict arrives. Uses its own broker.
 */
class BrokerRestartIT {
  @TempDir
  Path tmp;

  @Test
  void anEvaluationInFlightSurvivesABrokerRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path kafkaDir = tmp.resolve("kafka");
    EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, port);
    TestProbes.Gate slow = new TestProbes.Gate();
    String config = """
        tenants: [acme]
        environments:
          production: {probes: {slow: {deadline: 90s}, pass: {deadline: 90s}}}
        """;
    TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(slow.probe(), TestProbes.PASS), config);
    try {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      Api.Response accepted = tollgate.api().post("/api/v1/evaluations", "{\"repository\":\"" + repo.dir()
          + "\",\"environment\":\"production\",\"candidate\":\"" + repo.head() + "\"}");
      assertEquals(202, accepted.status(), accepted.body());
      String id = accepted.json().path("id").asText();
      assertTrue(slow.awaitEntered(30));

      broker.close();
      slow.release(); // the worker finishes while the broker is down: its result must wait, not vanish
      Thread.sleep(3000);
      broker = EmbeddedKafka.start(kafkaDir, port);

      JsonNode v = tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=60").json();
      assertEquals("COMPLETE", v.path("status").asText(), v.toString());
      assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    } finally {
      tollgate.close();
      broker.close();
    }
  }
}
