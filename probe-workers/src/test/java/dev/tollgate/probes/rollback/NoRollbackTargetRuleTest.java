package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoRollbackTargetRuleTest {
  private final RuleHarness harness = RuleHarness.of(new NoRollbackTargetRule());
  @TempDir Path dir;

  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final Instant T = Instant.parse("2026-11-20T09:00:00Z");

  static DeployRecord deploy(String commit, DeployStatus status, String digest) {
    return new DeployRecord(commit, status, T, T.plusSeconds(90), digest, "ci-1");
  }

  static DeployHistory history(DeployRecord... newestFirst) {
    return new DeployHistory(List.of(newestFirst), Map.of());
  }

  /** Issue 20 item 7: a WARN here made production's warningsBlock refuse every first deploy, with no one to override. */
  @Test
  void flagsAFirstDeployAsInformation() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1");
    harness.assertViolations(repo, """
        INFO rollback/no-rollback-target -
          First deploy to production: nothing has run here successfully before, so there is no release to roll back \
        to. If this deploy goes wrong, the way back is to remove it.
        """);
  }

  @Test
  void flagsAnEnvironmentWhoseRecordedDeploysAllFailed() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1");
    harness.withHistory(history(deploy(repo.head(), DeployStatus.FAILED, null))).assertViolations(repo, """
        WARN rollback/no-rollback-target -
          First deploy to production: nothing has run here successfully before, so there is no release to roll back \
        to. If this deploy goes wrong, the way back is to remove it. (1 deploy recorded, none succeeded.)
        """);
    var over = FixtureRepo.create(dir.resolve("b")).commit("app.txt", "v1").deployed().commit("app.txt", "v2");
    harness.withHistory(history(deploy(over.baseline(), DeployStatus.FAILED, null),
        deploy(over.baseline(), DeployStatus.CANCELED, null))).assertViolations(over, """
        WARN rollback/no-rollback-target -
          This deploy goes over %s, but none of the 2 recorded deploys of production succeeded, so nothing shows a \
        release that can be rolled back to.
        """.formatted(over.baseline().substring(0, 7)));
  }

  @Test
  void flagsABaselineThatIsNotTheReleaseOnRecord() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1").commit("app.txt", "v2").deployed().commit("app.txt", "v3");
    String recorded = "1".repeat(40);
    harness.withHistory(history(deploy(recorded, DeployStatus.SUCCEEDED, DIGEST))).assertViolations(repo, """
        WARN rollback/no-rollback-target -
          This deploy goes over %s, but the last successful deploy of production on record is 1111111 (deployed \
        2026-11-20T09:01:30Z): which release a rollback returns to is ambiguous.
        """.formatted(repo.baseline().substring(0, 7)));
  }

  @Test
  void flagsWhatIsUnknownAboutAKnownTargetAsInformation() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1").deployed().commit("app.txt", "v2");
    String target = repo.baseline().substring(0, 7);
    // The CLI, or an API caller with its own baseline: the commit is known, the artifact is not.
    harness.assertViolations(repo, """
        INFO rollback/no-rollback-target -
          The rollback target is %s, as the request says; Tollgate has no deploy record of production, so which \
        artifact it ran is unknown.
        """.formatted(target));
    harness.withHistory(history(deploy(repo.baseline(), DeployStatus.SUCCEEDED, null))).assertViolations(repo, """
        INFO rollback/no-rollback-target -
          The rollback target is %s (deployed 2026-11-20T09:01:30Z), but no artifact digest was recorded with it: a \
        rollback can name the commit, not the exact image that ran.
        """.formatted(target));
  }

  @Test
  void passesWhenTheLastSuccessfulDeployIsTheBaselineWithItsDigest() {
    // Safe: the release to go back to is on record, down to the image digest; a later failed attempt does not change it.
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1").deployed().commit("app.txt", "v2");
    harness.withHistory(history(deploy(repo.head(), DeployStatus.FAILED, null),
        deploy(repo.baseline(), DeployStatus.SUCCEEDED, DIGEST))).assertNoViolations(repo);
  }
}
