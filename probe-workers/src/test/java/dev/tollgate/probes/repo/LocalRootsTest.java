package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code localRoots} escapes (issue 19, item 6): every way a path under a root can lead the gate to another
 * directory's repository — a symbolic link, a {@code .git} file's {@code gitdir:}, {@code objects/info/alternates},
 * a linked work tree's {@code commondir}, a symbolic link committed in a repository — is refused by the gate's check
 * ({@link RepositoryAllowList#rejection}) and again by the worker when it opens the repository
 * ({@link RepoSnapshots#open}). The happy path beside them: a plain repository under the root opens.
 */
class LocalRootsTest {
  @TempDir
  Path tmp;

  Path root;
  Path outside;
  FixtureRepo secret;
  RepositoryAllowList allowList;
  RepoSnapshots snapshots;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(tmp.resolve("repos"));
    outside = Files.createDirectories(tmp.resolve("elsewhere"));
    secret = FixtureRepo.create(outside.resolve("payroll")).commit("salaries.csv", "alice,1\n");
    allowList = new RepositoryAllowList(List.of(), true, List.of(root.toString()));
    snapshots = new RepoSnapshots(allowList, null, ChangeSet.Limits.DEFAULT);
  }

  Optional<String> gateSays(Path path) {
    return allowList.rejection(RepositoryLocation.parse(path.toString()));
  }

  String workerSays(Path path, String commit) {
    DeployTarget target = new DeployTarget("acme", path.toString(), "production", commit, null);
    RepoAccessException e = assertThrows(RepoAccessException.class, () -> snapshots.open(target).close());
    return e.getMessage();
  }

  @Test
  void passesARepositoryUnderTheRoot() {
    FixtureRepo shop = FixtureRepo.create(root.resolve("shop")).commit("a.txt", "1\n");
    assertEquals(Optional.empty(), gateSays(shop.dir()));
    try (ChangeSet changes = snapshots.open(new DeployTarget("acme", shop.dir().toString(), "production", shop.head(), null))) {
      assertEquals(shop.head(), changes.candidate());
    }
  }

  @Test
  void flagsASymbolicLinkInsideTheRoot() throws Exception {
    Path link = Files.createSymbolicLink(root.resolve("shop"), secret.dir());
    assertEquals(Optional.of("local path leads outside repositories.localRoots (through a symbolic link)"), gateSays(link));
    assertTrue(workerSays(link, secret.head()).startsWith("repository not allowed: local path leads outside"));
  }

  @Test
  void flagsADotGitFileWhoseGitdirIsElsewhere() throws Exception {
    Path shop = Files.createDirectories(root.resolve("shop"));
    Files.writeString(shop.resolve(".git"), "gitdir: " + secret.dir().resolve(".git") + "\n");
    assertEquals(Optional.of("local path's git directory (a .git file's gitdir: or a symbolic link) is outside "
        + "repositories.localRoots"), gateSays(shop));
    assertTrue(workerSays(shop, secret.head()).contains("git directory"));
  }

  @Test
  void flagsAlternatesThatBorrowAnotherRepositorysObjects() throws Exception {
    // A repository under the root whose object store points at the secret one: its commits open through it.
    Path shop = root.resolve("shop");
    Git.init().setDirectory(shop.toFile()).call().close();
    Files.writeString(shop.resolve(".git/objects/info/alternates"), secret.dir().resolve(".git/objects") + "\n");
    Files.writeString(shop.resolve(".git/refs/heads/main"), secret.head() + "\n");
    assertEquals(Optional.of("local repository reads objects outside repositories.localRoots (commondir, "
        + "objects/info/alternates or a symbolic link)"), gateSays(shop));
    assertTrue(workerSays(shop, secret.head()).contains("reads objects outside"));
  }

  @Test
  void flagsACommondirThatLeavesTheRoot() throws Exception {
    Path gitDir = Files.createDirectories(root.resolve("wt-gitdir"));
    Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(gitDir.resolve("commondir"), secret.dir().resolve(".git") + "\n");
    Path shop = Files.createDirectories(root.resolve("shop"));
    Files.writeString(shop.resolve(".git"), "gitdir: " + gitDir + "\n");
    assertTrue(gateSays(shop).orElseThrow().startsWith("local repository reads objects outside"));
    assertTrue(workerSays(shop, secret.head()).contains("reads objects outside"));
  }

  @Test
  void flagsASymbolicLinkCommittedInARepositoryUnderTheRoot() throws Exception {
    // The author commits a link; the checkout under the root then holds a path into another repository.
    Path shop = root.resolve("shop");
    try (Git git = Git.init().setDirectory(shop.toFile()).call()) {
      Files.createSymbolicLink(shop.resolve("vendor"), secret.dir());
      git.add().addFilepattern("vendor").call();
      git.commit().setMessage("vendor").setAuthor("m", "m@example.com").setCommitter("m", "m@example.com").call();
    }
    Path through = shop.resolve("vendor");
    assertTrue(gateSays(through).orElseThrow().contains("through a symbolic link"));
    assertTrue(workerSays(through, secret.head()).contains("through a symbolic link"));
  }

  @Test
  void flagsAnEscapeMadeAfterTheGateAcceptedThePath() throws Exception {
    // The gate accepted a plain repository; before the worker opens it, it is swapped for a link elsewhere.
    FixtureRepo shop = FixtureRepo.create(root.resolve("shop")).commit("a.txt", "1\n");
    assertEquals(Optional.empty(), gateSays(shop.dir()));
    Path moved = tmp.resolve("moved");
    Files.move(shop.dir(), moved);
    Files.createSymbolicLink(shop.dir(), secret.dir());
    assertTrue(workerSays(shop.dir(), secret.head()).contains("through a symbolic link"));
  }

  @Test
  void passesARootThatIsItselfASymbolicLink() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("data/repos"));
    Path linkRoot = Files.createSymbolicLink(tmp.resolve("srv"), real);
    FixtureRepo shop = FixtureRepo.create(real.resolve("shop")).commit("a.txt", "1\n");
    RepositoryAllowList viaLink = new RepositoryAllowList(List.of(), true, List.of(linkRoot.toString()));
    assertEquals(Optional.empty(), viaLink.rejection(RepositoryLocation.parse(linkRoot.resolve("shop").toString())));
    RepoSnapshots opener = new RepoSnapshots(viaLink, null, ChangeSet.Limits.DEFAULT);
    try (ChangeSet changes = opener.open(new DeployTarget("acme", linkRoot.resolve("shop").toString(), "production",
        shop.head(), null))) {
      assertEquals(shop.head(), changes.candidate());
    }
  }
}
