package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka gone the gate accepts nothing it cannot keep: 503 with a clear body, readiness DOWN. Uses its own
 * broker (the shared one must stay up).
 */
class KafkaOutageIT {
  @TempDir
  Path tmp;

  @Test
  void whenKafkaIsDownRequestsGet503AndReadinessGoesDown() throws Exception {
    EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    String config = """
        tenants: [acme]
        environments:
          staging: {probes: {pass: {}}}
        """;
    TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.PASS),
        config);
    try {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head() + "\"}";
      assertEquals("GO", tollgate.api().evaluate(body, 30).json().path("verdict").path("decision").asText());
      assertEquals(200, tollgate.api(null).get("/health/ready").status());

      broker.close();
      long started = System.nanoTime();
      Api.Response r = tollgate.api().post("/api/v1/evaluations", body, "application/json", "Idempotency-Key", "outage-1");
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, r.status(), r.body());
      assertEquals("Kafka unavailable", r.json().path("title").asText());
      assertEquals("5", r.header("Retry-After"));
      assertTrue(ms < 9_000, "answered within GitHub's 10 s webhook timeout: " + ms + " ms");

      Api.Response ready = null;
      for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(20000)); System.nanoTime() < until; ) {
        ready = tollgate.api(null).get("/health/ready");
        if (ready.status() == 503) {
          break;
        }
        Thread.sleep(200);
      }
      assertEquals(503, ready.status(), ready.body());
      assertEquals("DOWN", ready.json().path("checks").path("kafka").asText());
    } finally {
      tollgate.close();
    }
  }
}
