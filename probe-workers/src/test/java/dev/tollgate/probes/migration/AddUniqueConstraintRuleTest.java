package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddUniqueConstraintRuleTest {
  private final RuleHarness harness = RuleHarness.of(new AddUniqueConstraintRule());
  @TempDir Path dir;

  @Test
  void flagsAddUniqueConstraint() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
        """);
    harness.assertViolations(repo, """
        BLOCK migration/add-unique-constraint db/migration/V2__change.sql:1
          ADD UNIQUE `users_email_key` on `users` builds a unique index under ACCESS EXCLUSIVE: reads and writes wait for the whole build.
        """);
  }

  @Test
  void passesUniqueUsingIndex() {
    // Safe: the index was built CONCURRENTLY before; attaching it is brief.
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;
        """);
    harness.assertNoViolations(repo);
  }
}
