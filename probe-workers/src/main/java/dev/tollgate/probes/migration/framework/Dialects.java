package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.sql.Dialect;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The dialect a framework migration is read in: {@code migrations.dialect} when configured; else a directory that
 * names the database (applications shipping migrations for several databases keep them apart:
 * {@code migrations/mysql/}, {@code util/PostgresMigrations/}); else the repository's detected dialect; else the
 * reader's own hint (a knexfile, {@code mix.exs}, the SQL itself).
 */
final class Dialects {
  private Dialects() {}

  static Dialect of(MigrationSource source, Supplier<Dialect> readerHint) {
    Dialect configured = source.settings() == null ? null : source.settings().configuredDialect();
    if (configured != null) {
      return configured;
    }
    Dialect byPath = fromPath(source.path());
    if (byPath != null) {
      return byPath;
    }
    return source.dialect() != null ? source.dialect() : readerHint.get();
  }

  /** {@code .../mysql/...}, {@code .../MySqlMigrations/...} → MySQL; {@code .../postgres/...} → PostgreSQL; else null. */
  static Dialect fromPath(String path) {
    String[] segments = path.toLowerCase(Locale.ROOT).split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      String s = segments[i];
      if (s.equals("mysql") || s.equals("mariadb") || s.startsWith("mysqlmigration") || s.startsWith("mariadbmigration")) {
        return Dialect.MYSQL;
      }
      if (s.equals("postgres") || s.equals("postgresql") || s.equals("pg") || s.startsWith("postgresmigration")
          || s.startsWith("postgresqlmigration") || s.startsWith("npgsql")) {
        return Dialect.POSTGRESQL;
      }
    }
    return null;
  }
}
