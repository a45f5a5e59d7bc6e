package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingEnvKeyRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MissingEnvKeyRule());
  @TempDir Path dir;

  @Test
  void flagsKeysSetInOnlyOneEnvironmentBothWays() {
    var repo = repo(dir,
        "config/application.yml", "server:\n  port: 8080\n",
        "config/application-staging.yml", "cache:\n  ttl: 300\nserver:\n  port: 8081\npayments:\n  api-key: abc\n",
        "config/application-production.yml", "server:\n  port: 80\nmail:\n  host: smtp.internal\n");
    harness.assertViolations(repo, """
        BLOCK parity/missing-key config/application-production.yml:4
          1 key set in only one of staging and production:
          - mail.host: staging (missing) vs production smtp.internal
        BLOCK parity/missing-key config/application-staging.yml:2
          2 keys set in only one of staging and production:
          - cache.ttl: staging 300 vs production (missing)
          - payments.api-key: staging (set, redacted) vs production (missing)
        """);
  }

  @Test
  void flagsAStagingOverrideFileWithoutAProductionCounterpart() {
    // production runs on the base file alone: what staging overrides beyond the base is missing there.
    var repo = repo(dir,
        "helm/values.yaml", "replicas: 2\n",
        "helm/values-staging.yaml", "replicas: 1\nprofiling: true\n");
    harness.assertViolations(repo, """
        BLOCK parity/missing-key helm/values-staging.yaml:2
          1 key set in only one of staging and production:
          - profiling: staging true vs production (missing)
        """);
  }

  @Test
  void flagsMissingKeysInADeclaredChainWithOwnNames() {
    // Declared chain with names detection would not guess; files declared layer by layer.
    var repo = repo(dir,
        ".tollgate.yml", """
            environments:
              eu-preprod: {config: [deploy/eu/pre.env]}
              eu-live:
                promotesFrom: eu-preprod
                config: [deploy/eu/live.env]
            """,
        "deploy/eu/pre.env", "DB_HOST=db.pre\nDB_POOL=10\n",
        "deploy/eu/live.env", "DB_HOST=db.live\n");
    harness.in("eu-live").assertViolations(repo, """
        BLOCK parity/missing-key deploy/eu/pre.env:2
          1 key set in only one of eu-preprod and eu-live:
          - DB_POOL: eu-preprod 10 vs eu-live (missing)
        """);
  }

  @Test
  void passesWhenTheBaseFileSetsTheKeyForBoth() {
    // Safe: staging overrides a key production inherits from values.yaml; both environments have it.
    var repo = repo(dir,
        "helm/values.yaml", "replicas: 2\nimage:\n  tag: \"1.0\"\n",
        "helm/values-staging.yaml", "replicas: 1\n",
        "helm/values-production.yaml", "image:\n  tag: \"1.0\"\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesForDeclaredEnvironmentSpecificAndIgnoredKeys() {
    // Safe: the team declared these keys as differing on purpose.
    var repo = repo(dir,
        ".tollgate.yml", """
            defaults:
              specificKeys: ["ingress.*"]
            environments:
              production: {promotesFrom: staging, specificKeys: [debug]}
            parity:
              ignoreKeys: [annotations]
            """,
        ".env.staging", "X=1\n",
        "helm/values-staging.yaml", "debug: true\ningress:\n  host: staging.example.com\nannotations: {a: b}\n",
        "helm/values-production.yaml", "ingress:\n  tls: true\n");
    harness.withHistory(ParityFixtures.passedIn("staging")).assertViolations(repo, """
        BLOCK parity/missing-key .env.staging:1
          1 key set in only one of staging and production:
          - X: staging 1 vs production (missing)
        """);
    harness.withHistory(ParityFixtures.passedIn("staging")).assertNoViolations(
        ParityFixtures.repo(dir.resolve("second"),
            ".tollgate.yml", """
                defaults:
                  specificKeys: ["ingress.*"]
                environments:
                  production: {promotesFrom: staging, specificKeys: [debug]}
                parity:
                  ignoreKeys: [annotations]
                """,
            "helm/values-staging.yaml", "debug: true\ningress:\n  host: staging.example.com\nannotations: {a: b}\n",
            "helm/values-production.yaml", "ingress:\n  tls: true\n"));
  }

  @Test
  void passesWhenNoEnvironmentIsDeclaredOrDetected() {
    // Nothing to compare is not an error: the probe has no opinion on single-environment repositories.
    var repo = repo(dir, "config/application.yml", "server:\n  port: 8080\n", "apps/dev/package.json", "{\"a\": 1}");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesForTheFirstStageWhenNoEarlierStageHasFilesOfItsOwn() {
    // Regression (found by PromotionIT): staging was compared with "qa", which has no files at all, and every
    // staging key was reported missing there. An earlier stage is only inferred when it has its own files.
    var repo = repo(dir,
        "config/application-staging.yml", "server:\n  port: 8080\nfeature:\n  checkout: true\n",
        "config/application-production.yml", "server:\n  port: 80\nfeature:\n  checkout: true\n");
    harness.in("staging").assertNoViolations(repo);
  }
}
