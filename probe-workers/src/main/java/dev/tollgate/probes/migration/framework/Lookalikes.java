package dev.tollgate.probes.migration.framework;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Migration files of frameworks the probe does not read, recognized by path and content (issue #17, "never silent"):
 * such a file in a deploy is a finding that names it and its framework, never a silent GO. One entry per framework, as
 * data; an entry leaves this list when a reader for its framework joins {@link FrameworkReaders#ALL}. The last entry
 * catches SQL files in a migrations directory that no SQL tool's naming explains.
 */
public final class Lookalikes {
  /**
   * One framework's files.
   *
   * @param framework its name, as shown in findings
   * @param path the path must match (searched, case-insensitive)
   * @param content the file's head must contain a match (null: the path is enough)
   * @param howToCheck what the user can do to have it checked
   */
  public record Lookalike(String framework, Pattern path, Pattern content, String howToCheck) {
    boolean matches(String p, String text) {
      if (!path.matcher(p).find()) {
        return false;
      }
      if (content == null) {
        return true;
      }
      return content.matcher(text.length() > HEAD ? text.substring(0, HEAD) : text).find();
    }
  }

  /** How much of a file is searched for the content marker: markers sit in the imports or the class header. */
  private static final int HEAD = 64 * 1024;
  private static final String REVIEW = "review it by hand for locks and for columns the running release still uses";

  private static Lookalike of(String framework, String path, String content, String howToCheck) {
    return new Lookalike(framework, Pattern.compile(path, Pattern.CASE_INSENSITIVE),
        content == null ? null : Pattern.compile(content), howToCheck);
  }

  private static final String JS = "\\.(js|ts|mjs|cjs|mts|cts)$";

  /** Every framework the probe recognizes but does not read, most specific first. */
  public static final List<Lookalike> ALL = List.of(
      of("Laravel", "(^|/)migrations/[^/]+\\.php$", "Schema::|Blueprint|extends\\s+Migration", REVIEW),
      of("Doctrine Migrations", "(^|/)[^/]*migrations?/[^/]*Version\\w*\\.php$", "AbstractMigration", REVIEW),
      of("Phinx", "(^|/)migrations?/\\d+_\\w+\\.php$", "AbstractMigration|Phinx", REVIEW),
      of("TypeORM", "(^|/)[^/]*migrations?/.*" + JS, "MigrationInterface|queryRunner\\.", REVIEW),
      of("Sequelize", "(^|/)[^/]*migrations?/.*" + JS, "queryInterface\\.", REVIEW),
      of("node-pg-migrate", "(^|/)[^/]*migrations?/.*" + JS, "pgm\\.", REVIEW),
      of("MikroORM", "(^|/)[^/]*migrations?/.*" + JS, "@mikro-orm/migrations", REVIEW),
      of("Knex", "(^|/)[^/]*migrations?/.*" + JS, "knex|exports\\.up\\s*=|export\\s+(async\\s+)?function\\s+up\\b", REVIEW),
      of("Entity Framework Core", "(^|/)Migrations/(?!.*\\.Designer\\.cs$)(?!.*ModelSnapshot\\.cs$)[^/]+\\.cs$",
          "MigrationBuilder", REVIEW),
      of("FluentMigrator", "(^|/)[^/]*migrat[^/]*/.*\\.cs$", "using\\s+FluentMigrator", REVIEW),
      of("Ecto", "(^|/)priv/[^/]+/migrations/[^/]+\\.exs$", "Ecto\\.Migration", REVIEW),
      of("goose", "\\.sql$", "(?m)^\\s*--\\s*\\+goose\\s+Up", REVIEW),
      of("goose (Go migration)", "(^|/)[^/]*migrat[^/]*/.*\\.go$", "goose\\.(AddMigration|AddMigrationContext|AddMigrationNoTx|AddNamedMigration)",
          REVIEW),
      of("sqitch", "(^|/)deploy/[^/]+\\.sql$", "(?m)^\\s*--\\s*Deploy\\s", REVIEW),
      of("Flyway Java migration", "(^|/)V\\d+(?:[._]\\d+)*__\\w+\\.(java|kt)$", "JavaMigration|BaseJavaMigration", REVIEW),
      of("Diesel", "(^|/)migrations/[^/]+/(up|down)\\.sql$", null,
          "declare the migrations directory in migrations.paths to have it checked as plain SQL"),
      of("Drizzle", "\\.sql$", "-->\\s*statement-breakpoint",
          "declare the migrations directory in migrations.paths to have it checked as plain SQL"),
      of("an unrecognized SQL migration tool", "(^|/)(migrations?|migrate|db/changelog|schema_migrations)/(.+/)?[^/]+\\.sql$",
          null, "declare its directory in migrations.paths to have it checked as plain SQL"));

  private static final Pattern MAY_BE = Pattern.compile(
      "(^|/)([^/]*migrat[^/]*|versions|alembic|drizzle)/|(^|/)deploy/[^/]+\\.sql$|(^|/)V\\d[^/]*__[^/]+\\.(java|kt)$",
      Pattern.CASE_INSENSITIVE);

  private Lookalikes() {}

  /**
   * By path alone, whether {@code path} may be one of them: the only test every changed path pays, so content is read
   * only for files in migration-like places.
   */
  public static boolean mayLookLike(String path) {
    return MAY_BE.matcher(path).find() && !path.toLowerCase(Locale.ROOT).endsWith(".md");
  }

  /** The framework {@code path} with {@code text} belongs to, else null. */
  public static Lookalike match(String path, String text) {
    for (Lookalike l : ALL) {
      if (l.matches(path, text)) {
        return l;
      }
    }
    return null;
  }
}
