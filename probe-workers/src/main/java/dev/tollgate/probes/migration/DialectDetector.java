package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.Dialect;

/**
 * Guesses a migration's dialect from its text when neither configuration nor the repository's build and config files
 * say (migration-rules.md: "by config, else detected"). Counts unmistakable markers of each; PostgreSQL wins ties
 * (it is the default dialect). This only picks the lexer; rules then read the parsed statements.
 */
public final class DialectDetector {
  private static final String[] MYSQL = {"`", "engine=", "engine =", "auto_increment", "modify column", "change column",
      " unsigned", "algorithm=", "algorithm =", "lock=none", "character set utf8", "charset=", "delimiter ", "tinyint",
      "mediumtext", "longtext", "datetime(", " enum(", "on update current_timestamp"};
  private static final String[] POSTGRES = {"$$", "::", "concurrently", "serial", "jsonb", "timestamptz",
      "create extension", "not valid", "validate constraint", "using gin", "using gist", "text[]", "uuid_generate",
      "gen_random_uuid", "plpgsql", "create type", "alter type", " ilike ", "returning "};

  private DialectDetector() {}

  /** The dialect {@code text} (SQL) most looks like; PostgreSQL when nothing tells them apart. */
  public static Dialect fromContent(String text) {
    // A sample is enough to tell the dialects apart; scanning a whole 4 MB file would cost more than it tells.
    String lower = text.length() > 65_536 ? text.substring(0, 65_536).toLowerCase(java.util.Locale.ROOT)
        : text.toLowerCase(java.util.Locale.ROOT);
    int my = score(lower, MYSQL);
    int pg = score(lower, POSTGRES);
    return my > pg ? Dialect.MYSQL : Dialect.POSTGRESQL;
  }

  private static int score(String text, String[] markers) {
    int n = 0;
    for (String m : markers) {
      if (text.contains(m)) {
        n++;
      }
    }
    return n;
  }
}
