package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropNotNullRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DropNotNullRule());
  @TempDir Path dir;

  @Test
  void flagsDropNotNull() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
        """);
    harness.assertViolations(repo, """
        WARN migration/drop-not-null db/migration/V2__change.sql:1
          Drops NOT NULL on `users.name`: rows written with NULL by the new release can break the running one when it reads them (primitive fields, @NotNull, non-null assertions).
        """);
  }

  @Test
  void passesSetDefault() {
    // Safe: catalog-only and nullability is unchanged.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';
        """);
    harness.assertNoViolations(repo);
  }
}
