package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenameEnumValueRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RenameEnumValueRule());
  @TempDir Path dir;

  @Test
  void flagsRenameEnumValue() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
        """);
    harness.assertViolations(repo, """
        BLOCK migration/rename-enum-value db/migration/V2__change.sql:1
          ALTER TYPE `mood` RENAME VALUE 'ok' TO 'fine': the running release's writes of 'ok' fail and its reads (Enum.valueOf) break on 'fine'.
        """);
  }

  @Test
  void passesAddEnumValue() {
    // Safe: adding a value keeps the old ones.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TYPE mood ADD VALUE IF NOT EXISTS 'fine';
        """);
    harness.assertNoViolations(repo);
  }
}
