package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A range whose baseline the candidate does not descend from is not what the deploy ships. */
class RangeCheckTest {
  @TempDir
  Path dir;

  Optional<Finding> check(String candidate, String baseline, DeployHistory history) {
    try (ChangeSet c = ChangeSet.open(RepoSnapshots.openLocal(dir.toString()), candidate, baseline, ChangeSet.Limits.DEFAULT)) {
      return RangeCheck.problem(c, "production", history);
    }
  }

  @Test
  void flagsABaselineOnAnotherBranchNamingBothCommits() throws Exception {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "1");
    String root = repo.head();
    repo.commit("key.txt", "AKIA-looking thing");
    String candidate = repo.head();
    try (Git git = Git.open(dir.toFile())) {
      git.checkout().setCreateBranch(true).setName("hotfix").setStartPoint(root).call();
    }
    repo.commit("b.txt", "hotfix");
    String hotfix = repo.head();
    Finding f = check(candidate, hotfix, DeployHistory.empty()).orElseThrow();
    assertEquals(RangeCheck.RULE_ID, f.ruleId());
    assertEquals(Severity.BLOCK, f.severity());
    assertTrue(f.message().contains(hotfix) && f.message().contains(candidate), f.message());
  }

  @Test
  void flagsACandidateOlderThanTheBaselineThatNeverPassedHere() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "1");
    String older = repo.head();
    repo.commit("a.txt", "2");
    assertTrue(check(older, repo.head(), DeployHistory.empty()).isPresent(), "going back to a commit never decided GO here");
    DeployHistory goElsewhere = new DeployHistory(List.of(), Map.of("staging", new CandidateStatus(true, true, "ev")));
    assertTrue(check(older, repo.head(), goElsewhere).isPresent(), "a GO in another environment is not a GO here");
  }

  @Test
  void passesARollbackToACommitDecidedGoInThisEnvironment() {
    // Safe: the candidate was checked when it first went out to production; going back to it ships nothing new.
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "1");
    String older = repo.head();
    repo.commit("a.txt", "2");
    DeployHistory history = new DeployHistory(List.of(), Map.of("production", new CandidateStatus(true, true, "ev-1")));
    assertTrue(check(older, repo.head(), history).isEmpty());
  }

  @Test
  void passesADescendantAndAFirstDeploy() {
    // Safe: (baseline, candidate] is exactly what ships; a first deploy checks the whole tree.
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "1");
    String base = repo.head();
    repo.commit("a.txt", "2").commit("a.txt", "3");
    assertTrue(check(repo.head(), base, DeployHistory.empty()).isEmpty());
    assertTrue(check(repo.head(), null, DeployHistory.empty()).isEmpty());
    assertTrue(check(repo.head(), repo.head(), DeployHistory.empty()).isEmpty(), "a commit is its own ancestor: a re-check");
  }
}
