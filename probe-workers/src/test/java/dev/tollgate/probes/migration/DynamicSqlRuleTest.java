package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicSqlRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DynamicSqlRule());
  @TempDir Path dir;

  @Test
  void flagsExecuteOfComputedString() {
    FixtureRepo repo = Fixtures.pg(dir, """
        DO $$ BEGIN EXECUTE 'ALTER TABLE ' || 'users' || ' ADD COLUMN x int'; END $$;
        """);
    harness.assertViolations(repo, """
        WARN migration/dynamic-sql db/migration/V2__change.sql:1
          This DO block runs EXECUTE with a computed string: the SQL it runs is only known at deploy time, so its locks and compatibility were not checked.
        """);
  }

  @Test
  void passesExecuteOfConstantString() {
    // Safe: a constant string is parsed and checked like any statement.
    FixtureRepo repo = Fixtures.pg(dir, """
        DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;
        """);
    harness.assertNoViolations(repo);
  }
}
