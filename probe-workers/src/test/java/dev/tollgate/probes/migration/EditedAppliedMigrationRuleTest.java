package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditedAppliedMigrationRuleTest {
  private final RuleHarness harness = RuleHarness.of(new EditedAppliedMigrationRule());
  @TempDir Path dir;

  @Test
  void flagsEditedFlywayMigration() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", Fixtures.PG_SCHEMA).deployed()
        .commit("db/migration/V1__init.sql", Fixtures.PG_SCHEMA + "ALTER TABLE users ADD COLUMN bio text;\n");
    harness.assertViolations(repo, """
        BLOCK migration/edited-applied-migration db/migration/V1__init.sql:1
          V1__init.sql was applied by the running release and is modified in this deploy: Flyway's validate fails on the checksum mismatch and the new release does not start.
        """);
  }

  @Test
  void flagsEditedLiquibaseChangeset() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/changelog.sql", "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n").deployed()
        .commit("db/changelog.sql", "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id bigint);\n");
    harness.assertViolations(repo, """
        BLOCK migration/edited-applied-migration db/changelog.sql:2
          changeset a:1 was applied by the running release and is modified in this deploy: Liquibase fails with a checksum validation error and the new release does not start.
        """);
  }

  @Test
  void passesAppendedLiquibaseChangeset() {
    // Safe: appending a changeset is how Liquibase changelogs grow; a:1 is unchanged.
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/changelog.sql", "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n").deployed()
        .commit("db/changelog.sql", "--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n\n--changeset a:2\nCREATE TABLE u (id int);\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesEditedRepeatableMigration() {
    // Safe: Flyway re-applies repeatable migrations when they change.
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;").deployed()
        .commit("db/migration/R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 2;");
    harness.assertNoViolations(repo);
  }
}
