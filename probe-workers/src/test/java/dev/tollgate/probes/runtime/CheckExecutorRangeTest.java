package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit range a result carries for the gate's lead time: the commits of (baseline, candidate] with the author
 * times of the oldest and newest; nothing for a first deploy or an empty range. FixtureRepo commits a minute apart
 * from 2026-11-02T10:00Z.
 */
class CheckExecutorRangeTest {
  @TempDir
  Path tmp;

  @Test
  void theRangeNamesItsCommitCountAndOldestAndNewestAuthorTimes() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1").deployed() // commit 0
        .commit("a.txt", "2").commit("a.txt", "3").commit("a.txt", "4"); // commits 1-3 ship
    try (ChangeSet changes = repo.changeSet()) {
      CommitRange range = CheckExecutor.range(changes);
      assertEquals(3, range.commits());
      assertEquals(Instant.parse("2026-11-02T10:01:00Z"), range.oldestAuthoredAt());
      assertEquals(Instant.parse("2026-11-02T10:03:00Z"), range.newestAuthoredAt());
      assertFalse(range.truncated());
    }
  }

  @Test
  void aRangeCutByTheCommitLimitSaysSoAndKeepsTheNewest() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1").deployed()
        .commit("a.txt", "2").commit("a.txt", "3").commit("a.txt", "4");
    try (ChangeSet changes = repo.changeSet(new ChangeSet.Limits(1 << 20, 2))) {
      CommitRange range = CheckExecutor.range(changes);
      assertEquals(2, range.commits());
      assertTrue(range.truncated());
      assertEquals(Instant.parse("2026-11-02T10:02:00Z"), range.oldestAuthoredAt(), "a lower bound: the oldest read");
    }
  }

  @Test
  void aFirstDeployAndAnEmptyRangeHaveNoRange() {
    // Safe to leave out: a first deploy ships the whole history (no change waited for it), and a redeploy ships nothing.
    FixtureRepo first = FixtureRepo.create(tmp.resolve("first")).commit("a.txt", "1").commit("a.txt", "2");
    try (ChangeSet changes = first.changeSet()) {
      assertNull(CheckExecutor.range(changes));
    }
    FixtureRepo again = FixtureRepo.create(tmp.resolve("again")).commit("a.txt", "1").deployed();
    try (ChangeSet changes = again.changeSet()) {
      assertNull(CheckExecutor.range(changes));
    }
  }

  @Test
  void aRollbackToAnEarlierCommitHasNoRange() {
    // Safe: going back ships no new commit; the gate counts it as a rollback from the deploy history instead.
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1");
    String earlier = repo.head();
    repo.commit("a.txt", "2").deployed();
    try (ChangeSet changes = ChangeSet.open(RepoSnapshots.openLocal(repo.dir().toString()), earlier, repo.baseline(),
        ChangeSet.Limits.DEFAULT)) {
      assertNull(CheckExecutor.range(changes));
    }
  }
}
