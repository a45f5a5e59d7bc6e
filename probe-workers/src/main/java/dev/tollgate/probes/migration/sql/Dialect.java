package dev.tollgate.probes.migration.sql;

import java.util.Locale;

/**
 * The SQL dialect a migration is written for. It changes lexing ({@code "x"} is an identifier in PostgreSQL and a
 * string in MySQL; backticks, {@code #} comments and backslash escapes are MySQL's; dollar quotes are PostgreSQL's)
 * and which rules apply.
 */
public enum Dialect {
  POSTGRESQL,
  /** MySQL 8 and MariaDB (InnoDB). */
  MYSQL;

  /**
   * Parses a configuration value: {@code postgresql}/{@code postgres}/{@code pg}, {@code mysql}/{@code mariadb}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Dialect parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "postgresql", "postgres", "pg" -> POSTGRESQL;
      case "mysql", "mariadb" -> MYSQL;
      default -> throw new IllegalArgumentException("expected postgresql or mysql, got \"" + value + "\"");
    };
  }

  /** Lower-case name as written in configuration and reports. */
  public String id() {
    return this == POSTGRESQL ? "postgresql" : "mysql";
  }
}
