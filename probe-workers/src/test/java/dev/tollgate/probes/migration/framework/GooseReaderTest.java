package dev.tollgate.probes.migration.framework;

import static dev.tollgate.probes.migration.framework.Twins.assertBlocked;
import static dev.tollgate.probes.migration.framework.Twins.assertNotBlocked;
import static dev.tollgate.probes.migration.framework.Twins.lint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** goose: the Up section in goose's transaction model, StatementBegin/End blocks, and files goose does not own. */
class GooseReaderTest {
  static final String PATH = "db/migrations/00042_change_users.sql";
  @TempDir Path dir;

  static String up(String sql) {
    return "-- +goose Up\n" + sql + "\n\n-- +goose Down\nSELECT 1;\n";
  }

  @TestFactory
  Stream<DynamicTest> upSectionUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "goose", GooseReaderTest::up, List.of(
        // Safe: nullable.
        new Twin("ADD COLUMN NOT NULL without default", "ALTER TABLE users ADD COLUMN nick text NOT NULL;",
            "add-column-required", "ALTER TABLE users ADD COLUMN nick text;"),
        new Twin("DROP COLUMN", "ALTER TABLE users DROP COLUMN nick;", "drop-column", null),
        // Safe: a NOT VALID check, validated later.
        new Twin("SET NOT NULL", "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", "set-not-null",
            "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;"),
        // Safe: the Down section is not run on deploy.
        new Twin("CREATE INDEX", "CREATE INDEX users_email_idx ON users (email);", "pg-index-not-concurrent",
            "SELECT 1;")));
  }

  @Test
  void noTransactionWithAConcurrentIndexIsGoosesSafePatternAndPasses() {
    // goose's own safe pattern: -- +goose NO TRANSACTION and CREATE INDEX CONCURRENTLY.
    assertNotBlocked(lint("postgresql", PATH, "-- +goose NO TRANSACTION\n" + up(
        "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);")));
  }

  @Test
  void aConcurrentIndexInGoosesTransactionFails() {
    var r = lint("postgresql", PATH, up("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("-- +goose NO TRANSACTION")), Twins.render(r));
  }

  @Test
  void statementBlocksStayWholeAndTheDownSectionIsNotRun() {
    String text = """
        -- +goose Up
        -- +goose StatementBegin
        CREATE FUNCTION touch() RETURNS trigger AS $$
        BEGIN
          NEW.updated_at = now();
          RETURN NEW;
        END;
        $$ LANGUAGE plpgsql;
        -- +goose StatementEnd
        ALTER TABLE users ADD COLUMN updated_at timestamptz;

        -- +goose Down
        DROP TABLE users;
        """;
    Migration m = new GooseReader().read(new MigrationSource(PATH, text, null, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.GOOSE, m.framework());
    assertEquals("00042", m.version());
    assertEquals(Dialect.POSTGRESQL, m.dialect());
    assertEquals(List.of(3, 10), m.statements().stream().map(s -> s.line()).toList());
    assertTrue(m.units().get(0).transactional());
    assertTrue(m.wayBack().isPresent());
  }

  @Test
  void envsubSqlIsUnreadAndDbmateFilesAreNotGoosesUnderTheSameName() {
    assertBlocked("unreadable-migration", lint("postgresql", PATH, "-- +goose ENVSUB ON\n"
        + up("ALTER TABLE ${SCHEMA}.users DROP COLUMN nick;")));
    String dbmate = "-- migrate:up\nALTER TABLE users DROP COLUMN nick;\n-- migrate:down\n";
    assertFalse(new GooseReader().confirms(PATH, dbmate));
    assertNull(new GooseReader().read(new MigrationSource(PATH, dbmate, null, MigrationSettings.defaults(),
        RepoFiles.none())));
    assertEquals("dbmate", lint("postgresql", "db/migrations/20240101000000_drop.sql", dbmate).framework());
  }

  @Test
  void aDbmateMigrationUnderGoosesNamingIsStillReadByTheProbe() {
    // The same <version>_name.sql naming: the content decides, and dbmate's file is read as before.
    var repo = FixtureRepo.create(dir).commit("db/migrations/20230101000000_init.sql",
        "-- migrate:up\nCREATE TABLE users (id bigint, nick text);\n-- migrate:down\nDROP TABLE users;\n").deployed()
        .commit("db/migrations/20240101000000_drop.sql",
            "-- migrate:up\nALTER TABLE users DROP COLUMN nick;\n-- migrate:down\n");
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    assertTrue(out.reason().contains("1 dbmate migration"), out.reason());
  }

  @Test
  void aGoRepositoryDroppingAColumnTheRunningReleaseReadsFails() {
    var repo = FixtureRepo.create(dir).commit(Map.of(
        "db/migrations/00001_init.sql", up("CREATE TABLE users (id bigint PRIMARY KEY, nick text, legacy text);"),
        "internal/store/users.go", "package store\nconst q = `SELECT id, nick FROM users WHERE id = $1`\n"), "init")
        .deployed().commit(PATH, up("ALTER TABLE users DROP COLUMN nick;"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("internal/store/users.go:2"), text);
    assertTrue(out.reason().contains("read 1 goose migration"), out.reason());
  }
}
