package dev.tollgate.contracts.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a local repository path really leads on disk: every symbolic link resolved ({@code toRealPath}), and every
 * directory git reads objects from — the git directory ({@code .git} itself, or the {@code gitdir:} of a {@code .git}
 * file), its {@code commondir} (a linked work tree's), their {@code objects} directories and every
 * {@code objects/info/alternates} entry, followed as git follows them. A repository under an allowed root can name
 * any of these outside it; {@link RepositoryAllowList} requires all of them under {@code localRoots}.
 *
 * <p>JDK only, no JGit: the gate checks requests with it, and the worker checks again right before it opens the
 * repository, at the real git directory found here.
 */
final class LocalGitPaths {
  /** Alternates may chain; git stops at 5 levels, and so do we (deeper is refused). */
  private static final int MAX_ALTERNATE_DEPTH = 5;

  /**
   * What one path resolved to.
   *
   * @param real the real path asked for (work tree or bare repository)
   * @param gitDir the real git directory
   * @param readDirs every real directory git reads from: git dir, common dir, object directories, alternates
   */
  record Layout(Path real, Path gitDir, List<Path> readDirs) {}

  private LocalGitPaths() {}

  /**
   * Resolves {@code path}.
   *
   * @return empty when the path does not exist
   * @throws IllegalArgumentException when it exists but is not a git repository, or its layout cannot be followed
   *     (the message names what, never a path it leads to)
   */
  static Optional<Layout> resolve(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      Path real = path.toRealPath();
      Path gitDir = gitDir(real);
      Set<Path> read = new LinkedHashSet<>();
      read.add(gitDir);
      Path common = gitDir;
      Path commonFile = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonFile)) {
        common = gitDir.resolve(firstLine(commonFile)).toRealPath();
        read.add(common);
      }
      Deque<Path> objects = new ArrayDeque<>();
      objects.add(common.resolve("objects"));
      if (!common.equals(gitDir) && Files.isDirectory(gitDir.resolve("objects"))) {
        objects.add(gitDir.resolve("objects"));
      }
      int depth = 0;
      while (!objects.isEmpty()) {
        if (depth++ > MAX_ALTERNATE_DEPTH * 8) {
          throw new IllegalArgumentException("its objects/info/alternates chain is deeper than git follows");
        }
        Path dir = objects.poll();
        if (!Files.exists(dir)) {
          continue;
        }
        Path realDir = dir.toRealPath();
        if (!read.add(realDir)) {
          continue;
        }
        Path alternates = realDir.resolve("info").resolve("alternates");
        if (Files.isRegularFile(alternates)) {
          for (String line : Files.readAllLines(alternates, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
              objects.add(realDir.resolve(l));
            }
          }
        }
      }
      return Optional.of(new Layout(real, gitDir, List.copyOf(read)));
    } catch (IOException | SecurityException | java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("its git directory cannot be followed on disk");
    }
  }

  /** The real git directory of {@code real}: {@code .git} (a directory, or a file saying {@code gitdir: X}) or itself. */
  private static Path gitDir(Path real) throws IOException {
    Path dotGit = real.resolve(".git");
    if (Files.isDirectory(dotGit)) {
      return dotGit.toRealPath();
    }
    if (Files.isRegularFile(dotGit)) {
      String line = firstLine(dotGit);
      if (!line.startsWith("gitdir:")) {
        throw new IllegalArgumentException("its .git file does not name a git directory");
      }
      return real.resolve(line.substring("gitdir:".length()).strip()).toRealPath();
    }
    if (Files.isRegularFile(real.resolve("HEAD")) && Files.isDirectory(real.resolve("objects"))) {
      return real; // a bare repository
    }
    throw new IllegalArgumentException("not a git repository");
  }

  private static String firstLine(Path file) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    return lines.isEmpty() ? "" : lines.get(0).strip();
  }
}
