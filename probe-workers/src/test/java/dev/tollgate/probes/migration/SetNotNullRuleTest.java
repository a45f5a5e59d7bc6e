package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetNotNullRuleTest {
  private final RuleHarness harness = RuleHarness.of(new SetNotNullRule());
  @TempDir Path dir;

  @Test
  void flagsSetNotNull() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/set-not-null db/migration/V2__change.sql:1
          SET NOT NULL on `users.email` scans every row under an ACCESS EXCLUSIVE lock (reads and writes wait), and instances still writing NULL start failing.
        """);
  }

  @Test
  void flagsMysqlModifyNullableToNotNull() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users MODIFY nick VARCHAR(20) NOT NULL;
        """);
    harness.assertViolations(repo, """
        BLOCK migration/set-not-null db/migration/V2__change.sql:1
          MODIFY `users.nick` NOT NULL on a nullable column rebuilds the table, fails if NULLs exist (or silently coerces them without strict mode), and breaks old code that writes NULL.
        """);
  }

  @Test
  void passesWhenValidatedCheckExistsFromEarlierMigration() {
    // Safe on PostgreSQL 12+: the validated CHECK (email IS NOT NULL) from V2/V3 lets SET NOT NULL skip the scan.
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", Fixtures.PG_SCHEMA)
        .commit("db/migration/V2__check.sql", "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;")
        .commit("db/migration/V3__validate.sql", "ALTER TABLE users VALIDATE CONSTRAINT email_nn;").deployed()
        .commit("db/migration/V4__not_null.sql", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;");
    harness.assertNoViolations(repo);
  }
}
