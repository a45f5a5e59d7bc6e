package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #6's proof with the real probes: what goes to production must have passed staging. Staging GO, its deploy
 * recorded, production GO for the same commit; production for a commit staging never saw → NO_GO with the reason.
 */
class PromotionIT {
  @TempDir
  Path tmp;

  @Test
  void productionOnlyTakesWhatStagingPassedAndDeployed() throws Exception {
    String config = """
        tenants: [acme]
        environments:
          staging: {}
          production: {}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        ProbeRegistry.production(), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit(Map.of(
          ".tollgate.yml", "version: 1\nenvironments:\n  production:\n    promotesFrom: staging\n",
          "config/application-staging.yml", "server:\n  port: 8080\nfeature:\n  checkout: true\n",
          "config/application-production.yml", "server:\n  port: 80\nfeature:\n  checkout: true\n"), "release 1");
      Api api = tollgate.api();
      JsonNode staging = api.evaluate(body(repo, "staging", repo.head()), 30).json();
      assertEquals("GO", staging.path("verdict").path("decision").asText(), staging.toString());

      Api.Response deployed = api.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\","
          + "\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\"}");
      assertEquals(202, deployed.status(), deployed.body());

      JsonNode production = null;
      for (int i = 0; i < 50; i++) { // the gate's view reads the deploy back from Kafka before the history is attached
        production = api.evaluate(body(repo, "production", repo.head()), 30).json();
        if ("GO".equals(production.path("verdict").path("decision").asText())) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("GO", production.path("verdict").path("decision").asText(), production.toString());

      repo.commit("config/application-production.yml", "server:\n  port: 80\nfeature:\n  checkout: false\n");
      JsonNode unseen = api.evaluate(body(repo, "production", repo.head()), 30).json();
      assertEquals("NO_GO", unseen.path("verdict").path("decision").asText(), unseen.toString());
      String reasons = unseen.path("verdict").path("reasons").toString();
      assertTrue(reasons.contains("probe parity failed"), reasons);
      JsonNode finding = EvaluationRoundTripIT.findProbe(unseen, "parity").path("findings").get(0);
      assertEquals("parity/promotion-proof", finding.path("ruleId").asText());
      assertTrue(finding.path("message").asText().contains("never deployed to staging"), finding.toString());
    }
  }

  static String body(FixtureRepo repo, String environment, String candidate) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"candidate\":\"" + candidate + "\"}";
  }
}
