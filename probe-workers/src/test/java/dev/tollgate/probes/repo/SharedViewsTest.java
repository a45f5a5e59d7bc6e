package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work an evaluation's five probes share (the net diff, the commit walk, the trees' path indexes, file contents)
 * is done once, and the caches that hold it stay within their bounds whatever flows through them.
 */
class SharedViewsTest {
  @TempDir
  Path dir;

  @Test
  void theProbesOfOneEvaluationShareTheRangesViews() {
    FixtureRepo repo = FixtureRepo.create(dir.resolve("r")).commit("a.txt", "one\n").deployed().commit("a.txt", "one\ntwo\n");
    try (ChangeSet first = repo.changeSet(); ChangeSet second = repo.changeSet()) {
      assertSame(first.files(), second.files(), "the second probe reads the diff the first computed");
      assertSame(first.commits(), second.commits());
      assertSame(first.candidatePaths(), second.candidatePaths());
    }
  }

  @Test
  void anotherRepositoryWithTheSameCommitsComputesItsOwnViews() {
    // Same content, same commit ids, different git directories (another tenant's mirror): nothing is shared by range.
    FixtureRepo a = FixtureRepo.create(dir.resolve("a")).commit("a.txt", "one\n").deployed().commit("a.txt", "one\ntwo\n");
    FixtureRepo b = FixtureRepo.create(dir.resolve("b")).commit("a.txt", "one\n").deployed().commit("a.txt", "one\ntwo\n");
    try (ChangeSet ca = a.changeSet(); ChangeSet cb = b.changeSet()) {
      assertNotSame(ca.files(), cb.files());
      assertEquals(ca.files().get(0).addedLines(), cb.files().get(0).addedLines());
    }
  }

  @Test
  void aLowerFileLimitStillAppliesToAContentAnotherChangeSetHolds() {
    FixtureRepo repo = FixtureRepo.create(dir.resolve("r")).commit("big.txt", "z".repeat(5000)).deployed()
        .commit("small.txt", "s\n");
    try (ChangeSet wide = repo.changeSet(new ChangeSet.Limits(1 << 20, 100))) {
      assertTrue(wide.readCandidate("big.txt").isPresent());
    }
    try (ChangeSet narrow = repo.changeSet(new ChangeSet.Limits(2048, 100))) {
      assertTrue(narrow.readCandidate("big.txt").isEmpty(), "held for the wide one, over this one's limit");
      assertEquals(5000, narrow.candidateOverLimit("big.txt").orElseThrow());
    }
  }

  @Test
  void theSharedCachesStayWithinTheirBoundsUnderAStreamOfFreshCommits() {
    // Fresh candidates, each with files never seen before: every read misses and is kept, until the bounds evict.
    FixtureRepo repo = FixtureRepo.create(dir.resolve("r")).commit("README.md", "x\n").deployed();
    String chunk = "0123456789abcdef".repeat(3072); // 48 KiB
    long bound = ChangeSet.BLOBS_MAX_BYTES + ChangeSet.TREES_MAX_BYTES + ChangeSet.RANGES_MAX_BYTES + (64L << 20);
    long read = 0;
    long pushed = 0;
    for (int k = 0; k < 48; k++) {
      Map<String, String> files = new LinkedHashMap<>();
      for (int i = 0; i < 40; i++) {
        files.put("src/f" + i + ".txt", k + ":" + i + "\n" + chunk);
      }
      repo.commit(files, "candidate " + k);
      try (ChangeSet c = repo.changeSet()) {
        for (FileChange f : c.files()) {
          read += f.addedLines().stream().mapToLong(l -> l.text().length()).sum();
          pushed += c.readCandidate(f.path()).orElseThrow().length;
          c.readBaseline(f.path());
        }
      }
    }
    ChangeSet.cleanUpSharedCaches();
    assertTrue(pushed > ChangeSet.BLOBS_MAX_BYTES, "the test read more file content than the blob cache may hold: " + pushed);
    assertTrue(read > 0);
    long held = ChangeSet.sharedCacheBytes();
    assertTrue(held <= bound, "held " + held + " bytes, bound " + bound);
  }
}
