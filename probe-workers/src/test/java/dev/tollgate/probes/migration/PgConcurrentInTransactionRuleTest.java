package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgConcurrentInTransactionRuleTest {
  private final RuleHarness harness = RuleHarness.of(new PgConcurrentInTransactionRule());
  @TempDir Path dir;

  @Test
  void flagsConcurrentIndexInLiquibaseChangesetWithoutRunInTransactionFalse() {
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of("db/changelog/002.sql", "--liquibase formatted sql\n--changeset alice:2\nCREATE INDEX CONCURRENTLY idx_users_email ON users (email);\n"));
    harness.assertViolations(repo, """
        BLOCK migration/pg-concurrent-in-transaction db/changelog/002.sql:3
          `CREATE INDEX CONCURRENTLY idx_users_email ON users (email)` cannot run inside a transaction block, but Liquibase runs changeset alice:2 in one transaction: PostgreSQL rejects it with ERROR 25001 and the deploy stops half-way.
        """);
  }

  @Test
  void flagsFlywayFileMixingConcurrentlyWithOtherStatements() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN bio text;
        CREATE INDEX CONCURRENTLY idx_users_bio ON users (bio);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-concurrent-in-transaction db/migration/V2__change.sql:2
          Flyway refuses this file at deploy time: it mixes `CREATE INDEX CONCURRENTLY idx_users_bio ON users (bio)`, which Flyway runs outside a transaction, with transactional statements.
        """);
  }

  @Test
  void flagsReindexConcurrentlyInFlywayFile() {
    FixtureRepo repo = Fixtures.pg(dir, """
        REINDEX INDEX CONCURRENTLY idx_orders_user;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-concurrent-in-transaction db/migration/V2__change.sql:1
          `REINDEX INDEX CONCURRENTLY idx_orders_user` cannot run inside a transaction block, but Flyway runs this file in one transaction: PostgreSQL rejects it with ERROR 25001 and the deploy stops half-way.
        """);
  }

  @Test
  void flagsConcurrentIndexInExplicitTransaction() {
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of(".tollgate.yml", "migrations:\n  paths: [sql]\n", "sql/002_idx.sql", "BEGIN;\nCREATE INDEX CONCURRENTLY idx_users_email ON users (email);\nCOMMIT;\n"));
    harness.assertViolations(repo, """
        BLOCK migration/pg-concurrent-in-transaction sql/002_idx.sql:2
          `CREATE INDEX CONCURRENTLY idx_users_email ON users (email)` cannot run inside a transaction block, but the BEGIN block at line 1 is one transaction: PostgreSQL rejects it with ERROR 25001 and the deploy stops half-way.
        """);
  }

  @Test
  void passesFlywayFileWithOnlyConcurrentIndex() {
    // Safe: Flyway runs a file made only of CONCURRENTLY statements without a transaction.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesLiquibaseChangesetWithRunInTransactionFalse() {
    // Safe: runInTransaction:false runs the changeset outside a transaction.
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of("db/changelog/002.sql", "--liquibase formatted sql\n--changeset alice:2 runInTransaction:false\nCREATE INDEX CONCURRENTLY idx_users_email ON users (email);\n"));
    harness.assertNoViolations(repo);
  }
}
