package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropSchemaDatabaseRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DropSchemaDatabaseRule());
  @TempDir Path dir;

  @Test
  void flagsDropSchema() {
    FixtureRepo repo = Fixtures.pg(dir, """
        DROP SCHEMA reporting CASCADE;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/drop-schema-database db/migration/V2__change.sql:1
          DROP SCHEMA `reporting` removes every table, view and function in it, with their data: the running release fails on any of them.
        """);
  }

  @Test
  void passesCreateSchema() {
    // Safe: creating a schema breaks nothing.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE SCHEMA IF NOT EXISTS reporting;
        """);
    harness.assertNoViolations(repo);
  }
}
