package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqlAlgorithmCopyRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MysqlAlgorithmCopyRule());
  @TempDir Path dir;

  @Test
  void flagsAlgorithmCopy() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=COPY;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-algorithm-copy db/migration/V2__change.sql:1
          ALGORITHM=COPY on `users` copies the whole table; INSERT/UPDATE/DELETE wait until the copy ends.
        """);
  }

  @Test
  void passesAlgorithmInstant() {
    // Safe: INSTANT is metadata-only.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=INSTANT;
        """);
    harness.assertNoViolations(repo);
  }
}
