package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropTableRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DropTableRule());
  @TempDir Path dir;

  @Test
  void flagsDropOfTableTheRunningReleaseQueries() {
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of()).commit(java.util.Map.of(
            "src/main/resources/mapper/OrderMapper.xml", "<mapper>\n  <select id=\"all\">SELECT * FROM orders</select>\n</mapper>\n"), "mapper")
        .deployed().commit("db/migration/V2__drop.sql", "DROP TABLE orders;");
    harness.assertViolations(repo, """
        BLOCK migration/drop-table db/migration/V2__drop.sql:1
          Drops table `orders`, but the running release still uses it at src/main/resources/mapper/OrderMapper.xml:2: the running release's queries on it fail, the data is gone, and DROP also locks the tables linked to it by foreign keys.
        """);
  }

  @Test
  void flagsDropTableWhenRepositoryHasNoCodeToSearch() {
    FixtureRepo repo = Fixtures.pg(dir, "DROP TABLE IF EXISTS orders CASCADE;");
    harness.assertViolations(repo, """
        BLOCK migration/drop-table db/migration/V2__change.sql:1
          Drops table `orders`: the running release's queries on it fail, the data is gone, and DROP also locks the tables linked to it by foreign keys. (The running release has no application code in this repository to search, so nothing shows it stopped using it.)
        """);
  }

  @Test
  void passesDropOfTableCreatedInSameDeploy() {
    // Safe: a table created in this deploy is unknown to the running release.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE tmp_import (id bigint);
        DROP TABLE tmp_import;
        """);
    harness.assertNoViolations(repo);
  }
}
