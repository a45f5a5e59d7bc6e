package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqlTableCopyRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MysqlTableCopyRule());
  @TempDir Path dir;

  @Test
  void flagsConvertCharset() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-table-copy db/migration/V2__change.sql:1
          CONVERT TO CHARACTER SET utf8mb4 rewrites every text column: MySQL copies `users` (ALGORITHM=COPY) with writes blocked, and replicas lag for the whole copy.
        """);
  }

  @Test
  void flagsDropPrimaryKeyWithoutNewOne() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE orders DROP PRIMARY KEY;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/mysql-table-copy db/migration/V2__change.sql:1
          DROP PRIMARY KEY without a new one rebuilds the clustered index: MySQL copies `orders` (ALGORITHM=COPY) with writes blocked, and replicas lag for the whole copy.
        """);
  }

  @Test
  void passesWhenAssertedInplaceLockNone() {
    // Safe: MySQL refuses the statement instead of silently copying the table.
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4, ALGORITHM=INPLACE, LOCK=NONE;
        """);
    harness.assertNoViolations(repo);
  }
}
