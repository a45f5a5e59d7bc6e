package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a deploy ships, read from real git repositories. */
class ChangeSetTest {
  @TempDir
  Path dir;

  @Test
  void commitsAreTheRangeOldestFirstAndEachHasItsOwnAddedLines() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.conf", "a=1\n").deployed()
        .commit("app.conf", "a=1\nb=2\n")
        .commit("app.conf", "a=1\n");
    try (ChangeSet c = repo.changeSet()) {
      List<CommitInfo> commits = c.commits();
      assertEquals(2, commits.size());
      assertEquals(repo.head(), commits.get(1).id());
      List<FileChange> first = c.filesOf(commits.get(0));
      assertEquals(List.of(new AddedLine(2, "b=2")), first.get(0).addedLines(), "added in the first commit");
      assertTrue(c.filesOf(commits.get(1)).get(0).addedLines().isEmpty(), "the second commit only deletes");
      assertTrue(c.files().isEmpty(), "net, nothing changed: the line came and went");
      assertTrue(c.baselineIsAncestor());
    }
  }

  @Test
  void aFirstDeployShipsTheWholeTree() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "one\ntwo\n").commit("dir/b.txt", "three\n");
    try (ChangeSet c = repo.changeSet()) {
      assertTrue(c.firstDeploy());
      assertEquals(List.of("a.txt", "dir/b.txt"), c.files().stream().map(FileChange::path).toList());
      assertEquals(List.of(new AddedLine(1, "one"), new AddedLine(2, "two")), c.files().get(0).addedLines());
      assertEquals(FileChange.Type.ADD, c.files().get(0).type());
      assertEquals(2, c.commits().size());
      assertEquals(List.of("a.txt", "dir/b.txt"), c.candidatePaths());
    }
  }

  @Test
  void modifiedRenamedDeletedBinaryAndOversizedFilesAreDescribedNotRead() {
    FixtureRepo repo = FixtureRepo.create(dir)
        .commit(Map.of("keep.txt", "x\n", "old.txt", "line one\nline two\nline three\n", "gone.txt", "bye\n"), "base")
        .deployed()
        .commit(Map.of("new.txt", "line one\nline two\nline three\n", "keep.txt", "x\ny\n", "big.txt", "z".repeat(3000)),
            "change")
        .delete("old.txt").delete("gone.txt")
        .commitBytes("img.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
    try (ChangeSet c = repo.changeSet(new ChangeSet.Limits(2048, 100))) {
      Map<String, FileChange> byPath = new java.util.HashMap<>();
      c.files().forEach(f -> byPath.put(f.path(), f));
      assertEquals(FileChange.Type.RENAME, byPath.get("new.txt").type());
      assertEquals("old.txt", byPath.get("new.txt").oldPath());
      assertEquals(FileChange.Type.DELETE, byPath.get("gone.txt").type());
      assertEquals(List.of(new AddedLine(2, "y")), byPath.get("keep.txt").addedLines());
      assertEquals("too-large", byPath.get("big.txt").skipped());
      assertFalse(byPath.get("big.txt").hasText());
      assertTrue(byPath.get("img.png").binary());
      assertTrue(c.readCandidate("big.txt").isEmpty(), "over the file limit");
      assertEquals("x\ny\n", c.readCandidateText("keep.txt").orElseThrow());
      assertEquals("bye\n", c.readBaselineText("gone.txt").orElseThrow());
    }
  }

  @Test
  void theCommitLimitKeepsTheNewestAndSaysSo() {
    FixtureRepo repo = FixtureRepo.create(dir);
    for (int i = 0; i < 5; i++) {
      repo.commit("f.txt", "v" + i);
    }
    try (ChangeSet c = repo.changeSet(new ChangeSet.Limits(1 << 20, 3))) {
      assertEquals(3, c.commits().size());
      assertTrue(c.commitsTruncated());
      assertEquals(repo.head(), c.commits().get(2).id());
    }
  }

  @Test
  void missingCommitsAreARepoAccessErrorNamingTheCommit() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a", "1");
    String missing = "0123456789abcdef0123456789abcdef01234567";
    RepoAccessException e = assertThrows(RepoAccessException.class,
        () -> ChangeSet.open(RepoSnapshots.openLocal(dir.toString()), missing, null, ChangeSet.Limits.DEFAULT));
    assertEquals("candidate commit " + missing + " is not in the repository", e.getMessage());
    assertThrows(RepoAccessException.class, () -> RepoSnapshots.openLocal(dir.resolve("nope").toString()));
    assertEquals(repo.head(), RepoSnapshots.resolveLocal(dir.toString(), "main"));
    assertThrows(RepoAccessException.class, () -> RepoSnapshots.resolveLocal(dir.toString(), "no-such-branch"));
  }

  @Test
  void aRollbackDeployIsNotAnAncestorRange() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a", "1");
    String older = repo.head();
    repo.commit("a", "2").deployed();
    repo.baseline(repo.head());
    try (ChangeSet c = ChangeSet.open(RepoSnapshots.openLocal(dir.toString()), older, repo.head(), ChangeSet.Limits.DEFAULT)) {
      assertFalse(c.baselineIsAncestor());
      assertTrue(c.commits().isEmpty(), "going back ships no new commits");
      assertEquals(List.of(new AddedLine(1, "1")), c.files().get(0).addedLines());
    }
  }
}
