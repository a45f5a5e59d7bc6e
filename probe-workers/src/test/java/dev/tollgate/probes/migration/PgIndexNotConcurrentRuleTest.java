package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgIndexNotConcurrentRuleTest {
  private final RuleHarness harness = RuleHarness.of(new PgIndexNotConcurrentRule());
  @TempDir Path dir;

  @Test
  void flagsCreateIndexWithoutConcurrently() {
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE INDEX idx_users_email ON users (email);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-index-not-concurrent db/migration/V2__change.sql:1
          CREATE INDEX `idx_users_email` on `users` without CONCURRENTLY takes a SHARE lock: INSERT/UPDATE/DELETE on `users` wait until the index is built, which can take minutes on a large table.
        """);
  }

  @Test
  void flagsUniqueIndexInMultiLineStatement() {
    FixtureRepo repo = Fixtures.pg(dir, """
        create unique index
          idx_users_nick
          on users(nick);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-index-not-concurrent db/migration/V2__change.sql:1
          CREATE UNIQUE INDEX `idx_users_nick` on `users` without CONCURRENTLY takes a SHARE lock: INSERT/UPDATE/DELETE on `users` wait until the index is built, which can take minutes on a large table.
        """);
  }

  /** Issue 20 item 16: the fix, SQL to run on PostgreSQL, quoted the index name with MySQL's backticks. */
  @Test
  void flagsWithAFixInPostgresqlSyntax() {
    FixtureRepo repo = Fixtures.pg(dir, "CREATE INDEX idx_users_email ON app.users (email);\n"
        + "CREATE INDEX \"Idx \"\"Mixed\"\"\" ON \"Users\" (name);\n");
    var fixes = harness.run(repo).findings().stream().map(f -> f.fix()).toList();
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON app.users (...) in its own non-transactional migration;"
            + " if it fails, drop the INVALID index and retry.",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Idx \"\"Mixed\"\"\" ON \"Users\" (...) in its own non-transactional migration;"
            + " if it fails, drop the INVALID index and retry."), fixes);
  }

  @Test
  void passesConcurrentIndex() {
    // Safe: CONCURRENTLY builds without blocking writes.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_email ON users (email);
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesIndexOnTableCreatedInSameDeploy() {
    // Safe: the table is new and empty; no running instance writes to it.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE audit (id bigint, at timestamptz);
        CREATE INDEX idx_audit_at ON audit (at);
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesMysqlCreateIndex() {
    // Safe: MySQL builds secondary indexes in place with concurrent DML (LOCK=NONE).
    FixtureRepo repo = Fixtures.my(dir, """
        CREATE INDEX idx_email ON users (email);
        """);
    harness.assertNoViolations(repo);
  }
}
