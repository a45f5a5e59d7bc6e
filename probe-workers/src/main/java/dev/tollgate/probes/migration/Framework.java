package dev.tollgate.probes.migration;

/**
 * The migration tool a file belongs to: it decides file naming, ordering and the transaction model. SQL tools are read
 * by {@link MigrationReader}; the others by a reader of {@link dev.tollgate.probes.migration.framework} (one class per
 * framework, listed in {@code FrameworkReaders}).
 */
public enum Framework {
  /** {@code V<ver>__x.sql}, {@code U<ver>__x.sql}, {@code R__x.sql}; one transaction per file on PostgreSQL. */
  FLYWAY("Flyway"),
  /** Formatted SQL ({@code --changeset}) or XML/YAML changelogs; one transaction per changeset. */
  LIQUIBASE("Liquibase"),
  /** {@code <ver>_x.up.sql} / {@code .down.sql}; a multi-statement file is one implicit transaction on PostgreSQL. */
  GOLANG_MIGRATE("golang-migrate"),
  /** {@code -- migrate:up} / {@code -- migrate:down} sections; a transaction unless {@code transaction:false}. */
  DBMATE("dbmate"),
  /** Plain SQL run statement by statement (psql style); explicit BEGIN/COMMIT make transactions. */
  PLAIN("plain SQL"),
  /** {@code db/migrate/<version>_x.rb}; one transaction unless {@code disable_ddl_transaction!} (RailsReader). */
  RAILS("Rails"),
  /** {@code <app>/migrations/NNNN_x.py}; atomic (one transaction) unless {@code atomic = False} (DjangoReader). */
  DJANGO("Django"),
  /** {@code versions/<rev>_x.py}; a transaction unless inside {@code autocommit_block()} (AlembicReader). */
  ALEMBIC("Alembic"),
  /** {@code migrations/<ts>_x/migration.sql}; one query, so one implicit transaction when it has several statements. */
  PRISMA("Prisma");

  private final String displayName;

  Framework(String displayName) {
    this.displayName = displayName;
  }

  /** The framework's own name, for messages and the probe's summary ({@code Rails}, {@code golang-migrate}). */
  public String displayName() {
    return displayName;
  }
}
