package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.runtime.ProbeRunner;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * secrets/scan-incomplete: a limit that cuts the scan blocks (a skipped file may hold the key), unless the operators
 * downgrade that limit for the environment, and then the finding says so. Never a silent pass.
 */
class ScanIncompleteRuleTest {
  private final RuleHarness harness = RuleHarness.of(new SecretLeakageProbe());
  private final Canary canary = new Canary(11);

  @TempDir
  Path dir;

  @Test
  void flagsFileLargerThanTheFileLimit() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("data/dump.sql", "-- x\n".repeat(1_100_000 / 5));
    harness.assertViolations(repo, """
        BLOCK secrets/scan-incomplete data/dump.sql
          not scanned: larger than the file limit of 1048576 bytes (1100000 bytes)
        """);
  }

  /** The review's attack: an AWS key pair hidden in a file over the limit. Nothing of the key shows. */
  @Test
  void flagsAKeyHiddenInAFileOverTheLimitAsBlocking() {
    String key = canary.awsKeyId();
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("config/huge.properties", "aws.access.key.id=" + key + "\n" + "# padding\n".repeat(120_000));
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason());
    assertEquals(List.of("secrets/scan-incomplete config/huge.properties:0"), SecretLeakageProbeTest.summary(outcome.findings()));
    assertTrue(!outcome.findings().toString().contains(key.substring(4)), "no part of the key beyond a preview");
  }

  @Test
  void flagsADowngradedLimitAsAWarningThatNamesTheDowngrade() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("data/dump.sql", "-- x\n".repeat(1_100_000 / 5));
    harness.withServerConfig("environments:\n  production:\n    readLimits: {fileSize: warn}\n").assertViolations(repo, """
        WARN secrets/scan-incomplete data/dump.sql
          not scanned: larger than the file limit of 1048576 bytes (1100000 bytes) (downgraded to WARN for environment \
        production by readLimits.fileSize in the server's tollgate.yml)
        """);
    // Another limit is still blocking: only what the operators named is downgraded.
    ProbeOutcome other = harness.withServerConfig("environments:\n  production:\n    readLimits: {commits: info}\n").run(repo);
    assertEquals(ProbeStatus.FAIL, other.status(), other.reason());
  }

  @Test
  void flagsScanStoppedAtTheTotalByteLimit() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("a.txt", "x".repeat(600) + "\n")
        .commit("b.env", "GITHUB_TOKEN=" + canary.github() + "\n");
    ProbeOutcome outcome = harness.withServerConfig("defaults:\n  secrets:\n    maxTotalBytes: 500\n").run(repo);

    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason());
    assertEquals(1, outcome.findings().size());
    Finding f = outcome.findings().get(0);
    assertEquals("secrets/scan-incomplete", f.ruleId());
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().startsWith("scan stopped at the total limit of 500 bytes in commit "), f.message());
    assertTrue(f.message().endsWith("it and 1 newer commit(s) were not fully scanned"), f.message());
  }

  @Test
  void flagsCommitsBeyondTheCommitLimitAndStillScansTheTreeOnFirstDeploy() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit("old.env", "GITHUB_TOKEN=" + token + "\n")
        .commit("a.txt", "a\n").commit("b.txt", "b\n");

    // First deploy, only the newest 2 commits walked: the token's commit is cut, the candidate tree still has it.
    List<String> found = SecretLeakageProbeTest.summary(run(repo, new ChangeSet.Limits(1 << 20, 2)).findings());

    assertEquals(List.of("secrets/github-pat-classic old.env:1", "secrets/scan-incomplete null:0"), found);
  }

  /**
   * The review's attack: a key added in an old commit and removed in the next, beyond the commit window. The cut
   * window blocks; with the key's commits inside the window the key itself is found.
   */
  @Test
  void flagsAKeyAddedAndRemovedBeyondTheCommitWindow() {
    String token = canary.github();
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("app.env", "GITHUB_TOKEN=" + token + "\n").delete("app.env")
        .commit("a.txt", "a\n").commit("b.txt", "b\n");
    ProbeOutcome cut = run(repo, new ChangeSet.Limits(1 << 20, 2));
    assertEquals(ProbeStatus.FAIL, cut.status(), cut.reason());
    assertEquals(List.of("secrets/scan-incomplete null:0"), SecretLeakageProbeTest.summary(cut.findings()));
    assertTrue(cut.findings().get(0).message().startsWith("the range has more than 2 commits"), cut.findings().get(0).message());
    ProbeOutcome whole = run(repo, new ChangeSet.Limits(1 << 20, 10));
    assertEquals(List.of("secrets/github-pat-classic app.env:1"), SecretLeakageProbeTest.summary(whole.findings()));
  }

  @Test
  void passesScanWithinTheLimits() {
    // Everything was read: no warning.
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed().commit("a.txt", "hello\n");
    harness.assertNoViolations(repo);
  }

  private static ProbeOutcome run(FixtureRepo repo, ChangeSet.Limits limits) {
    try (ChangeSet changes = repo.changeSet(limits)) {
      RuleContext ctx = new RuleContext(changes, repo.target("production"), CheckExecutor.readRepoConfig(changes),
          DeployHistory.empty(), ServerSettings.empty(), Clock.fixed(RuleHarness.DEFAULT_NOW, ZoneOffset.UTC));
      return new ProbeRunner(1000).run(new SecretLeakageProbe(), ctx);
    }
  }
}
