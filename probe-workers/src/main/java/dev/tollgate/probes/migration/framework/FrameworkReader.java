package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.OrmModel;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.List;

/**
 * Reads one framework's migration files into the probe's statement model (the plug point; see package-info and
 * docs/rules/migration/frameworks.md). Implementations are stateless and thread-safe, read statically (no Ruby, Python
 * or Node runtime), and never throw for bad input: what they cannot read becomes an
 * {@link dev.tollgate.probes.migration.Unread} of the migration, which the probe reports.
 *
 * <p>The contract, in the order the probe uses it:
 * <ol>
 *   <li>{@link #claims(String)} on every path the deploy changes (and, only when this framework has a pending
 *       migration, on the running release's paths to replay its history): by path alone, cheap.</li>
 *   <li>{@link #read(MigrationSource)} on a claimed file: a {@link Migration} built with {@link MigrationBuilder} — the
 *       SQL each operation runs, in the framework's transaction units, with findings' lines pointing at the source —
 *       or null when the content shows the file is not a migration after all (a helper module beside them).</li>
 *   <li>{@link #isSchemaFile(String)} / {@link #readSchema(MigrationSource)}: a schema dump of the running release
 *       (Rails {@code db/schema.rb}); when the baseline has one it replaces replaying the whole history.</li>
 *   <li>{@link #mayDefineModels(String)} / {@link #models(String, String, RepoFiles)}: the running release's ORM classes, so the
 *       old-code check knows which columns it reads even where no code names them.</li>
 * </ol>
 */
public interface FrameworkReader {
  /** The framework this reader reads. */
  Framework framework();

  /** True when {@code path} is, by its name and place alone, one of this framework's migration files. */
  boolean claims(String path);

  /**
   * True when a file's content shows it is one of this framework's migrations whatever its path: what
   * {@code lint-migrations} asks of a file given on the command line outside the framework's usual layout.
   */
  default boolean claimsContent(String path, String text) {
    return false;
  }

  /**
   * True when the content of a file this reader claims by path confirms the claim. Readers whose naming other tools
   * share (goose and dbmate both name files {@code <version>_x.sql}) return false for a file that is not theirs, and
   * the probe reads it as if no reader had claimed it.
   */
  default boolean confirms(String path, String text) {
    return true;
  }

  /** Reads a claimed file; null when its content shows it is not a migration. */
  Migration read(MigrationSource source);

  /**
   * Whether the running release's migration {@code baselinePath} is worth replaying for this deploy's {@code pending}
   * migrations of the framework (Django: only the apps they belong to). Default: every one.
   */
  default boolean replays(String baselinePath, List<Migration> pending) {
    return true;
  }

  /** True when {@code path} is a schema dump of this framework (replayed instead of the history when present). */
  default boolean isSchemaFile(String path) {
    return false;
  }

  /** The statements that build the schema a dump describes. */
  default List<Statement> readSchema(MigrationSource source) {
    return List.of();
  }

  /** True when {@code path} may declare ORM models of this framework (by name alone, cheap). */
  default boolean mayDefineModels(String path) {
    return false;
  }

  /**
   * The models one file of the running release declares.
   *
   * @param files the running release's other code files (a Django app's apps.py gives its label)
   */
  default List<OrmModel> models(String path, String text, RepoFiles files) {
    return List.of();
  }
}
