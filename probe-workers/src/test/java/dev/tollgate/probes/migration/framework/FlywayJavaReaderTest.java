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
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Flyway Java migrations: the SQL given to JDBC and JdbcTemplate, canExecuteInTransaction(), and what is unread. */
class FlywayJavaReaderTest {
  static final String PATH = "src/main/java/db/migration/V7__Change_users.java";
  @TempDir Path dir;

  static String migration(String members, String body) {
    return """
        package db.migration;

        import java.sql.Statement;
        import org.flywaydb.core.api.migration.BaseJavaMigration;
        import org.flywaydb.core.api.migration.Context;

        public class V7__Change_users extends BaseJavaMigration {
        %s
          @Override
          public void migrate(Context context) throws Exception {
            try (Statement st = context.getConnection().createStatement()) {
        %s
            }
          }
        }
        """.formatted(members, body);
  }

  static String body(String code) {
    return migration("", "      " + code);
  }

  @TestFactory
  Stream<DynamicTest> sqlStringsUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "flyway_java", FlywayJavaReaderTest::body, List.of(
        // Safe: nullable.
        new Twin("execute: ADD COLUMN NOT NULL without default",
            "st.execute(\"ALTER TABLE users ADD COLUMN nick text NOT NULL\");", "add-column-required",
            "st.execute(\"ALTER TABLE users ADD COLUMN nick text\");"),
        new Twin("executeUpdate: DROP COLUMN", "st.executeUpdate(\"ALTER TABLE users \" + \"DROP COLUMN nick\");",
            "drop-column", null),
        // Safe: batched by key range, each batch its own statement.
        new Twin("JdbcTemplate.update: unbatched backfill", "new JdbcTemplate(new SingleConnectionDataSource("
            + "context.getConnection(), true)).update(\"UPDATE users SET plan = 'free'\");", "unbatched-backfill",
            "new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true)).update(\"UPDATE users SET"
                + " plan = 'free' WHERE id BETWEEN 1 AND 1000\");"),
        // Safe: SQL written out.
        new Twin("SQL built at run time", "st.execute(\"ALTER TABLE \" + table + \" DROP COLUMN nick\");",
            "unreadable-migration", "st.execute(\"ALTER TABLE users ADD COLUMN x text\");"),
        // Safe: JDBC plumbing only.
        new Twin("the connection handed to other code", "new LegacyMigrator(context.getConnection()).run();",
            "unreadable-migration", "st.executeQuery(\"SELECT count(*) FROM users\");")));
  }

  @Test
  void aConcurrentIndexWhenCanExecuteInTransactionIsFalseIsFlywaysSafePattern() {
    // Flyway's own safe pattern for Java migrations: canExecuteInTransaction() false for a concurrent build.
    String safe = migration("  @Override\n  public boolean canExecuteInTransaction() {\n    return false;\n  }",
        "      st.execute(\"CREATE INDEX CONCURRENTLY users_email_idx ON users (email)\");");
    var ok = lint("postgresql", PATH, safe);
    assertNotBlocked(ok);
    assertTrue(Twins.render(ok).contains("flyway-concurrently-advisory-lock"), "Flyway's lock still warns: "
        + Twins.render(ok));
    var r = lint("postgresql", PATH, body("st.execute(\"CREATE INDEX CONCURRENTLY users_email_idx ON users (email)\");"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("canExecuteInTransaction()")), Twins.render(r));
  }

  @Test
  void readsTheSqlOnItsLinesFollowingHelperMethods() {
    String text = migration("""
          private static final String TABLE = "users";

          private void drop(Statement st) throws Exception {
            st.execute("ALTER TABLE " + TABLE + " DROP COLUMN legacy");
          }
        """, """
              st.execute(\"""
                  ALTER TABLE users ADD COLUMN nick text
                  \""");
              drop(st);""");
    Migration m = new FlywayJavaReader().read(new MigrationSource(PATH, text, null, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.FLYWAY_JAVA, m.framework());
    assertEquals("7", m.version());
    assertEquals(List.of("ALTER TABLE users ADD COLUMN nick text", "ALTER TABLE users DROP COLUMN legacy"),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertTrue(m.units().get(0).transactional());
    assertTrue(m.unread().isEmpty(), m.unread().toString());
  }

  @Test
  void helpersGivenTheConnectionAreReadByWhatTheirNameSays() {
    // DSpace: DatabaseUtils.tableExists(connection, ...) reads; executeSql(connection, "...") runs the SQL it is given.
    String text = migration("", """
              java.sql.Connection connection = context.getConnection();
              if (DatabaseUtils.tableExists(connection, "cwf_workflowitem")) {
                DatabaseUtils.executeSql(connection, "ALTER TABLE users DROP COLUMN legacy");
              }
              MigrationUtils.dropDBConstraint(connection, "item", "fk");""");
    Migration m = new FlywayJavaReader().read(new MigrationSource(PATH, text, null, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(List.of("ALTER TABLE users DROP COLUMN legacy"), m.statements().stream().map(s -> s.text().strip())
        .toList());
    assertEquals(1, m.unread().size(), m.unread().toString());
    assertTrue(m.unread().get(0).excerpt().contains("dropDBConstraint"), m.unread().toString());
  }

  @Test
  void aJavaMigrationDroppingAColumnAnEntityMapsFails() {
    var repo = FixtureRepo.create(dir).commit(Map.of(
        "src/main/resources/db/migration/V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY, nick text);",
        "src/main/java/app/User.java", "package app;\n@Entity\n@Table(name = \"users\")\nclass User {\n  String nick;\n}\n"),
        "init").deployed().commit(PATH, body("st.execute(\"ALTER TABLE users DROP COLUMN nick\");"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column " + PATH + ":12"), text);
    assertTrue(text.contains("src/main/java/app/User.java:5"), text);
    assertTrue(out.reason().contains("1 Flyway Java migration"), out.reason());
    assertFalse(text.contains("unreadable"), text);
  }
}
