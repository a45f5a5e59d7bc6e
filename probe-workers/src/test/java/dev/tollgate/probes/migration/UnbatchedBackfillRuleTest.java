package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnbatchedBackfillRuleTest {
  private final RuleHarness harness = RuleHarness.of(new UnbatchedBackfillRule());
  @TempDir Path dir;

  @Test
  void flagsUpdateWithoutWhere() {
    FixtureRepo repo = Fixtures.pg(dir, """
        UPDATE users SET status = 'active';
        """);
    harness.assertViolations(repo, """
        BLOCK migration/unbatched-backfill db/migration/V2__change.sql:1
          UPDATE on `users` without WHERE changes potentially every row in one transaction: the running release's writes to those rows wait until commit, and the WAL/binlog burst lags replicas.
        """);
  }

  @Test
  void flagsDeleteWithNonKeyWhere() {
    FixtureRepo repo = Fixtures.my(dir, """
        DELETE FROM orders WHERE total IS NULL;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/unbatched-backfill db/migration/V2__change.sql:1
          DELETE on `orders` with a WHERE that is not a key range or LIMIT changes potentially every row in one transaction: the running release's writes to those rows wait until commit, and the WAL/binlog burst lags replicas.
        """);
  }

  @Test
  void passesKeyRangeBatch() {
    // Safe: one bounded batch by key range.
    FixtureRepo repo = Fixtures.pg(dir, """
        UPDATE users SET status = 'active' WHERE id >= 1 AND id < 10001;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesSingleRowFix() {
    // Safe: one row by key.
    FixtureRepo repo = Fixtures.pg(dir, """
        UPDATE users SET status = 'active' WHERE id = 42;
        """);
    harness.assertNoViolations(repo);
  }
}
