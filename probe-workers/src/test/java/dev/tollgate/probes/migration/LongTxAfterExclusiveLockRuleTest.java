package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LongTxAfterExclusiveLockRuleTest {
  private final RuleHarness harness = RuleHarness.of(new LongTxAfterExclusiveLockRule());
  @TempDir Path dir;

  @Test
  void flagsBackfillAfterAlterInSameTransaction() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN plan text;
        UPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 1000;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/long-tx-after-exclusive-lock db/migration/V2__change.sql:2
          `UPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 1000` runs after `ALTER TABLE users ADD COLUMN plan text` (line 1) in the same transaction (Flyway runs this file in one transaction): the ACCESS EXCLUSIVE lock on `users` is held until commit, so every query on it waits for this statement too.
        """);
  }

  @Test
  void passesWhenEachStepCommitsAlone() {
    // Safe: a plain file runs statement by statement, so the ALTER's lock is released before the UPDATE.
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of(".tollgate.yml", "migrations:\n  paths: [sql]\n", "sql/002.sql", "ALTER TABLE users ADD COLUMN plan text;\nUPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 1000;\n"));
    harness.assertNoViolations(repo);
  }
}
