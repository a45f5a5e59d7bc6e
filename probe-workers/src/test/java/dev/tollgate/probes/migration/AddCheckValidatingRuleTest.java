package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddCheckValidatingRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddCheckValidatingRule());
  @TempDir Path dir;

  @Test
  void flagsCheckWithoutNotValid() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-check-validating db/migration/V2__change.sql:1
          ADD CONSTRAINT `total_positive` CHECK (total > 0) without NOT VALID scans all of `orders` under an ACCESS EXCLUSIVE lock: reads and writes wait.
        """);
  }

  @Test
  void flagsMysqlCheck() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-check-validating db/migration/V2__change.sql:1
          ADD CHECK `total_positive` on `orders` (MySQL 8.0.16+) copies the table with writes blocked, even NOT ENFORCED.
        """);
  }

  @Test
  void passesNotValidCheck() {
    // Safe: NOT VALID skips the scan of existing rows.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID;
        """);
    harness.assertNoViolations(repo);
  }
}
