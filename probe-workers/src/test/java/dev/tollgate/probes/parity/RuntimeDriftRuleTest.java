package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDriftRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RuntimeDriftRule());
  @TempDir Path dir;

  @Test
  void flagsVersionPinsThatDifferPerEnvironmentDirectory() {
    var repo = repo(dir,
        "envs/staging/.tool-versions", "nodejs 20.11.0\njava temurin-21.0.2\n",
        "envs/production/.tool-versions", "nodejs 18.19.0\njava temurin-21.0.2\n",
        "envs/staging/.nvmrc", "20\n",
        "envs/production/pom.xml", "<project><properties><java.version>17</java.version></properties></project>\n",
        "envs/staging/pom.xml", "<project><properties><java.version>21</java.version></properties></project>\n");
    harness.assertViolations(repo, """
        WARN parity/runtime-drift envs/production/.tool-versions:1
          1 version differing between staging and production:
          - nodejs: staging 20.11.0 vs production 18.19.0
        WARN parity/runtime-drift envs/production/pom.xml:1
          1 version differing between staging and production:
          - java.version: staging 21 vs production 17
        """);
  }

  @Test
  void flagsInfrastructureVersionsInTfvars() {
    var repo = repo(dir,
        "terraform/staging.tfvars", "postgres = { engine_version = \"16.2\" }\nlambda_runtime = \"java21\"\n",
        "terraform/production.tfvars", "postgres = { engine_version = \"15.6\" }\nlambda_runtime = \"java21\"\n",
        "deploy/Dockerfile.staging", "FROM node:20\n",
        "deploy/Dockerfile.production", "FROM node:20\n");
    harness.assertViolations(repo, """
        WARN parity/runtime-drift terraform/production.tfvars:1
          1 version differing between staging and production:
          - postgres.engine_version: staging "16.2" vs production "15.6"
        """);
  }

  @Test
  void flagsAPinDeclaredForOneEnvironmentOnly() {
    // Declared layers pair whatever the files are called: staging pins node, production's layers do not.
    var repo = repo(dir,
        ".tollgate.yml", """
            environments:
              staging: {config: [web/staging.env, web/.nvmrc]}
              production: {promotesFrom: staging, config: [web/production.env]}
            """,
        "web/staging.env", "A=1\n", "web/production.env", "A=1\n", "web/.nvmrc", "20.11.0\n");
    harness.withHistory(ParityFixtures.passedIn("staging")).assertViolations(repo, """
        WARN parity/runtime-drift web/.nvmrc:1
          1 version differing between staging and production:
          - node: staging 20.11.0 vs production (not pinned)
        """);
  }

  @Test
  void passesWhenVersionsMatchAndManifestApiVersionsDiffer() {
    // Safe: same runtime pins; apiVersion is the manifest's schema, not something the service runs on.
    var repo = repo(dir,
        "envs/staging/.tool-versions", "nodejs 20.11.0\n",
        "envs/production/.tool-versions", "nodejs 20.11.0\n",
        "k8s/overlays/staging/hpa.yaml", "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\n",
        "k8s/overlays/production/hpa.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: api}\n");
    harness.assertNoViolations(repo);
  }
}
