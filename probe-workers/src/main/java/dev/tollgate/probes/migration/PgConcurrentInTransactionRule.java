package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, ...) in a migration unit the tool
 * wraps in a transaction: the deploy fails half-way with ERROR 25001.
 */
final class PgConcurrentInTransactionRule extends MigrationRule {
  PgConcurrentInTransactionRule() {
    super("pg-concurrent-in-transaction", Severity.BLOCK,
        "A statement that cannot run in a transaction block (CONCURRENTLY, VACUUM) runs inside one: the migration fails.",
        "Put the statement alone in a migration that runs without a transaction.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    int pgVersion = set.settings().postgresVersion();
    for (Migration m : set.pending()) {
      if (m.dialect() != Dialect.POSTGRESQL) {
        continue;
      }
      if (m.flywayMixed()) {
        for (MigrationStatement s : set.statements()) {
          if (s.migration() == m && MigrationReader.flywayNonTransactional(s.command(), pgVersion)) {
            boolean allowed = Boolean.TRUE.equals(set.settings().flywayMixed());
            out.add(at(s, allowed
                ? "With flyway mixed=true this file runs without a transaction because it mixes `" + s.statement().excerpt()
                    + "` with ordinary statements: a failure leaves it half-applied and Flyway's history marks it failed."
                : "Flyway refuses this file at deploy time: it mixes `" + s.statement().excerpt()
                    + "`, which Flyway runs outside a transaction, with transactional statements.",
                "Move `" + s.statement().excerpt() + "` into its own V file (Flyway then runs that file without a"
                    + " transaction), or add " + m.path().substring(m.path().lastIndexOf('/') + 1)
                    + ".conf with executeInTransaction=false and make every statement safe to re-run."));
            break;
          }
        }
      }
    }
    for (List<MigrationStatement> unit : set.transactionalUnits()) {
      for (MigrationStatement s : unit) {
        if (s.dialect() != Dialect.POSTGRESQL || s.migration().flywayMixed()
            || !MigrationReader.cannotRunInTransaction(s.command(), pgVersion)) {
          continue;
        }
        out.add(at(s, "`" + s.statement().excerpt() + "` cannot run inside a transaction block, but " + s.unit().label()
            + ": PostgreSQL rejects it with ERROR 25001 and the deploy stops half-way.", fix(s)));
      }
    }
    return out;
  }

  private static String fix(MigrationStatement s) {
    String name = s.path().substring(s.path().lastIndexOf('/') + 1);
    if (s.unit().label().startsWith("the BEGIN block")) {
      return "Move it out of the BEGIN ... COMMIT block.";
    }
    return switch (s.migration().framework()) {
      case FLYWAY -> "Put it alone in its own V file, or add " + name + ".conf with executeInTransaction=false.";
      case LIQUIBASE -> "Put it in its own changeset with runInTransaction:false.";
      case GOLANG_MIGRATE -> "Put it alone in its own migration file (a single statement is not wrapped in a transaction).";
      case DBMATE -> "Use `-- migrate:up transaction:false` and keep it the only statement of the migration.";
      case PLAIN -> "Run it outside any transaction.";
      case RAILS -> "Add `disable_ddl_transaction!` to the migration class and keep the concurrent index alone in its"
          + " migration (strong_migrations' add_index pattern).";
      case DJANGO -> "Set `atomic = False` on the migration class and use AddIndexConcurrently / RemoveIndexConcurrently"
          + " alone in it.";
      case ALEMBIC -> "Run it inside `with op.get_context().autocommit_block():` (op.create_index(...,"
          + " postgresql_concurrently=True)).";
      case PRISMA -> "Put it alone in a migration.sql of its own (prisma migrate dev --create-only): Prisma sends a"
          + " migration as one query, which PostgreSQL runs as one transaction when it has several statements.";
      case LARAVEL -> "Put it in its own migration with `public $withinTransaction = false;` (Laravel 11+: `->online()`"
          + " on the index).";
      case KNEX -> "Put it in its own migration with `exports.config = { transaction: false };`.";
      case TYPEORM -> "Put it in its own migration with `transaction = false` (and migrationsTransactionMode: 'each' in"
          + " the data source, since the default 'all' refuses per-migration overrides).";
      case SEQUELIZE -> "Call it outside `sequelize.transaction(...)`: Sequelize runs migrations without a transaction.";
      case EF_CORE -> "Use `migrationBuilder.Sql(\"...\", suppressTransaction: true)`, or (Npgsql) the index's"
          + " `.Annotation(\"Npgsql:CreatedConcurrently\", true)`, which suppresses the transaction itself.";
      case ECTO -> "Add `@disable_ddl_transaction true` and `@disable_migration_lock true` (or migration_lock:"
          + " :pg_advisory_lock in the repo's config) to the migration.";
      case GOOSE -> "Put it in its own file starting with `-- +goose NO TRANSACTION`.";
      case SQITCH -> "Move it out of the script's BEGIN ... COMMIT into its own change.";
      case FLYWAY_JAVA -> "Put it in its own Java migration whose canExecuteInTransaction() returns false.";
    };
  }
}
