package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migration/read-incomplete: a migration the probe could not read blocks. The review's attack: a migration over the
 * file limit that ends in {@code DROP TABLE users;} passed with no findings.
 */
class ReadIncompleteRuleTest {
  private final RuleHarness harness = RuleHarness.of(RuleHarness.rule(new MigrationSafetyProbe(), "migration/read-incomplete"));
  private final RuleHarness probe = RuleHarness.of(new MigrationSafetyProbe());
  @TempDir Path dir;

  static String padded(String tail) {
    return "-- generated data\n".repeat(60_000) + tail;
  }

  @Test
  void flagsAMigrationOverTheLimitThatEndsInADropTable() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", Fixtures.PG_SCHEMA).deployed()
        .commit("db/migration/V2__seed.sql", padded("DROP TABLE users;\n"));
    harness.assertViolations(repo, """
        BLOCK migration/read-incomplete db/migration/V2__seed.sql
          Migration not read: 1080018 bytes, over the file limit of 1048576 bytes (worker.maxFileBytes)
        """);
    ProbeOutcome outcome = probe.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason());
  }

  @Test
  void flagsALiquibaseChangelogOverTheLimitByItsHead() {
    String changelog = "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n"
        + "<!-- x -->\n".repeat(110_000) + "</databaseChangeLog>\n";
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit("db/changelog/changes.xml", changelog);
    harness.assertViolations(repo, """
        BLOCK migration/read-incomplete db/changelog/changes.xml
          Migration not read: 1210093 bytes, over the file limit of 1048576 bytes (worker.maxFileBytes)
        """);
  }

  @Test
  void flagsAFrameworkMigrationOverTheLimitThatDropsAColumn() {
    // A framework read statically, padded past the limit: the drop at its end was never read, so it blocks.
    String rails = "class DropNickname < ActiveRecord::Migration[7.1]\n" + "  # generated\n".repeat(90_000)
        + "  def change\n    remove_column :users, :nickname\n  end\nend\n";
    String knex = "exports.up = function (knex) {\n" + "  // generated\n".repeat(90_000)
        + "  return knex.schema.table('users', (t) => t.dropColumn('nickname'));\n};\nexports.down = function () {};\n";
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit("db/migrate/20240601000000_drop_nickname.rb", rails)
        .commit("migrations/20240601000000_drop_nickname.js", knex);
    ProbeOutcome outcome = harness.run(repo);
    String rendered = RuleHarness.render(outcome.findings());
    assertTrue(rendered.contains("BLOCK migration/read-incomplete db/migrate/20240601000000_drop_nickname.rb"), rendered);
    assertTrue(rendered.contains("BLOCK migration/read-incomplete migrations/20240601000000_drop_nickname.js"), rendered);
    assertEquals(ProbeStatus.FAIL, probe.run(repo).status());
  }

  @Test
  void flagsAMigrationThatIsNotText() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commitBytes("db/migration/V2__x.sql", "DROP TABLE users;\0\0".getBytes(StandardCharsets.UTF_8));
    harness.assertViolations(repo, """
        BLOCK migration/read-incomplete db/migration/V2__x.sql
          Migration cannot be read: it is not text (it holds NUL bytes)
        """);
  }

  @Test
  void flagsAnAppliedMigrationOverTheLimit() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", padded("CREATE TABLE users (id int);\n"))
        .deployed().commit("db/migration/V2__x.sql", "ALTER TABLE users ADD COLUMN note text;\n");
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(1, outcome.findings().size(), RuleHarness.render(outcome.findings()));
    assertTrue(outcome.findings().get(0).message().startsWith("Applied migration (the running release's schema history) not read"),
        outcome.findings().get(0).message());
  }

  @Test
  void flagsADowngradedLimitAsAWarning() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit("db/migration/V2__seed.sql", padded("DROP TABLE users;\n"));
    ProbeOutcome outcome = harness.withServerConfig("defaults:\n  readLimits: {fileSize: warn}\n").run(repo);
    assertEquals(ProbeStatus.WARN, outcome.status(), outcome.reason());
    assertTrue(outcome.findings().get(0).message().endsWith("(downgraded to WARN for environment production by "
        + "readLimits.fileSize in the server's tollgate.yml)"), outcome.findings().get(0).message());
  }

  @Test
  void passesLargeFilesThatAreNotMigrations() {
    // Safe: a big SQL dump outside any migration directory, without a Liquibase or dbmate header, and a big YAML file
    // that is no changelog, are not migrations by the probe's own rules.
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit(java.util.Map.of("docs/dump.sql", padded("SELECT 1;\n"), "api/openapi.yaml", "openapi: 3.1.0\n"
            + "# x\n".repeat(300_000)), "big files");
    harness.assertNoViolations(repo);
  }
}
