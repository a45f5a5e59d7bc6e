package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableRewriteMaintenanceRuleTest {
  private final RuleHarness harness = RuleHarness.of(new TableRewriteMaintenanceRule());
  @TempDir Path dir;

  @Test
  void flagsVacuumFull() {
    FixtureRepo repo = Fixtures.pg(dir, """
        VACUUM FULL users;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/table-rewrite-maintenance db/migration/V2__change.sql:1
          VACUUM FULL `users` rewrites the table under ACCESS EXCLUSIVE: reads and writes wait for the whole copy.
        """);
  }

  @Test
  void flagsSetTablespace() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders SET TABLESPACE fast_ssd;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/table-rewrite-maintenance db/migration/V2__change.sql:1
          ALTER TABLE `orders` SET TABLESPACE fast_ssd rewrites the table under ACCESS EXCLUSIVE.
        """);
  }

  @Test
  void passesPlainVacuumAnalyze() {
    // Safe: plain VACUUM does not rewrite or block.
    FixtureRepo repo = Fixtures.pg(dir, """
        VACUUM ANALYZE users;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesSetStatistics() {
    // Safe: catalog-only.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN email SET STATISTICS 500;
        """);
    harness.assertNoViolations(repo);
  }
}
