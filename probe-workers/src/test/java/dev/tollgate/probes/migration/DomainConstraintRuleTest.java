package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainConstraintRuleTest {
  private final RuleHarness harness = RuleHarness.of(new DomainConstraintRule());
  @TempDir Path dir;

  @Test
  void flagsAlterDomainAddConstraint() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');
        """);
    harness.assertViolations(repo, """
        BLOCK migration/domain-constraint db/migration/V2__change.sql:1
          ALTER DOMAIN `email_address` ADD CONSTRAINT checks every column of every table using the domain while holding locks on them.
        """);
  }

  @Test
  void flagsCreateDomainWithCheck() {
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/domain-constraint db/migration/V2__change.sql:1
          CREATE DOMAIN `positive_int` with a CHECK: every later constraint change on the domain scans all tables that use it, and coercing columns to it forces rewrites.
        """);
  }

  @Test
  void passesDomainConstraintNotValid() {
    // Safe: NOT VALID skips checking existing values.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%') NOT VALID;
        """);
    harness.assertNoViolations(repo);
  }
}
