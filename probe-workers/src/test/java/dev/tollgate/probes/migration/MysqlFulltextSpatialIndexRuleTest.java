package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqlFulltextSpatialIndexRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MysqlFulltextSpatialIndexRule());
  @TempDir Path dir;

  @Test
  void flagsFulltextIndex() {
    FixtureRepo repo = Fixtures.my(dir, """
        CREATE FULLTEXT INDEX ft_name ON users (name);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-fulltext-spatial-index db/migration/V2__change.sql:1
          Adding a FULLTEXT index on `users` runs with LOCK=SHARED: writes wait for the whole build, and the first FULLTEXT index rebuilds the table to add FTS_DOC_ID.
        """);
  }

  @Test
  void flagsAlterAddSpatialIndex() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders ADD SPATIAL INDEX sp_loc (loc);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-fulltext-spatial-index db/migration/V2__change.sql:1
          Adding a SPATIAL index on `orders` runs with LOCK=SHARED: writes wait for the whole build.
        """);
  }

  @Test
  void passesRegularIndex() {
    // Safe: B-tree indexes build in place with LOCK=NONE.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD INDEX idx_name (name);
        """);
    harness.assertNoViolations(repo);
  }
}
