package dev.tollgate.probes.migration.framework;

import static dev.tollgate.probes.migration.framework.Twins.assertBlocked;
import static dev.tollgate.probes.migration.framework.Twins.assertNotBlocked;
import static dev.tollgate.probes.migration.framework.Twins.lint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.MigrationSafetyProbe;
import dev.tollgate.probes.migration.MigrationSettings;
import dev.tollgate.probes.migration.framework.Twins.Twin;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** sqitch: deploy scripts in their own BEGIN/COMMIT, ordered by the plan, with revert scripts as the way back. */
class SqitchReaderTest {
  static final String PATH = "deploy/change_users.sql";
  @TempDir Path dir;

  static String script(String sql) {
    return "-- Deploy shop:change_users to pg\n-- requires: users\n\nBEGIN;\n\n" + sql + "\n\nCOMMIT;\n";
  }

  @TestFactory
  Stream<DynamicTest> deployScriptsUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "sqitch", SqitchReaderTest::script, List.of(
        // Safe: nullable.
        new Twin("ADD COLUMN NOT NULL without default", "ALTER TABLE users ADD COLUMN nick text NOT NULL;",
            "add-column-required", "ALTER TABLE users ADD COLUMN nick text;"),
        new Twin("DROP COLUMN", "ALTER TABLE users DROP COLUMN nick;", "drop-column", null),
        new Twin("RENAME COLUMN", "ALTER TABLE users RENAME COLUMN nick TO nickname;", "rename-column", null),
        // Safe: validated in a later change.
        new Twin("ADD FOREIGN KEY", "ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES"
            + " users (id);", "add-foreign-key-validating", "ALTER TABLE posts ADD CONSTRAINT posts_user_fk FOREIGN KEY"
            + " (user_id) REFERENCES users (id) NOT VALID;")));
  }

  @Test
  void aConcurrentIndexOutsideTheScriptsTransactionIsTheSafePatternAndPasses() {
    // sqitch runs the script as written: no BEGIN, so CONCURRENTLY runs outside a transaction.
    assertNotBlocked(lint("postgresql", PATH, "-- Deploy shop:users_email_idx to pg\n\n"
        + "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"));
    var r = lint("postgresql", PATH, script("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(Twins.render(r).contains("the script's BEGIN at line 4 is one transaction"), Twins.render(r));
  }

  @Test
  void thePlanOrdersChangesAndTheRevertScriptIsTheWayBack() {
    Map<String, String> files = Map.of(
        "db/sqitch.plan", "%syntax-version=1.0.0\n%project=shop\n\nusers 2024-01-01T00:00:00Z A <a@x> # users\n"
            + "change_users [users] 2024-02-01T00:00:00Z A <a@x> # change\n",
        "db/sqitch.conf", "[core]\n  engine = pg\n",
        "db/revert/change_users.sql", "BEGIN;\nALTER TABLE users DROP COLUMN x;\nCOMMIT;\n");
    RepoFiles repo = p -> Optional.ofNullable(files.get(p));
    Migration m = new SqitchReader().read(new MigrationSource("db/" + PATH, script("ALTER TABLE users ADD COLUMN x"
        + " text;\nUPDATE users SET x = '';"), null, MigrationSettings.defaults(), repo));
    assertEquals(Framework.SQITCH, m.framework());
    assertEquals("000002", m.version());
    assertEquals(Dialect.POSTGRESQL, m.dialect());
    assertEquals(List.of(6, 7), m.statements().stream().map(s -> s.line()).toList());
    assertEquals(List.of(true), m.units().stream().map(u -> u.transactional()).toList());
    assertTrue(m.wayBack().isPresent());
  }

  @Test
  void aDeployDirectoryThatIsNotSqitchsIsNotClaimed() {
    assertFalse(new SqitchReader().confirms("k8s/deploy/seed.sql", "INSERT INTO settings VALUES (1);"));
  }

  @Test
  void aSqitchProjectDroppingAColumnTheRunningReleaseReadsFails() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("sqitch.plan", "%project=shop\nusers 2024-01-01T00:00:00Z A <a@x>\n");
    base.put("deploy/users.sql", script("CREATE TABLE users (id bigint PRIMARY KEY, nick text);"));
    base.put("app/users.py", "def nick(db, uid):\n    return db.one('SELECT nick FROM users WHERE id = %s', uid)\n");
    var repo = FixtureRepo.create(dir).commit(base, "init").deployed()
        .commit(Map.of("sqitch.plan", base.get("sqitch.plan") + "change_users 2024-02-01T00:00:00Z A <a@x>\n",
            PATH, script("ALTER TABLE users DROP COLUMN nick;")), "drop nick");
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column deploy/change_users.sql:6"), text);
    assertTrue(text.contains("app/users.py:2"), text);
  }
}
