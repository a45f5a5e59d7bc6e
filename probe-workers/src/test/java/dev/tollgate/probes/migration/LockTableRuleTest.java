package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTableRuleTest {
  private final RuleHarness harness = RuleHarness.of(new LockTableRule());
  @TempDir Path dir;

  @Test
  void flagsLockTable() {
    FixtureRepo repo = Fixtures.pg(dir, """
        LOCK TABLE orders IN SHARE MODE;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/lock-table db/migration/V2__change.sql:1
          LOCK TABLE `orders` (SHARE) holds the lock until the transaction ends: the running release's queries on it wait for the rest of the migration.
        """);
  }

  @Test
  void flagsMysqlLockTables() {
    FixtureRepo repo = Fixtures.my(dir, """
        LOCK TABLES orders WRITE;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/lock-table db/migration/V2__change.sql:1
          LOCK TABLES `orders` (WRITE) holds the lock until UNLOCK TABLES: the running release's queries on it wait for the rest of the migration.
        """);
  }

  @Test
  void passesRowLevelWork() {
    // Safe: row locks only, no table lock statement.
    FixtureRepo repo = Fixtures.pg(dir, """
        UPDATE orders SET note = 'x' WHERE id = 1;
        """);
    harness.assertNoViolations(repo);
  }
}
