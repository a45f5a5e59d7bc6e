package dev.tollgate.probes.migration;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateTriggerLockRuleTest {
  private final RuleHarness harness = RuleHarness.of(new CreateTriggerLockRule());
  @TempDir Path dir;

  @Test
  void flagsTriggerOnExistingTable() {
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TRIGGER audit_users AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();
        """);
    harness.assertViolations(repo, """
        WARN migration/create-trigger-lock db/migration/V2__change.sql:1
          CREATE TRIGGER `audit_users` on `users` takes SHARE ROW EXCLUSIVE: writes wait while it waits behind any long query, and the trigger adds work to every write of the running release.
        """);
  }

  @Test
  void passesTriggerOnNewTable() {
    // Safe: nobody writes to the new table yet.
    FixtureRepo repo = Fixtures.pg(dir, """
        CREATE TABLE notes (id bigint);
        CREATE TRIGGER audit_notes AFTER UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION audit();
        """);
    harness.assertNoViolations(repo);
  }
}
