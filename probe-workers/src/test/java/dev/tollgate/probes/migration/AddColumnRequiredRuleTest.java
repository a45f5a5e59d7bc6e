package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddColumnRequiredRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddColumnRequiredRule());
  @TempDir Path dir;

  @Test
  void flagsNotNullWithoutDefaultWithOldInsertsAsEvidence() {
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of()).commit(java.util.Map.of(
            "src/main/java/app/UserDao.java", "class UserDao {\n  String sql = \"INSERT INTO users (email, name) VALUES (?, ?)\";\n}\n"), "dao")
        .deployed().commit("db/migration/V2__plan.sql", "ALTER TABLE users ADD COLUMN plan text NOT NULL;");
    harness.assertViolations(repo, """
        BLOCK migration/add-column-required db/migration/V2__plan.sql:1
          ADD COLUMN `users.plan` NOT NULL without a DEFAULT: PostgreSQL rejects it on any non-empty table, and on an empty one the running release's INSERTs that omit the column fail. The running release inserts into `users` at src/main/java/app/UserDao.java:2.
        """);
  }

  @Test
  void flagsMysqlNotNullWithoutDefault() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD COLUMN plan VARCHAR(10) NOT NULL;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-column-required db/migration/V2__change.sql:1
          ADD COLUMN `users.plan` NOT NULL without a DEFAULT: MySQL fills existing rows with the zero value and, in strict mode, the running release's INSERTs that omit the column fail ("Field doesn't have a default value"). No INSERT into `users` was found in the running release's code (0 files).
        """);
  }

  @Test
  void passesNotNullWithConstantDefault() {
    // Safe: existing rows and old INSERTs get the default.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesNullableColumn() {
    // Safe: old INSERTs leave it NULL.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN plan text;
        """);
    harness.assertNoViolations(repo);
  }
}
