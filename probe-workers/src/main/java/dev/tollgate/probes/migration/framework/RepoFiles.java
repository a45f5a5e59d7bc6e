package dev.tollgate.probes.migration.framework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Other files of the tree a migration comes from, for what the migration file alone does not say: Prisma's
 * {@code migration_lock.toml} (the dialect), a Django app's {@code apps.py} (its label), the framework's version in
 * {@code package.json}. Paths are relative to the same root as the migration's own path.
 */
@FunctionalInterface
public interface RepoFiles {
  /** Files larger than this are not read for hints. */
  long MAX_BYTES = 1 << 20;

  /** The text of {@code path}, empty when it does not exist or cannot be read. */
  Optional<String> read(String path);

  /** No other files (tests, or a file given alone). */
  static RepoFiles none() {
    return path -> Optional.empty();
  }

  /** A repository tree (the candidate or baseline commit). */
  static RepoFiles of(Function<String, Optional<String>> reader) {
    return reader::apply;
  }

  /** The local file system, relative to the working directory: what {@code lint-migrations} reads. */
  static RepoFiles disk() {
    return path -> {
      try {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || Files.size(p) > MAX_BYTES) {
          return Optional.empty();
        }
        return Optional.of(Files.readString(p));
      } catch (IOException | RuntimeException e) {
        return Optional.empty(); // a hint that cannot be read is no hint: the reader falls back to its defaults
      }
    };
  }
}
