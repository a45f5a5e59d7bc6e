package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.MigrationSettings;
import dev.tollgate.probes.migration.sql.Dialect;

/**
 * One file a {@link FrameworkReader} reads, with what the probe knows around it.
 *
 * @param path repository path (or the path given to {@code lint-migrations})
 * @param text the file's content
 * @param dialect the repository's dialect (configured in {@code migrations.dialect}, or detected from its build and
 *     configuration files), null when nothing says: the reader then decides from its own hints, else PostgreSQL
 * @param settings the {@code migrations} settings
 * @param files the rest of the tree, for hints the file alone does not give
 */
public record MigrationSource(String path, String text, Dialect dialect, MigrationSettings settings, RepoFiles files) {
  /** The repository's dialect, else {@code fallback}. */
  public Dialect dialectOr(Dialect fallback) {
    return dialect != null ? dialect : fallback;
  }

  /** The file's name without its directories. */
  public String fileName() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The directory of the file, with a trailing slash ({@code ""} at the root). */
  public String directory() {
    return path.substring(0, path.lastIndexOf('/') + 1);
  }
}
