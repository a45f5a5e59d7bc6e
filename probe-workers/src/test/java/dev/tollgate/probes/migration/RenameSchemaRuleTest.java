package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenameSchemaRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RenameSchemaRule());
  @TempDir Path dir;

  @Test
  void flagsRenameSchema() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER SCHEMA reporting RENAME TO analytics;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/rename-schema db/migration/V2__change.sql:1
          ALTER SCHEMA `reporting` RENAME TO `analytics`: every query of the running release that names `reporting` (or has it on its search_path) fails at once.
        """);
  }

  @Test
  void passesSchemaOwnerChange() {
    // Safe: names are unchanged.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER SCHEMA reporting OWNER TO analyst;
        """);
    harness.assertNoViolations(repo);
  }
}
