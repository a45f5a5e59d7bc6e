package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncompatibleSchemaRuleTest {
  private final RuleHarness harness = RuleHarness.of(new IncompatibleSchemaRule());
  @TempDir Path dir;

  static final String SCHEMA = """
      CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flag boolean);
      CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint, expires timestamptz);
      """;
  static final String REPOSITORY = """
      package app;
      class UserRepository {
        String find = "SELECT id, email, legacy_flag FROM users WHERE id = ?";
        String add = "INSERT INTO users (id, email) VALUES (?, ?)";
        String session = "SELECT user_id FROM sessions WHERE id = ?";
      }
      """;

  /** The running release (the rollback target) has the schema and {@code code}; this deploy adds one migration. */
  FixtureRepo deploy(String code, String migration) {
    return FixtureRepo.create(dir).commit(Map.of("db/migration/V1__init.sql", SCHEMA,
            "src/main/java/app/UserRepository.java", code), "release 1").deployed()
        .commit("db/migration/V2__change.sql", migration);
  }

  String target(FixtureRepo repo) {
    return repo.baseline().substring(0, 7);
  }

  @Test
  void flagsADroppedColumnTheRollbackTargetStillReads() {
    var repo = deploy(REPOSITORY, "ALTER TABLE users DROP COLUMN legacy_flag;");
    harness.assertViolations(repo, """
        BLOCK rollback/incompatible-schema db/migration/V2__change.sql:1
          Rolling back to `%s` after this deploy would run code that uses `users.legacy_flag` \
        (src/main/java/app/UserRepository.java:3), but db/migration/V2__change.sql:1 drops column `users.legacy_flag`: \
        its queries would fail on the first request that touches it.
        """.formatted(target(repo)));
  }

  @Test
  void flagsARequiredColumnTheRollbackTargetDoesNotInsert() {
    var repo = deploy(REPOSITORY, "ALTER TABLE users ADD COLUMN tenant text NOT NULL;");
    harness.assertViolations(repo, """
        BLOCK rollback/incompatible-schema db/migration/V2__change.sql:1
          Rolling back to `%s` after this deploy would run code that inserts into `users` \
        (src/main/java/app/UserRepository.java:4), but db/migration/V2__change.sql:1 adds the NOT NULL column \
        `users.tenant` without a default: its inserts would fail with a NOT NULL violation.
        """.formatted(target(repo)));
  }

  @Test
  void flagsDeletedRowsAsAWarningAndAnEmptiedTableAsBlocking() {
    var repo = deploy(REPOSITORY, "DELETE FROM sessions WHERE expires < now();\nTRUNCATE sessions;");
    harness.assertViolations(repo, """
        BLOCK rollback/incompatible-schema db/migration/V2__change.sql:2
          Rolling back to `%1$s` after this deploy would run code that uses `sessions` \
        (src/main/java/app/UserRepository.java:5), but db/migration/V2__change.sql:2 truncates `sessions`: it would run \
        on data that is gone, and no code rollback brings the rows back.
        WARN rollback/incompatible-schema db/migration/V2__change.sql:1
          Rolling back to `%1$s` after this deploy would run code that uses `sessions` \
        (src/main/java/app/UserRepository.java:5), but db/migration/V2__change.sql:1 deletes rows of `sessions`: it would \
        run on data that is gone, and no code rollback brings the rows back.
        """.formatted(target(repo)));
  }

  @Test
  void flagsAChangeNothingCanProveSafeWhenThereIsNoCodeToSearch() {
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", SCHEMA).deployed()
        .commit("db/migration/V2__change.sql", "ALTER TABLE users RENAME COLUMN email TO mail;");
    harness.assertViolations(repo, """
        BLOCK rollback/incompatible-schema db/migration/V2__change.sql:1
          This deploy renames column `users.email` to `mail` (db/migration/V2__change.sql:1), and the release you would \
        roll back to (`%s`) has no application code in this repository to search, so nothing shows it would still work \
        afterwards.
        """.formatted(target(repo)));
  }

  @Test
  void passesTheContractStepOfExpandContract() {
    // Safe: the rollback target no longer mentions legacy_flag (the expand release stopped using it), so it keeps
    // working after the drop; adding a column with a default does not break its inserts.
    var repo = deploy("""
        package app;
        class UserRepository {
          String find = "SELECT id, email FROM users WHERE id = ?";
        }
        """, "ALTER TABLE users DROP COLUMN legacy_flag;\nALTER TABLE users ADD COLUMN tenant text NOT NULL DEFAULT 'a';");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesAFirstDeploy() {
    // Safe for this rule: there is no release to roll back to.
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", SCHEMA + "DROP TABLE sessions;");
    harness.assertNoViolations(repo);
  }
}
