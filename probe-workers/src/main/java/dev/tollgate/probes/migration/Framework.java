package dev.tollgate.probes.migration;

/** The migration tool a file belongs to: it decides file naming, ordering and the transaction model. */
public enum Framework {
  /** {@code V<ver>__x.sql}, {@code U<ver>__x.sql}, {@code R__x.sql}; one transaction per file on PostgreSQL. */
  FLYWAY,
  /** Formatted SQL ({@code --changeset}) or XML/YAML changelogs; one transaction per changeset. */
  LIQUIBASE,
  /** {@code <ver>_x.up.sql} / {@code .down.sql}; a multi-statement file is one implicit transaction on PostgreSQL. */
  GOLANG_MIGRATE,
  /** {@code -- migrate:up} / {@code -- migrate:down} sections; a transaction unless {@code transaction:false}. */
  DBMATE,
  /** Plain SQL run statement by statement (psql style); explicit BEGIN/COMMIT make transactions. */
  PLAIN
}
