package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgReindexNotConcurrentRuleTest {
  private final RuleHarness harness = RuleHarness.of(new PgReindexNotConcurrentRule());
  @TempDir Path dir;

  @Test
  void flagsReindexTable() {
    FixtureRepo repo = Fixtures.pg(dir, """
        REINDEX TABLE users;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/pg-reindex-not-concurrent db/migration/V2__change.sql:1
          REINDEX TABLE `users` without CONCURRENTLY takes SHARE on the table (writes wait) and ACCESS EXCLUSIVE on each index (reads using it wait) until the rebuild ends.
        """);
  }

  @Test
  void passesReindexConcurrently() {
    // Safe: CONCURRENTLY rebuilds without blocking (and the .conf keeps it out of a transaction).
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of("db/migration/V2__reindex.sql", "REINDEX TABLE CONCURRENTLY users;", "db/migration/V2__reindex.sql.conf", "executeInTransaction=false\n"));
    harness.assertNoViolations(repo);
  }
}
