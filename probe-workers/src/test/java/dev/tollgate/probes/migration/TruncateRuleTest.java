package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncateRuleTest {
  private final RuleHarness harness = RuleHarness.of(new TruncateRule());
  @TempDir Path dir;

  @Test
  void flagsTruncate() {
    FixtureRepo repo = Fixtures.pg(dir, """
        TRUNCATE orders;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/truncate db/migration/V2__change.sql:1
          TRUNCATE `orders` takes ACCESS EXCLUSIVE and deletes every row the running release reads.
        """);
  }

  @Test
  void flagsTruncateCascade() {
    FixtureRepo repo = Fixtures.pg(dir, """
        TRUNCATE TABLE users CASCADE;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/truncate db/migration/V2__change.sql:1
          TRUNCATE `users` takes ACCESS EXCLUSIVE and deletes every row the running release reads; CASCADE also empties every table that references it, recursively.
        """);
  }

  @Test
  void passesTruncateOfTableCreatedInSameDeploy() {
    // Safe: a new table holds no data the running release uses.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE staging (id bigint);
        TRUNCATE staging;
        """);
    harness.assertNoViolations(repo);
  }
}
