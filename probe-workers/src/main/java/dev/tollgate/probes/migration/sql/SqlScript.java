package dev.tollgate.probes.migration.sql;

import java.util.List;

/**
 * A parsed piece of SQL: its executed statements in order (DO-block contents inlined after the block; function
 * bodies not) and the problems met while reading it.
 */
public record SqlScript(Dialect dialect, List<Statement> statements, List<Problem> problems) {
  public SqlScript {
    statements = List.copyOf(statements);
    problems = List.copyOf(problems);
  }

  /** Parses {@code sql} (a whole file) in {@code dialect}. Never throws for bad SQL: see {@link #problems()}. */
  public static SqlScript parse(String sql, Dialect dialect) {
    return SqlParser.parse(sql, 0, sql.length(), 1, dialect);
  }

  /**
   * Parses the region {@code [from, to)} of {@code source} whose first character is on line {@code firstLine}
   * (one changeset of a Liquibase file, one section of a dbmate file). Statement text and lines refer to the
   * whole source.
   */
  public static SqlScript parse(String source, int from, int to, int firstLine, Dialect dialect) {
    return SqlParser.parse(source, from, to, firstLine, dialect);
  }
}
