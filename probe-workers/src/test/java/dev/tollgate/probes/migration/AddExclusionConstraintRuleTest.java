package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddExclusionConstraintRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddExclusionConstraintRule());
  @TempDir Path dir;

  @Test
  void flagsExclusionConstraint() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE orders ADD CONSTRAINT no_overlap EXCLUDE USING gist (user_id WITH =);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-exclusion-constraint db/migration/V2__change.sql:1
          ADD EXCLUDE constraint on `orders` builds its index and checks every row under ACCESS EXCLUSIVE; it can be neither NOT VALID nor built concurrently.
        """);
  }

  @Test
  void passesExclusionConstraintOnNewTable() {
    // Safe: the table is new and empty.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE bookings (room int, during tstzrange);
        ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);
        """);
    harness.assertNoViolations(repo);
  }
}
