package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5's proof, end to end with every real probe on a real broker: a release over a recorded production deploy
 * whose only problem is a {@code :latest} image → NO_GO with that reason; one whose only problem is a destructive
 * migration declared forward-only with its reason → GO with that warning.
 */
class RollbackReadinessIT {
  static final String CONFIG = """
      tenants: [acme]
      environments:
        production: {overrides: {approvers: [alice], notOverridable: []}}
      """;
  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: shop
      spec:
        replicas: 3
        revisionHistoryLimit: 5
        progressDeadlineSeconds: 300
        strategy:
          type: RollingUpdate
          rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
        template:
          spec:
            containers:
              - name: web
                image: %s
                ports: [{containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
      """;

  @TempDir
  Path tmp;
  TestInstallation tollgate;
  FixtureRepo repo;

  @BeforeEach
  void releaseOneRunsInProduction() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), CONFIG);
    tollgate.startGate();
    tollgate.startWorker("w1");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("db/migration/V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flag boolean);");
    files.put("db/migration/U1__init.sql", "DROP TABLE users;");
    files.put("src/main/java/app/Users.java", "package app;\nclass Users { String q = \"SELECT id, email FROM users\"; }\n");
    files.put("k8s/shop.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop:1.4.2"));
    repo = FixtureRepo.create(tmp.resolve("repo")).commit(files, "release 1").deployed();
    // Release 1 went out as Tollgate decided (only then is it the baseline the next release is checked from).
    tollgate.trust(repo.dir().toString(), "acme", "production", repo.baseline());
    // The CD system reports the deploy (a deployReporter token: release 1 was not its request): the rollback target,
    // its image digest and how long it took (70 s, inside the budget).
    Api ci = tollgate.api(TestInstallation.DEPLOY_REPORTER);
    Api.Response recorded = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":"
        + "\"production\",\"commit\":\"" + repo.baseline() + "\",\"status\":\"succeeded\",\"deploymentId\":\"ci-41\","
        + "\"artifactDigest\":\"sha256:" + "ab".repeat(32) + "\",\"startedAt\":\"2026-11-25T10:00:00Z\","
        + "\"finishedAt\":\"2026-11-25T10:01:10Z\"}");
    assertEquals(202, recorded.status(), recorded.body());
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); System.nanoTime() < until; ) { // the gate's view reads the deploy back from Kafka before evaluations see it
      if (ci.get("/api/v1/deployments?repository=" + repo.dir() + "&environment=production").json()
          .path("deploys").size() > 0) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the recorded deploy never showed up in the history");
  }

  @AfterEach
  void stop() throws Exception {
    tollgate.close();
  }

  @Test
  void aLatestImageIsTheOnlyProblemAndBlocksWithThatReason() {
    repo.commit("k8s/shop.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop:latest"));
    JsonNode v = evaluate();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals(repo.baseline(), v.path("baseline").asText(), "the recorded deploy is the baseline");
    List<String> reasons = new ArrayList<>();
    v.path("verdict").path("reasons").forEach(r -> reasons.add(r.path("message").asText()));
    assertEquals(1, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).contains("probe rollback failed"), reasons.toString());
    assertEquals(List.of("BLOCK rollback/mutable-image k8s/shop.yaml:16"), unsafeFindings(v));
    JsonNode finding = EvaluationRoundTripIT.findProbe(v, "rollback").path("findings").get(0);
    assertTrue(finding.path("message").asText().startsWith("`ghcr.io/acme/shop:latest` in container `web` of Deployment"
        + " `shop`: `:latest` names whatever was pushed last"), finding.toString());
    assertTrue(finding.path("fix").asText().contains("ghcr.io/acme/shop@sha256:<digest>"), finding.toString());
  }

  @Test
  void aForwardOnlyMigrationDeclaredWithItsReasonIsGoWithAWarning() throws Exception {
    // The declaration is a waiver, so it ships in a deploy of its own: a range cannot waive what it ships itself
    // (docs/security.md, Repository author; RepositoryPolicyTest.aForwardOnlyWaiverWrittenWithTheMigrationItWaivesStillBlocks).
    repo.commit(".tollgate.yml", """
        version: 1
        rollback:
          forwardOnly:
            db/migration/V2__drop_legacy_flag.sql: "legacy flags archived to users_legacy_flags first (OPS-1207)"
        """);
    String declared = repo.head();
    tollgate.trust(repo.dir().toString(), "acme", "production", declared);
    // Reported by the CD system (a deployReporter token): the GO above was the admin's, so the requester's report of it
    // would be recorded without standing and the declaration would never become the baseline.
    Api ci = tollgate.api(TestInstallation.DEPLOY_REPORTER);
    Api.Response recorded = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":"
        + "\"production\",\"commit\":\"" + declared + "\",\"status\":\"succeeded\",\"deploymentId\":\"ci-42\","
        + "\"artifactDigest\":\"sha256:" + "cd".repeat(32) + "\",\"startedAt\":\"2026-11-25T11:00:00Z\","
        + "\"finishedAt\":\"2026-11-25T11:01:10Z\"}");
    assertEquals(202, recorded.status(), recorded.body());
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000));
        System.nanoTime() < until && ci.get("/api/v1/deployments?repository=" + repo.dir() + "&environment=production")
            .json().path("deploys").size() < 2; ) {
      Thread.sleep(50); // the gate's view reads the deploy back from Kafka before evaluations see it
    }
    try (LogCapture logs = new LogCapture()) {
      Map<String, String> files = new LinkedHashMap<>();
      // The contract step of expand/contract: release 1 no longer reads legacy_flag, so both probes let the drop through.
      files.put("db/migration/V2__drop_legacy_flag.sql",
          "SET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN legacy_flag;\n");
      repo.commit(files, "release 2: drop the legacy flag");
      JsonNode v = evaluate();
      assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
      assertEquals(List.of("WARN rollback/irreversible-migration db/migration/V2__drop_legacy_flag.sql:1"),
          unsafeFindings(v));
      JsonNode rollback = EvaluationRoundTripIT.findProbe(v, "rollback");
      assertEquals("WARN", rollback.path("status").asText(), rollback.toString());
      String message = rollback.path("findings").get(0).path("message").asText();
      assertTrue(message.contains("drops column `users.legacy_flag`") && message.contains("is declared forward-only:"
          + " \"legacy flags archived to users_legacy_flags first (OPS-1207)\""), message);
      assertTrue(v.path("verdict").path("reasons").toString().contains("probe rollback warned"), v.toString());
      List<String> loud = logs.lines().stream().filter(l -> (l.startsWith("WARN ") || l.startsWith("ERROR "))
          && l.contains(" dev.tollgate.")).toList();
      assertEquals(List.of(), loud, "a happy path logs nothing above INFO");
    }
  }

  JsonNode evaluate() {
    return tollgate.api().evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\",\"candidate\":\""
        + repo.head() + "\"}", 30).json();
  }

  /** {@code SEVERITY rule file:line} of every WARN or BLOCK finding of every probe. */
  static List<String> unsafeFindings(JsonNode view) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : view.path("probes")) {
      for (JsonNode f : p.path("findings")) {
        String severity = f.path("severity").asText();
        if (!severity.equals("INFO")) {
          out.add(severity + " " + f.path("ruleId").asText() + " " + f.path("file").asText() + ":" + f.path("line").asInt());
        }
      }
    }
    return out;
  }
}
