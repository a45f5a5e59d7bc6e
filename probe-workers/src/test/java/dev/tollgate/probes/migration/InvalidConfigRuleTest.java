package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidConfigRuleTest {
  private final RuleHarness harness = RuleHarness.of(new InvalidConfigRule());
  @TempDir Path dir;

  @Test
  void flagsUnknownDialect() {
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "migrations:\n  dialect: oracle\n  lockTimout: true\n").deployed()
        .commit("db/migration/V1__x.sql", "SELECT 1;");
    harness.assertViolations(repo, """
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.lockTimout: unknown key (known: [acknowledgements, dialect, exclude, flyway, lockTimeoutSetByRole, notChecked, notMigrations, oldCode, paths, postgresVersion, utcSessionTimeZone])
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.dialect: expected postgresql, mysql, mariadb or auto
        """);
  }

  @Test
  void flagsARepositoryThatLoosensThePolicyOrDeclaresWithoutAReason() {
    // Accepting the author's own safety_assured is the operators' decision; a declaration without its reason is a
    // silent way to skip checks; a typo in a value must not pass for the default.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        migrations:
          acknowledgements: warn
          notChecked: sometimes
          notMigrations:
            tools/migrations/: ""
        """).deployed().commit("db/migration/V1__x.sql", "SELECT 1;");
    harness.assertViolations(repo, """
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.notChecked: expected warn or block, got "sometimes"
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.acknowledgements: only the operators' tollgate.yml may set warn (a repository can only tighten the policy)
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.notMigrations.tools/migrations/: expected the reason this is not a migration (a non-empty text)
        """);
  }

  @Test
  void passesTheOperatorsPolicyAndARepositoryThatTightensIt() {
    // Safe: the operators may accept acknowledgements and the repository may make "not checked" block.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        migrations:
          notChecked: block
          acknowledgements: report
          notMigrations: {"tools/migrations/": "fixtures of our importer, never run"}
        """).deployed().commit("db/migration/V1__x.sql", "SELECT 1;");
    harness.withServerConfig("defaults: {migrations: {acknowledgements: warn, notChecked: warn}}\n").assertNoViolations(repo);
  }

  @Test
  void passesValidConfig() {
    // Safe: every key is known and every value valid.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "migrations:\n  dialect: postgresql\n  postgresVersion: 16\n  flyway: {mixed: false}\n").deployed()
        .commit("db/migration/V1__x.sql", "SELECT 1;");
    harness.assertNoViolations(repo);
  }
}
