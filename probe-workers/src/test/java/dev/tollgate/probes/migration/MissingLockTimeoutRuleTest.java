package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingLockTimeoutRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MissingLockTimeoutRule());
  @TempDir Path dir;

  @Test
  void flagsAlterWithoutLockTimeout() {
    FixtureRepo repo = Fixtures.pg(dir, """
        ALTER TABLE users ADD COLUMN bio text;
        """);
    harness.assertViolations(repo, """
        WARN migration/missing-lock-timeout db/migration/V2__change.sql:1
          `ALTER TABLE users ADD COLUMN bio text` waits for a table lock with no lock_timeout set: behind one long-running transaction it waits, and every query of the running release on that table queues behind it.
        """);
  }

  @Test
  void flagsMysqlAlterWithoutLockWaitTimeout() {
    FixtureRepo repo = Fixtures.my(dir, """
        ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=INSTANT;
        """);
    harness.assertViolations(repo, """
        WARN migration/missing-lock-timeout db/migration/V2__change.sql:1
          `ALTER TABLE users ADD COLUMN bio TEXT, ALGORITHM=INSTANT` waits for a table lock with no lock_wait_timeout set: behind one long-running transaction it waits, and every query of the running release on that table queues behind it.
        """);
  }

  @Test
  void passesWithLockTimeoutSet() {
    // Safe: the ALTER gives up after 2 s instead of queueing traffic.
    FixtureRepo repo = Fixtures.pg(dir, """
        SET lock_timeout = '2s';
        ALTER TABLE users ADD COLUMN bio text;
        """);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesConcurrentIndexWhichDoesNotBlockTraffic() {
    // Safe: CONCURRENTLY's lock does not conflict with the application's reads and writes.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
        """);
    harness.assertNoViolations(repo);
  }
}
