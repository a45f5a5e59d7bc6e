package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Never silent: a migration of a framework the probe does not read is a finding, never a silent GO. */
class UncheckedFrameworkRuleTest {
  private final RuleHarness harness = RuleHarness.of(new UncheckedFrameworkRule());
  @TempDir Path dir;

  /** Doctrine Migrations: a framework the probe recognizes but does not read. */
  private static final String DOCTRINE = """
      <?php
      namespace DoctrineMigrations;
      use Doctrine\\DBAL\\Schema\\Schema;
      use Doctrine\\Migrations\\AbstractMigration;
      final class Version20240501000000 extends AbstractMigration {
          public function up(Schema $schema): void {
              $this->addSql('ALTER TABLE users DROP nickname');
          }
      }
      """;

  private FixtureRepo doctrine(String tollgateYml) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app/Models/User.php", "<?php class User { public $nickname; }\n");
    if (tollgateYml != null) {
      repo.commit(".tollgate.yml", tollgateYml);
    }
    return repo.deployed().commit("migrations/Version20240501000000.php", DOCTRINE);
  }

  private static final String UNREAD_NOTE = "; Tollgate does not deploy what it cannot check (operators may downgrade this to a warning: migrations.notChecked: warn in the server's tollgate.yml).";

  @Test
  void flagsAMigrationOfAFrameworkItDoesNotReadByPathAndContentAsBlocking() {
    // Not read is not checked: the author of the change could ship any DDL through it.
    harness.assertViolations(doctrine(null), """
        BLOCK migration/unchecked-framework migrations/Version20240501000000.php:1
          migrations/Version20240501000000.php looks like a migration of Doctrine Migrations, which the migrations probe does not read: not checked (locks, columns the running release still uses, transactions)NOTE
        """.replace("NOTE", UNREAD_NOTE));
  }

  @Test
  void flagsItAsAWarningOnlyWhenTheOperatorsSaySo() {
    harness.withServerConfig("environments: {production: {migrations: {notChecked: warn}}}\n").assertViolations(doctrine(null), """
        WARN migration/unchecked-framework migrations/Version20240501000000.php:1
          migrations/Version20240501000000.php looks like a migration of Doctrine Migrations, which the migrations probe does not read: not checked (locks, columns the running release still uses, transactions).
        """);
  }

  @Test
  void aRepositoryCannotDowngradeItToAWarning() {
    harness.assertViolations(doctrine("migrations: {notChecked: warn}\n"), """
        BLOCK migration/unchecked-framework migrations/Version20240501000000.php:1
          migrations/Version20240501000000.php looks like a migration of Doctrine Migrations, which the migrations probe does not read: not checked (locks, columns the running release still uses, transactions)NOTE
        """.replace("NOTE", UNREAD_NOTE));
  }

  @Test
  void flagsSqlInAMigrationsDirectoryThatNoToolsNamingExplains() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("src/app.py", "print(1)\n").deployed()
        .commit("db/migrations/0007_drop_nick.sql", "ALTER TABLE users DROP COLUMN nick;");
    harness.assertViolations(repo, """
        BLOCK migration/unchecked-framework db/migrations/0007_drop_nick.sql:1
          db/migrations/0007_drop_nick.sql looks like a migration of an unrecognized SQL migration tool, which the migrations probe does not read: not checked (locks, columns the running release still uses, transactions)NOTE
        """.replace("NOTE", UNREAD_NOTE));
  }

  @Test
  void flagsADeclaredNotMigrationAsInformationWithItsReason() {
    harness.assertViolations(doctrine("migrations:\n  notMigrations: {\"migrations/\": \"migrated by the platform team\"}\n"), """
        INFO migration/unchecked-framework migrations/Version20240501000000.php:1
          migrations/Version20240501000000.php is declared not a migration in .tollgate.yml: "migrated by the platform team". Not checked.
        """);
  }

  @Test
  void passesOrdinaryCodeInMigrationLikePlacesAndPlainSqlItReads() {
    // Safe: a helper without a framework's markers is not a migration; plain SQL in migrations.paths is read and
    // checked by the other rules, so it is not "unchecked".
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "migrations: {paths: [db/migrations]}\n").deployed()
        .commit(Map.of("src/migration_helpers/Format.php", "<?php function fmt($s) { return trim($s); }\n",
            "db/migrations/0007_add_plan.sql", "ALTER TABLE users ADD COLUMN plan text;",
            "deploy/kubernetes/app.yaml", "kind: Deployment\n"), "change");
    harness.assertNoViolations(repo);
  }

  @Test
  void theProbesReasonNamesWhatItReadAndWhatItDidNot() {
    FixtureRepo repo = doctrine(null).commit("db/migration/V2__plan.sql", "ALTER TABLE users ADD COLUMN plan text;");
    String reason = RuleHarness.of(new MigrationSafetyProbe()).run(repo).reason();
    assertEquals(true, reason.endsWith("; read 1 Flyway migration; not read: 1 Doctrine Migrations file"), reason);
  }
}
