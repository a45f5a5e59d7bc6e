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
          .tollgate.yml migrations.lockTimout: unknown key (known: [dialect, exclude, flyway, lockTimeoutSetByRole, oldCode, paths, postgresVersion, utcSessionTimeZone])
        BLOCK migration/invalid-config -
          .tollgate.yml migrations.dialect: expected postgresql, mysql, mariadb or auto
        """);
  }

  @Test
  void passesValidConfig() {
    // Safe: every key is known and every value valid.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "migrations:\n  dialect: postgresql\n  postgresVersion: 16\n  flyway: {mixed: false}\n").deployed()
        .commit("db/migration/V1__x.sql", "SELECT 1;");
    harness.assertNoViolations(repo);
  }
}
