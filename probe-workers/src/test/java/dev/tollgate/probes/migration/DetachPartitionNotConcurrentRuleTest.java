package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachPartitionNotConcurrentRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DetachPartitionNotConcurrentRule());
  @TempDir Path dir;

  @Test
  void flagsDetachWithoutConcurrently() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE events DETACH PARTITION events_2024;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/detach-partition-not-concurrent db/migration/V2__change.sql:1
          DETACH PARTITION `events_2024` takes ACCESS EXCLUSIVE on `events`: every query on the partitioned table waits.
        """);
  }

  @Test
  void passesDetachConcurrently() {
    // Safe: CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;
        """);
    harness.assertNoViolations(repo);
  }
}
