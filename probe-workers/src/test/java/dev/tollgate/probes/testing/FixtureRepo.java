package dev.tollgate.probes.testing;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A real git repository in a temp directory, built with JGit, for rule and probe tests:
 *
 * <pre>
 * var repo = FixtureRepo.create(tempDir)
 *     .commit("db/V1__init.sql", "CREATE TABLE users (id bigint);")
 *     .deployed()                                  // this commit runs in the environment now
 *     .commit("db/V2__drop.sql", "ALTER TABLE users DROP COLUMN email;");
 * try (ChangeSet changes = repo.changeSet()) { ... }
 * </pre>
 *
 * Without {@link #deployed()} the change set is a first deploy (the whole tree).
 */
public final class FixtureRepo {
  private static final PersonIdent AUTHOR = new PersonIdent("Dev Eloper", "dev@example.com",
      Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);

  private final Path dir;
  private final Git git;
  private String baseline;
  private String head;
  private int commits;

  private FixtureRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  /** A new empty repository in {@code dir} (a JUnit {@code @TempDir}). */
  public static FixtureRepo create(Path dir) {
    try {
      Files.createDirectories(dir);
      return new FixtureRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits one file. */
  public FixtureRepo commit(String path, String content) {
    return commit(Map.of(path, content), "change " + path);
  }

  /** Commits several files at once (null content deletes the file). */
  public FixtureRepo commit(Map<String, String> files, String message) {
    try {
      for (var e : new LinkedHashMap<>(files).entrySet()) {
        Path file = dir.resolve(e.getKey());
        if (e.getValue() == null) {
          Files.deleteIfExists(file);
          git.rm().addFilepattern(e.getKey()).call();
        } else {
          Files.createDirectories(file.getParent());
          Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
          git.add().addFilepattern(e.getKey()).call();
        }
      }
      PersonIdent when = new PersonIdent(AUTHOR, AUTHOR.getWhenAsInstant().plusSeconds(60L * commits++));
      head = git.commit().setMessage(message).setAuthor(when).setCommitter(when).setAllowEmpty(true).call().name();
      return this;
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits binary content. */
  public FixtureRepo commitBytes(String path, byte[] content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      git.add().addFilepattern(path).call();
      PersonIdent when = new PersonIdent(AUTHOR, AUTHOR.getWhenAsInstant().plusSeconds(60L * commits++));
      head = git.commit().setMessage("binary " + path).setAuthor(when).setCommitter(when).call().name();
      return this;
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits a symbolic link at {@code path} whose target is the string {@code target}. */
  public FixtureRepo symlink(String path, String target) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createSymbolicLink(file, Path.of(target));
      git.add().addFilepattern(path).call();
      return stage("link " + path);
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Renames (or moves) a file in a new commit, its content unchanged unless {@code newContent} is not null. */
  public FixtureRepo rename(String from, String to, String newContent) {
    try {
      Path target = dir.resolve(to);
      Files.createDirectories(target.getParent());
      Files.move(dir.resolve(from), target);
      if (newContent != null) {
        Files.writeString(target, newContent, StandardCharsets.UTF_8);
      }
      git.rm().addFilepattern(from).call();
      git.add().addFilepattern(to).call();
      return stage("move " + from + " to " + to);
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits what is staged with {@code message} (a message an author wrote: it may hold anything). */
  public FixtureRepo stage(String message) {
    try {
      PersonIdent when = new PersonIdent(AUTHOR, AUTHOR.getWhenAsInstant().plusSeconds(60L * commits++));
      head = git.commit().setMessage(message).setAuthor(when).setCommitter(when).setAllowEmpty(true).call().name();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves the branch and the working tree back to {@code commit} (a side branch's commits stay in the object store). */
  public FixtureRepo resetTo(String commit) {
    try {
      git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(commit).call();
      head = commit;
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A merge commit of head and {@code other} whose tree is head's plus {@code files}: the resolution the author
   * wrote, whatever either parent had.
   */
  public FixtureRepo merge(String other, Map<String, String> files) {
    try {
      Files.writeString(dir.resolve(".git/MERGE_HEAD"), other + "\n");
      Files.writeString(dir.resolve(".git/MERGE_MSG"), "Merge " + other + "\n");
      return commit(files, "Merge " + other);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a file in a new commit. */
  public FixtureRepo delete(String path) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(path, null);
    return commit(files, "delete " + path);
  }

  /** Marks the current head as what runs in the environment now (the baseline). */
  public FixtureRepo deployed() {
    if (head == null) {
      commit(Map.of(".keep", ""), "initial");
    }
    baseline = head;
    return this;
  }

  /** Sets the baseline to a given commit. */
  public FixtureRepo baseline(String commit) {
    baseline = commit;
    return this;
  }

  /** The candidate: the current head. */
  public String head() {
    return head;
  }

  /** The baseline, or null for a first deploy. */
  public String baseline() {
    return baseline;
  }

  /** The repository's directory. */
  public Path dir() {
    return dir;
  }

  /** A deploy target for {@code environment}. */
  public DeployTarget target(String environment) {
    return new DeployTarget("test", dir.toAbsolutePath().toString(), environment, head, baseline);
  }

  /** Opens what a deploy of head over the baseline ships. Close it. */
  public ChangeSet changeSet() {
    return changeSet(ChangeSet.Limits.DEFAULT);
  }

  /** Opens the change set under other limits. */
  public ChangeSet changeSet(ChangeSet.Limits limits) {
    return ChangeSet.open(RepoSnapshots.openLocal(dir.toString()), head, baseline, limits);
  }

  /** Reads a working-tree file (tests of helpers). */
  public String read(String path) {
    try {
      return Files.readString(dir.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
