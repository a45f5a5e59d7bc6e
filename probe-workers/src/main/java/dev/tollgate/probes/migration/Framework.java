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
  PRISMA("Prisma"),
  /** {@code database/migrations/*.php} (Schema builder); one transaction unless {@code $withinTransaction = false}. */
  LARAVEL("Laravel"),
  /** {@code migrations/*.js|ts} ({@code knex.schema}); a transaction unless {@code config = { transaction: false }}. */
  KNEX("Knex"),
  /** {@code MigrationInterface} classes; every pending migration in one transaction by default. */
  TYPEORM("TypeORM"),
  /** {@code queryInterface} migrations (sequelize-cli, umzug); no transaction unless the migration opens one. */
  SEQUELIZE("Sequelize"),
  /** {@code MigrationBuilder} classes; one transaction per migration, suppressed per {@code Sql(..., true)}. */
  EF_CORE("EF Core"),
  /** {@code priv/repo/migrations/*.exs}; one transaction unless {@code @disable_ddl_transaction true}. */
  ECTO("Ecto"),
  /** {@code -- +goose Up} SQL files; one transaction unless {@code -- +goose NO TRANSACTION}. */
  GOOSE("goose"),
  /** {@code deploy/*.sql} of a {@code sqitch.plan}; the script's own BEGIN/COMMIT. */
  SQITCH("sqitch"),
  /** {@code V<ver>__x.java} extending {@code BaseJavaMigration}; one transaction unless it says it cannot. */
  FLYWAY_JAVA("Flyway Java migration");

  private final String displayName;

  Framework(String displayName) {
    this.displayName = displayName;
  }

  /** The framework's own name, for messages and the probe's summary ({@code Rails}, {@code golang-migrate}). */
  public String displayName() {
    return displayName;
  }
}
