package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenameTableRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RenameTableRule());
  @TempDir Path dir;

  @Test
  void flagsRenameTable() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders RENAME TO purchases;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/rename-table db/migration/V2__change.sql:1
          Renames table `orders`: the rename is instant and the running release's queries on the old name fail straight away (renamed to `purchases`). (The running release has no application code in this repository to search, so nothing shows it stopped using it.)
        """);
  }

  @Test
  void flagsMysqlRenameTable() {
    FixtureRepo repo = Fixtures.my(dir, """
        RENAME TABLE orders TO purchases;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/rename-table db/migration/V2__change.sql:1
          Renames table `orders`: the rename is instant and the running release's queries on the old name fail straight away (renamed to `purchases`). (The running release has no application code in this repository to search, so nothing shows it stopped using it.)
        """);
  }

  @Test
  void passesRenameWithCompatibilityView() {
    // Safe: the old name stays as an updatable view for the running release.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders RENAME TO purchases;
        CREATE VIEW orders AS SELECT * FROM purchases;
        """);
    harness.assertNoViolations(repo);
  }
}
