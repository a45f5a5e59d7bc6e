package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenameColumnRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RenameColumnRule());
  @TempDir Path dir;

  @Test
  void flagsRenameOfColumnUsedByOldCode() {
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of()).commit(java.util.Map.of(
            "src/main/java/app/User.java", "@Entity\n@Table(name = \"users\")\nclass User {\n  private String nick;\n}\n"), "entity")
        .deployed().commit("db/migration/V2__rename.sql", "ALTER TABLE users RENAME COLUMN nick TO nickname;");
    harness.assertViolations(repo, """
        BLOCK migration/rename-column db/migration/V2__rename.sql:1
          Renames column `users.nick`, but the running release still uses it at src/main/java/app/User.java:4: the rename is instant and every instance of the running release using the old name fails straight away (renamed to `nickname`).
        """);
  }

  @Test
  void flagsMysqlChangeColumnRename() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users CHANGE COLUMN nick nickname VARCHAR(20);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/rename-column db/migration/V2__change.sql:1
          Renames column `users.nick`: the rename is instant and every instance of the running release using the old name fails straight away (renamed to `nickname`). (The running release has no application code in this repository to search, so nothing shows it stopped using it.)
        """);
  }

  @Test
  void passesMysqlChangeColumnKeepingName() {
    // Safe: CHANGE with the same name is not a rename.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users CHANGE COLUMN nick nick VARCHAR(20) NULL;
        """);
    harness.assertNoViolations(repo);
  }
}
