package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddJsonColumnRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddJsonColumnRule());
  @TempDir Path dir;

  @Test
  void flagsJsonColumn() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN prefs json;
        """);
    harness.assertViolations(repo, """
        WARN migration/add-json-column db/migration/V2__change.sql:1
          ADD COLUMN `users.prefs` json: json has no equality operator, so the running release's SELECT DISTINCT, UNION and GROUP BY over `users`.* start failing ("could not identify an equality operator for type json").
        """);
  }

  @Test
  void passesJsonbColumn() {
    // Safe: jsonb has an equality operator.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN prefs jsonb;
        """);
    harness.assertNoViolations(repo);
  }
}
