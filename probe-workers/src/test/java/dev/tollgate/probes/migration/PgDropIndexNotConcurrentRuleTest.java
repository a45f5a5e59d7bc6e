package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgDropIndexNotConcurrentRuleTest {
  private final RuleHarness harness = RuleHarness.of(new PgDropIndexNotConcurrentRule());
  @TempDir Path dir;

  @Test
  void flagsDropIndexWithoutConcurrently() {
    FixtureRepo repo = Fixtures.pg(dir, """
        DROP INDEX idx_orders_user;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-drop-index-not-concurrent db/migration/V2__change.sql:1
          DROP INDEX `idx_orders_user` without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: every query on it waits, behind any long-running transaction.
        """);
  }

  @Test
  void passesDropIndexConcurrently() {
    // Safe: CONCURRENTLY does not take ACCESS EXCLUSIVE.
    FixtureRepo repo = Fixtures.pg(dir, """
        DROP INDEX CONCURRENTLY IF EXISTS idx_orders_user;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesDropOfIndexCreatedInSameDeploy() {
    // Safe: the index and its table are new in this deploy.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE tmp (a int);
        CREATE INDEX idx_tmp ON tmp (a);
        DROP INDEX idx_tmp;
        """);
    harness.assertNoViolations(repo);
  }
}
