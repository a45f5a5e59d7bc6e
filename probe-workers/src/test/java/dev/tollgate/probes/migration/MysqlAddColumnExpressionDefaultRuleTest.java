package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqlAddColumnExpressionDefaultRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MysqlAddColumnExpressionDefaultRule());
  @TempDir Path dir;

  @Test
  void flagsExpressionDefault() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD COLUMN ref CHAR(36) DEFAULT (UUID());
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-add-column-expression-default db/migration/V2__change.sql:1
          ADD COLUMN `orders.ref` DEFAULT (UUID()): an expression default is not INSTANT, so MySQL rebuilds `orders` with writes blocked.
        """);
  }

  @Test
  void passesLiteralDefault() {
    // Safe: a literal default is INSTANT.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD COLUMN currency CHAR(3) NOT NULL DEFAULT 'EUR';
        """);
    harness.assertNoViolations(repo);
  }
}
