package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** secrets/invalid-config: a broken allowlist blocks, and the scan runs without it. */
class InvalidConfigRuleTest {
  private final RuleHarness harness = RuleHarness.of(new SecretLeakageProbe());
  private final Canary canary = new Canary(5);

  @TempDir
  Path dir;

  @Test
  void flagsInvalidSecretsSectionAndStillScans() {
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "secrets:\n  allowPath: [\"fixtures/**\"]\n").deployed()
        .commit("fixtures/a.env", "GITHUB_TOKEN=" + canary.github() + "\n");

    List<Finding> findings = harness.run(repo).findings();

    // Fail closed: the scan ran without the broken allowlist, so the fixture's token is reported too.
    assertEquals(List.of("secrets/github-pat-classic fixtures/a.env:1", "secrets/invalid-config .tollgate.yml:0"),
        SecretLeakageProbeTest.summary(findings));
    assertTrue(findings.get(1).message().contains("secrets.allowPath: unknown key"), findings.get(1).message());
  }

  @Test
  void flagsStopwordsForUnknownRule() {
    FixtureRepo repo = FixtureRepo.create(dir)
        .commit(".tollgate.yml", "secrets:\n  stopwords:\n    secrets/no-such-rule: [abc]\n").deployed()
        .commit("README.md", "# docs\n");
    harness.assertViolations(repo, """
        BLOCK secrets/invalid-config .tollgate.yml
          Secrets allowlist invalid, scanned without it: secrets.stopwords.secrets/no-such-rule: unknown rule id
        """);
  }

  @Test
  void flagsBaselineThatIsNotJson() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit(RepoSecretsConfig.BASELINE_PATH, "{\"accepted\": [\n");
    harness.assertViolations(repo, """
        BLOCK secrets/invalid-config .tollgate/secrets-baseline.json
          Secrets allowlist invalid, scanned without it: .tollgate/secrets-baseline.json: not valid JSON (line 2)
        """);
  }

  @Test
  void passesValidSecretsSection() {
    // A well-formed section and baseline: nothing to report.
    FixtureRepo repo = FixtureRepo.create(dir)
        .commit(".tollgate.yml", "secrets:\n  allowPaths: [docs]\n  stopwords:\n    secrets/generic-secret-assignment: [localdev]\n")
        .commit(RepoSecretsConfig.BASELINE_PATH, "{\"version\": 1, \"accepted\": []}\n").deployed()
        .commit("README.md", "# docs\n");
    harness.assertNoViolations(repo);
  }
}
