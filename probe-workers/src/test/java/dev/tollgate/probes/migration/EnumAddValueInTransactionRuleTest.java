package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnumAddValueInTransactionRuleTest {
  private final RuleHarness harness = RuleHarness.of(new EnumAddValueInTransactionRule());
  @TempDir Path dir;

  @Test
  void flagsUseOfNewValueInSameTransaction() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TYPE mood ADD VALUE 'happy';
        UPDATE users SET status = 'happy' WHERE id = 1;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/enum-add-value-in-transaction db/migration/V2__change.sql:2
          Uses the enum value 'happy' that line 1 adds to `mood` in the same transaction (Flyway runs this file in one transaction): PostgreSQL fails with "unsafe use of new value".
        """);
  }

  @Test
  void passesAddValueAlone() {
    // Safe: the value is only used in a later migration.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';
        """);
    harness.assertNoViolations(repo);
  }
}
