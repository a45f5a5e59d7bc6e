package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywayConcurrentlyAdvisoryLockRuleTest {
  private final RuleHarness harness = RuleHarness.of(new FlywayConcurrentlyAdvisoryLockRule());
  @TempDir Path dir;

  @Test
  void flagsConcurrentIndexWithDefaultFlywayLock() {
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
        """);
    harness.assertViolations(repo, """
        WARN migration/flyway-concurrently-advisory-lock db/migration/V2__change.sql:1
          Flyway (9.1.2+) holds its PostgreSQL schema-history lock as a transaction-level advisory lock, and `CREATE INDEX CONCURRENTLY idx_users_email ON users (email)` waits for every older transaction, including Flyway's own: the migration can hang forever (flyway#3497), and with several instances migrating at start-up they can deadlock (flyway#1654).
        """);
  }

  @Test
  void passesWhenSpringDisablesTheTransactionalLock() {
    // Safe: with the session-level lock Flyway's own transaction does not block the concurrent build.
    FixtureRepo repo = Fixtures.pgFiles(dir, java.util.Map.of(
            "src/main/resources/application.yml", "spring:\n  flyway:\n    postgresql:\n      transactional-lock: false\n",
            "db/migration/V2__idx.sql", "CREATE INDEX CONCURRENTLY idx_users_email ON users (email);"));
    harness.assertNoViolations(repo);
  }
}
