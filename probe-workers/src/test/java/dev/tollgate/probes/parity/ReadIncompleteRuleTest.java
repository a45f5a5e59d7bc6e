package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** parity/read-incomplete: a compared configuration file that cannot be read blocks; its content is never quoted. */
class ReadIncompleteRuleTest {
  private final RuleHarness harness = RuleHarness.of(RuleHarness.rule(new EnvironmentParityProbe(), "parity/read-incomplete"));
  @TempDir Path dir;

  @Test
  void flagsUnparseableConfigFilesWithTheirLineButNoContent() {
    var repo = repo(dir,
        "helm/values-staging.yaml", "replicas: 1\n",
        "helm/values-production.yaml", "replicas: 1\npassword: [s3cr3t-value\n",
        ".env.staging", "A=1\n",
        ".env.production", "A=\"unterminated s3cr3t\n");
    harness.assertViolations(repo, """
        BLOCK parity/read-incomplete .env.production
          Configuration file cannot be read: line 1: unterminated double-quoted value; its keys cannot be compared
        BLOCK parity/read-incomplete helm/values-production.yaml
          Configuration file cannot be read: line 3: not valid YAML; its keys cannot be compared
        """);
  }

  @Test
  void flagsAConfigFileOverTheFileLimit() {
    var repo = repo(dir,
        ".env.staging", "A=1\n",
        ".env.production", "A=1\n" + "# padding\n".repeat(110_000));
    harness.assertViolations(repo, """
        BLOCK parity/read-incomplete .env.production
          Configuration file (its keys cannot be compared) not read: 1100004 bytes, over the file limit of 1048576 bytes \
        (worker.maxFileBytes)
        """);
  }

  @Test
  void flagsADowngradedLimitAsAWarning() {
    var repo = repo(dir, ".env.staging", "A=1\n", ".env.production", "A=\"unterminated\n");
    ProbeOutcome outcome = harness.withServerConfig("environments:\n  production:\n    readLimits: {unparseable: warn}\n")
        .run(repo);
    assertEquals(ProbeStatus.WARN, outcome.status(), outcome.reason());
  }

  @Test
  void passesReadableConfigFiles() {
    // Safe: both sides parse, whatever they contain.
    var repo = repo(dir, ".env.staging", "A=1\n", ".env.production", "A=2\n");
    harness.assertNoViolations(repo);
  }
}
