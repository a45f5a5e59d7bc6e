package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe on real git repositories: scope (commit by commit, first deploy), allowlists, config errors. */
class SecretLeakageProbeTest {
  private final RuleHarness harness = RuleHarness.of(new SecretLeakageProbe());
  private final Canary canary = new Canary(3);

  @TempDir
  Path dir;

  @Test
  void flagsSecretAddedThenDeletedAndNamesTheCommitThatAddedIt() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("config/app.env", "LOG_LEVEL=info\nGITHUB_TOKEN=" + token + "\n");
    String introducing = repo.head();
    repo.delete("config/app.env");

    List<Finding> findings = harness.run(repo).findings();

    assertEquals(1, findings.size(), () -> RuleHarness.render(findings));
    Finding f = findings.get(0);
    assertEquals("secrets/github-pat-classic", f.ruleId());
    assertEquals("config/app.env", f.file());
    assertEquals(2, f.line());
    assertEquals(introducing, f.commit());
    assertEquals(Severity.BLOCK, f.severity());
  }

  @Test
  void flagsOnlyTheCommitThatIntroducedASecretChangedLater() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("app.env", "GITHUB_TOKEN=" + token + "\n");
    String first = repo.head();
    repo.commit("app.env", "# header\nGITHUB_TOKEN=" + token + "\n"); // the line moves: same secret, one finding

    List<Finding> findings = harness.run(repo).findings();

    assertEquals(1, findings.size(), () -> RuleHarness.render(findings));
    assertEquals(first, findings.get(0).commit());
  }

  @Test
  void passesSecretThatWasAlreadyDeployedBeforeTheRange() {
    // Safe for this deploy: the credential shipped with an earlier release; this range only adds a comment.
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.env", "GITHUB_TOKEN=" + canary.github() + "\n").deployed()
        .commit("README.md", "# docs only\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void flagsWholeTreeOnFirstDeploy() {
    String token = canary.stripe();
    FixtureRepo repo = FixtureRepo.create(dir).commit("billing/settings.py", "STRIPE_KEY = \"" + token + "\"\n")
        .commit("README.md", "# app\n");

    ProbeOutcome outcome = harness.run(repo);

    assertEquals(ProbeStatus.FAIL, outcome.status());
    assertEquals(List.of("secrets/stripe-live-secret-key billing/settings.py:1"), summary(outcome.findings()));
  }

  @Test
  void flagsSecretsInEveryCommitOfTheRange() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("a.env", "GITHUB_TOKEN=" + canary.github() + "\n")
        .commit("b.yaml", "aws:\n  key: " + canary.awsKeyId() + "\n")
        .commit("c.properties", "app.db.password=" + canary.password() + "\n");

    List<String> found = summary(harness.run(repo).findings());

    assertEquals(List.of("secrets/aws-access-key-id b.yaml:2", "secrets/generic-secret-unquoted c.properties:1",
        "secrets/github-pat-classic a.env:1"), found.stream().sorted().toList());
  }

  @Test
  void passesBinaryFilesWithoutAKey() {
    // A binary is read as its printable runs (a key inside one is found: AuthorEvasionTest); random bytes hold none.
    byte[] bytes = new byte[64 * 1024];
    new java.util.Random(7).nextBytes(bytes);
    bytes[0] = 0;
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed().commitBytes("img/logo.png", bytes);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesLineMarkedTollgateAllow() {
    // The author vouches for this line (a documented test credential).
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("test/fixtures.py", "TOKEN = \"" + canary.github() + "\"  # tollgate:allow test account\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesPathsAllowedInTollgateYml() {
    // fixtures/** is declared as test data in the repository's .tollgate.yml.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "secrets:\n  allowPaths: [\"fixtures/**\"]\n").deployed()
        .commit("fixtures/creds.json", "{\"token\": \"" + canary.github() + "\"}\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void flagsSameSecretOutsideTheAllowedPaths() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "secrets:\n  allowPaths: [\"fixtures/**\"]\n").deployed()
        .commit(Map.of("fixtures/creds.json", "{\"token\": \"" + token + "\"}\n", "src/creds.json", "{\"token\": \"" + token + "\"}\n"),
            "two copies");
    assertEquals(List.of("secrets/github-pat-classic src/creds.json:1"), summary(harness.run(repo).findings()));
  }

  @Test
  void passesStopwordDeclaredForTheRule() {
    // The team's local-development password contains their declared stopword.
    FixtureRepo repo = FixtureRepo.create(dir)
        .commit(".tollgate.yml", "secrets:\n  stopwords:\n    secrets/generic-secret-assignment: [localdev]\n").deployed()
        .commit("app.py", "DB_PASSWORD = \"localdev-Xk29#qPz7\"\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesFindingAcceptedInTheBaselineFile() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("app.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    String fingerprint = harness.run(repo).findings().get(0).fingerprint();
    // The team reviewed it and accepted it by fingerprint (the value itself is not in the baseline).
    repo.commit(RepoSecretsConfig.BASELINE_PATH, "{\"version\": 1, \"accepted\": [{\"fingerprint\": \"" + fingerprint
        + "\", \"reason\": \"revoked test token\"}]}\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesWellKnownExampleValues() {
    // Documentation examples, placeholders and references are not credentials.
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed().commit("docs/setup.md", """
        export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
        export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
        password: changeme
        db_password: "${DB_PASSWORD}"
        api_key: "{{ .Values.apiKey }}"
        DATABASE_URL=postgres://user:password@localhost:5432/app
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void errorsWhenTheOperatorsFingerprintKeyIsTooShort() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed().commit("a.txt", "x\n");
    ProbeOutcome outcome = harness.withServerConfig("defaults:\n  secrets:\n    fingerprintKey: short\n").run(repo);
    assertEquals(ProbeStatus.ERROR, outcome.status());
    assertFalse(outcome.reason().contains("short"), outcome.reason());
  }

  @Test
  void passesFixtureTokenThatItsOwnRuleRejects() {
    // A test-fixture token with a repetitive body: the GitHub rule rejects it (entropy 3.2 < 3.5), and the generic
    // assignment rule, whose floor is lower, must not bring it back.
    String fixture = "ghp" + "_" + "abcdefgh".repeat(5).substring(0, 36);
    assertTrue(Entropy.of(fixture) > 3.0 && Entropy.of(fixture) < 3.5, "entropy " + Entropy.of(fixture));
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("tests/test_client.py", "GITHUB_TOKEN = \"" + fixture + "\"\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void listsItsRulesAlphabetically() {
    List<String> ids = new SecretLeakageProbe().rules().stream().map(r -> r.id().value()).toList();
    assertEquals(ids.stream().sorted().toList(), ids);
    assertTrue(ids.size() >= 150, "at least 150 rules, got " + ids.size());
    assertTrue(ids.contains("secrets/scan-incomplete") && ids.contains("secrets/invalid-config"));
  }

  static List<String> summary(List<Finding> findings) {
    return findings.stream().map(f -> f.ruleId() + " " + f.file() + ":" + f.line()).toList();
  }

  @Test
  void usesTheOperatorsKeyForFingerprints() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("app.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    String builtIn = harness.run(repo).findings().get(0).fingerprint();
    String keyed = harness.withServerConfig("defaults:\n  secrets:\n    fingerprintKey: 0123456789abcdef-operator\n").run(repo)
        .findings().get(0).fingerprint();
    String again = harness.withServerConfig("defaults:\n  secrets:\n    fingerprintKey: 0123456789abcdef-operator\n").run(repo)
        .findings().get(0).fingerprint();
    assertNotEquals(builtIn, keyed);
    assertEquals(keyed, again);
    assertTrue(keyed.matches("[0-9a-f]{32}"), keyed);
  }
}
