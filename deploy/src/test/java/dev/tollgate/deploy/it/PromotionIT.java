package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
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

  /**
   * Attack: anyone with a requester token reports someone else's commit as deployed to staging. Before reporters were
   * judged, that record alone was the promotion proof for production. Now it is recorded (shown, not vouched) and
   * proves nothing; the report of the token that requested the staging GO does.
   */
  @Test
  void aDeployReportOfSomeoneElsesCommitIsNoPromotionProofTheRequestersOwnIs() throws Exception {
    try (TestInstallation tollgate = stagingAndProduction()) {
      FixtureRepo repo = release(tmp.resolve("repo"));
      Api ci = tollgate.api(TestInstallation.REQUESTER);
      Api bob = tollgate.api(TestInstallation.BOB);
      JsonNode staging = ci.evaluate(body(repo, "staging", repo.head()), 30).json();
      assertEquals("GO", staging.path("verdict").path("decision").asText(), staging.toString());
      String deployment = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"commit\":\"" + repo.head()
          + "\",\"status\":\"succeeded\"}";

      Api.Response forged = bob.post("/api/v1/deployments", deployment);
      assertEquals(202, forged.status(), forged.body());
      assertFalse(forged.json().path("vouched").asBoolean(), forged.body());
      assertTrue(forged.json().path("reason").asText().contains("deployReporter"), forged.body());
      // The view has read it (the same index the promotion proof comes from) before production is evaluated.
      JsonNode shown = awaitDeploys(ci, repo, 1);
      assertEquals("TOKEN", shown.get(0).path("reportedBy").path("kind").asText(), shown.toString());
      assertEquals("bob", shown.get(0).path("reportedBy").path("id").asText(), shown.toString());
      assertFalse(shown.get(0).path("vouched").asBoolean(), shown.toString());
      JsonNode refused = ci.evaluate(body(repo, "production", repo.head()), 30).json();
      assertEquals("NO_GO", refused.path("verdict").path("decision").asText(), refused.toString());
      JsonNode finding = EvaluationRoundTripIT.findProbe(refused, "parity").path("findings").get(0);
      assertEquals("parity/promotion-proof", finding.path("ruleId").asText(), refused.toString());

      Api.Response own = ci.post("/api/v1/deployments", deployment);
      assertEquals(202, own.status(), own.body());
      assertTrue(own.json().path("vouched").asBoolean(), own.body());
      assertTrue(awaitDeploys(ci, repo, 2).get(0).path("vouched").asBoolean());
      JsonNode production = ci.evaluate(body(repo, "production", repo.head()), 30).json();
      assertEquals("GO", production.path("verdict").path("decision").asText(), production.toString());
    }
  }

  /**
   * Griefing (review finding 2): bob gets the first GO of ci's commit in staging; ci then gets its own GO and reports
   * its own deploy without naming its evaluation. The report stands on ci's own GO, not only on the first one: it is
   * vouched for and proves the promotion. Then, the views lagging (finding 3): a report naming an evaluation this
   * gate does not know is answered 503 with Retry-After after a bounded wait, and nothing is recorded.
   */
  @Test
  void aPipelinesOwnReportCountsWhenSomeoneElseGotTheFirstGoAndOneNamingAnUnknownEvaluationIsRetried() throws Exception {
    try (TestInstallation tollgate = stagingAndProduction()) {
      FixtureRepo repo = release(tmp.resolve("repo"));
      Api ci = tollgate.api(TestInstallation.REQUESTER);
      Api bob = tollgate.api(TestInstallation.BOB);
      JsonNode first = bob.evaluate(body(repo, "staging", repo.head()), 30).json();
      assertEquals("GO", first.path("verdict").path("decision").asText(), first.toString());
      JsonNode own = ci.evaluate(body(repo, "staging", repo.head()), 30).json();
      assertEquals("GO", own.path("verdict").path("decision").asText(), own.toString());

      Api.Response lagging = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
          + "\",\"environment\":\"staging\",\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\","
          + "\"deploymentId\":\"ci-2\",\"evaluationId\":\"not-known-here\"}");
      assertEquals(503, lagging.status(), lagging.body());
      assertEquals("5", lagging.header("Retry-After"));
      assertTrue(lagging.body().contains("nothing was recorded"), lagging.body());

      Api.Response report = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
          + "\",\"environment\":\"staging\",\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\","
          + "\"deploymentId\":\"ci-1\"}");
      assertEquals(202, report.status(), report.body());
      assertTrue(report.json().path("vouched").asBoolean(), report.body());
      JsonNode shown = awaitDeploys(ci, repo, 1);
      assertEquals(1, shown.size(), "the 503 recorded nothing: " + shown);
      assertEquals("ci-1", shown.get(0).path("deploymentId").asText(), shown.toString());
      assertEquals("REQUESTER", shown.get(0).path("standing").asText(), shown.toString());
      JsonNode production = ci.evaluate(body(repo, "production", repo.head()), 30).json();
      assertEquals("GO", production.path("verdict").path("decision").asText(), production.toString());
    }
  }

  /** A gate and a worker with staging and production (the real probes). */
  private TestInstallation stagingAndProduction() throws Exception {
    TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(),
        """
        tenants: [acme]
        environments:
          staging: {}
          production: {}
        """);
    try {
      tollgate.startGate();
      tollgate.startWorker("w1");
    } catch (Exception | AssertionError e) {
      tollgate.close();
      throw e;
    }
    return tollgate;
  }

  /** A repository whose production takes only what staging passed and deployed, at its first release. */
  private static FixtureRepo release(Path dir) {
    return FixtureRepo.create(dir).commit(Map.of(
        ".tollgate.yml", "version: 1\nenvironments:\n  production:\n    promotesFrom: staging\n",
        "config/application-staging.yml", "server:\n  port: 8080\n",
        "config/application-production.yml", "server:\n  port: 80\n"), "release 1");
  }

  private static JsonNode awaitDeploys(Api api, FixtureRepo repo, int count) throws InterruptedException {
    JsonNode deploys = null;
    for (long until = Waits.deadline(Duration.ofSeconds(30)); System.nanoTime() < until; ) {
      deploys = api.get("/api/v1/deployments?repository=" + repo.dir() + "&environment=staging").json().path("deploys");
      if (deploys.size() >= count) {
        return deploys;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the view never showed " + count + " deploys: " + deploys);
  }

  static String body(FixtureRepo repo, String environment, String candidate) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"candidate\":\"" + candidate + "\"}";
  }
}
