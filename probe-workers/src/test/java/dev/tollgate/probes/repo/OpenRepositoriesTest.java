package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository kept open between checks still sees what was committed (or fetched) after it was opened. */
class OpenRepositoriesTest {
  @TempDir
  Path dir;

  @Test
  void checksShareOneOpenRepositoryAndSeeCommitsMadeSince() throws Exception {
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "one\n").deployed();
    try (Repository first = OpenRepositories.open(dir.resolve(".git").toFile());
        Repository second = OpenRepositories.open(dir.resolve(".git").toFile())) {
      assertSame(first, second, "pack indexes read once, not once per check");
    }
    repo.commit("a.txt", "one\ntwo\n"); // after the repository was opened and its objects read
    try (ChangeSet c = repo.changeSet()) {
      assertEquals("one\ntwo\n", c.readCandidateText("a.txt").orElseThrow());
    }
  }

  @Test
  void aForgottenRepositoryIsOpenedAnew() throws Exception {
    FixtureRepo.create(dir).commit("a.txt", "one\n");
    Repository first = OpenRepositories.open(dir.resolve(".git").toFile());
    first.close();
    OpenRepositories.forget(dir.resolve(".git").toFile());
    try (Repository again = OpenRepositories.open(dir.resolve(".git").toFile())) {
      org.junit.jupiter.api.Assertions.assertNotSame(first, again, "a mirror fetched or recloned is read from a fresh pack list");
    }
  }
}
