package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqlLockSharedExclusiveRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MysqlLockSharedExclusiveRule());
  @TempDir Path dir;

  @Test
  void flagsLockShared() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD INDEX idx_name (name), LOCK=SHARED;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-lock-shared-exclusive db/migration/V2__change.sql:1
          LOCK=SHARED on `users` blocks writes for the whole operation.
        """);
  }

  @Test
  void passesLockNone() {
    // Safe: LOCK=NONE keeps DML running.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD INDEX idx_name (name), ALGORITHM=INPLACE, LOCK=NONE;
        """);
    harness.assertNoViolations(repo);
  }
}
