package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A NO_GO whose only reason is a window that ends by itself is held and re-evaluated when the window ends
 * (GitLab checks its freezes only when a pipeline is created, gitlab#336354; Tollgate does not stop there).
 */
class HoldAndResumeIT {
  @TempDir
  Path tmp;

  @Test
  void aHeldNoGoBecomesGoWhenTheWindowEnds() throws Exception {
    java.util.concurrent.atomic.AtomicReference<java.util.function.Supplier<Instant>> window =
        new java.util.concurrent.atomic.AtomicReference<>(() -> Instant.MAX);
    String config = """
        tenants: [acme]
        environments:
          production: {probes: {window: {}, pass: {}}}
          strict: {holdOnWindows: false, probes: {window: {}}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.window(() -> window.get().get()), TestProbes.PASS), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\",\"candidate\":\"" + repo.head() + "\"}";
      TestProbes.LazyWindow three = new TestProbes.LazyWindow(java.time.Duration.ofSeconds(3));
      window.set(three);
      JsonNode first = tollgate.api().evaluate(body, 30).json();
      Instant windowEnds = three.end();
      assertEquals("NO_GO", first.path("verdict").path("decision").asText(), first.toString());
      assertTrue(first.path("verdict").path("held").asBoolean(), first.toString());
      assertEquals(windowEnds.toString(), first.path("verdict").path("retryAt").asText());

      String id = first.path("id").asText();
      JsonNode latest = first;
      long deadline = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofSeconds(20));
      while (latest.path("verdict").path("revision").asInt() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        latest = tollgate.api().get("/api/v1/evaluations/" + id).json();
      }
      assertEquals(2, latest.path("verdict").path("revision").asInt(), latest.toString());
      assertEquals("GO", latest.path("verdict").path("decision").asText());
      assertTrue(!Instant.parse(latest.path("verdict").path("decidedAt").asText()).isBefore(windowEnds));

      window.set(new TestProbes.LazyWindow(java.time.Duration.ofSeconds(60)));
      String strict = body.replace("production", "strict");
      JsonNode rejected = tollgate.api().evaluate(strict, 30).json();
      assertEquals("NO_GO", rejected.path("verdict").path("decision").asText());
      assertTrue(!rejected.path("verdict").path("held").asBoolean(), "holdOnWindows: false rejects at once");
    }
  }
}
