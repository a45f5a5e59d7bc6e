package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefreshMatviewNotConcurrentRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RefreshMatviewNotConcurrentRule());
  @TempDir Path dir;

  @Test
  void flagsRefreshWithoutConcurrently() {
    FixtureRepo repo = Fixtures.pg(dir, """
        REFRESH MATERIALIZED VIEW order_totals;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/refresh-matview-not-concurrent db/migration/V2__change.sql:1
          REFRESH MATERIALIZED VIEW `order_totals` without CONCURRENTLY takes ACCESS EXCLUSIVE: every reader waits for the whole refresh.
        """);
  }

  @Test
  void passesRefreshConcurrently() {
    // Safe: readers continue during a concurrent refresh.
    FixtureRepo repo = Fixtures.pg(dir, """
        REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
        """);
    harness.assertNoViolations(repo);
  }
}
