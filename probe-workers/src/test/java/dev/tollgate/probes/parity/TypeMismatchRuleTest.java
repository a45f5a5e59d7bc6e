package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypeMismatchRuleTest {
  private final RuleHarness harness = RuleHarness.of(new TypeMismatchRule());
  @TempDir Path dir;

  @Test
  void flagsNumberVersusStringAndScalarVersusListInHelmValues() {
    var repo = repo(dir,
        "chart/values-staging.yaml", "replicas: 2\nhosts: [a.example.com]\ntimeout: 30\n",
        "chart/values-production.yaml", "replicas: \"2\"\nhosts: a.example.com\ntimeout: 45\n");
    harness.assertViolations(repo, """
        BLOCK parity/type-mismatch chart/values-production.yaml:1
          2 keys with a different type in staging and production:
          - hosts: staging [a.example.com] (list) vs production "a.example.com" (string)
          - replicas: staging 2 (number) vs production "2" (string)
        """);
  }

  @Test
  void flagsDotenvValuesThatNoLongerParseAsTheSameType() {
    var repo = repo(dir, ".env.staging", "WORKERS=4\nDEBUG=false\n", ".env.production", "WORKERS=auto\nDEBUG=false\n");
    harness.assertViolations(repo, """
        BLOCK parity/type-mismatch .env.production:1
          1 key with a different type in staging and production:
          - WORKERS: staging 4 (number) vs production auto (string)
        """);
  }

  @Test
  void flagsTfvarsTypesWithoutPrintingSecretKeys() {
    var repo = repo(dir,
        "infra/staging.tfvars", "instance_count = 2\ndb_password = 12345\n",
        "infra/production.tfvars", "instance_count = \"2\"\ndb_password = \"hunter2\"\n");
    harness.assertViolations(repo, """
        BLOCK parity/type-mismatch infra/production.tfvars:1
          1 key with a different type in staging and production:
          - instance_count: staging 2 (number) vs production "2" (string)
        """);
  }

  @Test
  void passesWhenSpringCoercesQuotedNumbers() {
    // Safe: Spring binds "8080" and 8080 to the same int; its files compare what the text looks like.
    var repo = repo(dir,
        "src/main/resources/application-staging.yml", "server:\n  port: \"8080\"\n",
        "src/main/resources/application-production.properties", "server.port=80\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesWhenOnlyValuesDiffer() {
    // Safe: different values of one type are what environments are for.
    var repo = repo(dir, "config/staging.json", "{\"db\": {\"pool\": 5, \"host\": \"db-s\"}}",
        "config/production.json", "{\"db\": {\"pool\": 50, \"host\": \"db-p\"}}");
    harness.assertNoViolations(repo);
  }
}
