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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Knex: the schema builder as Knex compiles it, each operation's unsafe and safe twin, and its transaction model. */
class KnexReaderTest {
  static final String PATH = "migrations/20240501120000_change_users.js";
  @TempDir Path dir;

  static String migration(String header, String body) {
    return header + """
        exports.up = function (knex) {
        %s
        };

        exports.down = function (knex) {
          return knex.schema.dropTableIfExists('nothing');
        };
        """.formatted(body);
  }

  static String alter(String ops) {
    return migration("", "  return knex.schema.alterTable('users', (t) => {\n    " + ops + "\n  });");
  }

  @TestFactory
  Stream<DynamicTest> tableBuilderOperationsUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "knex", KnexReaderTest::alter, List.of(
        // Safe: Knex columns are nullable unless .notNullable().
        new Twin("string().notNullable() without default", "t.string('nick').notNullable();", "add-column-required",
            "t.string('nick');"),
        // Safe: a constant default fills existing rows without a rewrite (PostgreSQL 11+).
        new Twin("boolean().notNullable() without default", "t.boolean('active').notNullable();", "add-column-required",
            "t.boolean('active').notNullable().defaultTo(true);"),
        // Safe: a nullable column, no volatile default.
        new Twin("defaultTo(knex.raw(volatile))", "t.uuid('token').defaultTo(knex.raw('gen_random_uuid()'));",
            "pg-add-column-volatile-default", "t.uuid('token');"),
        // Safe: alterType: false keeps the type; dropping the default and NOT NULL only touch the catalog.
        new Twin(".alter() to another type", "t.integer('nick').alter();", "change-column-type",
            "t.string('nick').alter({ alterType: false });"),
        // Safe: alterNullable: false leaves the column's nullability alone.
        new Twin(".notNullable().alter()", "t.string('email').notNullable().alter({ alterType: false });",
            "set-not-null", "t.string('email').notNullable().alter({ alterType: false, alterNullable: false });"),
        // Safe: the expand step of a rename is a new nullable column.
        new Twin("renameColumn", "t.renameColumn('nick', 'nickname');", "rename-column", "t.string('nickname');"),
        new Twin("dropColumn", "t.dropColumn('nick');", "drop-column", null),
        new Twin("dropColumns", "t.dropColumns('nick', 'legacy');", "drop-column", null),
        new Twin("dropTimestamps", "t.dropTimestamps();", "drop-column", null),
        // Safe: an index built concurrently with knex.raw outside a transaction (see concurrentIndexOutsideTransaction).
        new Twin("index()", "t.index(['email'], 'users_email_idx');", "pg-index-not-concurrent", "t.string('x');"),
        new Twin("column .index()", "t.string('code').index();", "pg-index-not-concurrent", "t.string('code');"),
        new Twin("unique()", "t.unique(['email']);", "add-unique-constraint", "t.string('x');"),
        // Safe: dropping a foreign key needs only a brief lock.
        new Twin("dropIndex()", "t.dropIndex(['email']);", "pg-drop-index-not-concurrent", "t.dropForeign(['team_id']);"),
        new Twin("foreign().references().inTable()", "t.foreign('team_id').references('id').inTable('teams');",
            "add-foreign-key-validating", "t.integer('team_id');"),
        new Twin("integer().references('teams.id')", "t.integer('team_id').references('teams.id');",
            "add-foreign-key-validating", "t.integer('team_id');"),
        new Twin("primary()", "t.primary(['uuid']);", "add-primary-key", "t.string('x');"),
        new Twin("setNullable/dropNullable", "t.dropNullable('email');", "set-not-null", "t.setNullable('email');"),
        new Twin("a table builder method the probe does not know", "t.auditColumns();", "unreadable-migration",
            "t.timestamps();")));
  }

  @TestFactory
  Stream<DynamicTest> schemaAndRawUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "knex", body -> migration("", body), List.of(
        new Twin("dropTable", "  return knex.schema.dropTable('users');", "drop-table", null),
        new Twin("renameTable", "  return knex.schema.renameTable('users', 'members');", "rename-table", null),
        // Safe: a new table.
        new Twin("createTable", "  return knex.schema.table('users', t => t.foreign('a').references('b.id'));",
            "add-foreign-key-validating", """
                  return knex.schema.createTable('posts', (t) => {
                    t.increments();
                    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
                    t.string('title').notNullable();
                    t.timestamps(true, true);
                    t.index(['user_id']);
                  });"""),
        // Safe: a NOT VALID check, validated later, instead of SET NOT NULL.
        new Twin("knex.raw", "  return knex.raw('ALTER TABLE users ALTER COLUMN email SET NOT NULL');", "set-not-null",
            "  return knex.raw('ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID');"),
        // Safe: the table name is a literal.
        new Twin("a table named at run time", "  return knex.schema.alterTable(process.env.TABLE, t => t.dropColumn('x'));",
            "unreadable-migration", "  return knex.schema.alterTable('users', t => t.string('x'));"),
        // Safe: the SQL is written out.
        new Twin("knex.raw with SQL built at run time", "  return knex.raw(`ALTER TABLE users DROP COLUMN ${col}`);",
            "unreadable-migration", "  return knex.raw(`ALTER TABLE users ADD COLUMN x text`);")));
  }

  @Test
  void concurrentIndexOutsideTransactionIsKnexsSafePatternAndPasses() {
    // Knex's own safe pattern: the migration opts out of the transaction and builds the index concurrently.
    String safe = migration("exports.config = { transaction: false };\n",
        "  return knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');");
    assertNotBlocked(lint("postgresql", PATH, safe));
    String ts = """
        import type { Knex } from 'knex';

        export const config = { transaction: false };

        export async function up(knex: Knex): Promise<void> {
          await knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');
        }

        export async function down(knex: Knex): Promise<void> {
          await knex.raw('DROP INDEX CONCURRENTLY users_email_idx');
        }
        """;
    assertNotBlocked(lint("postgresql", "db/migrations/20240501120000_idx.ts", ts));
  }

  @Test
  void concurrentIndexInsideKnexsTransactionFails() {
    // Knex runs each migration in a transaction unless it exports config = { transaction: false }.
    var r = lint("postgresql", PATH, migration("",
        "  return knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)');"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("exports.config = { transaction: false }")),
        Twins.render(r));
  }

  @Test
  void rendersWhatKnexRunsInOrderOnTheOperationsLines() {
    String text = """
        const TABLE = 'users';
        module.exports = {
          async up(knex) {
            await knex.schema.alterTable(TABLE, (table) => {
              table.string('nick', 40).defaultTo('anon');
              table.renameColumn('a', 'b');
            });
            await knex.schema.renameTable('x', 'y');
          },
          async down() {},
        };
        """;
    Migration m = new KnexReader().read(new MigrationSource(PATH, text, Dialect.POSTGRESQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.KNEX, m.framework());
    assertEquals("20240501120000", m.version());
    assertEquals(List.of(
        "ALTER TABLE \"users\" ADD COLUMN \"nick\" varchar(40) DEFAULT 'anon'",
        "ALTER TABLE \"users\" RENAME COLUMN \"a\" TO \"b\"",
        "ALTER TABLE \"x\" RENAME TO \"y\""),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertEquals(List.of(5, 6, 8), m.statements().stream().map(s -> s.line()).toList());
    assertTrue(m.units().get(0).transactional());
    assertTrue(m.wayBack().isEmpty(), "an empty down function is no way back");
  }

  @Test
  void alterRestatesTheColumnAsKnexDoes() {
    Migration m = new KnexReader().read(new MigrationSource(PATH, alter("t.string('email', 100).notNullable().alter();"),
        Dialect.POSTGRESQL, MigrationSettings.defaults(), RepoFiles.none()));
    assertEquals(List.of(
        "ALTER TABLE \"users\" ALTER COLUMN \"email\" DROP DEFAULT",
        "ALTER TABLE \"users\" ALTER COLUMN \"email\" DROP NOT NULL",
        "ALTER TABLE \"users\" ALTER COLUMN \"email\" TYPE varchar(100)",
        "ALTER TABLE \"users\" ALTER COLUMN \"email\" SET NOT NULL"),
        m.statements().stream().map(s -> s.text().strip()).toList());
  }

  @Test
  void theKnexfileGivesTheDialectAndCanDisableTransactions() {
    RepoFiles files = path -> path.equals("knexfile.js")
        ? Optional.of("module.exports = { client: 'mysql2', migrations: { disableTransactions: true } };")
        : Optional.empty();
    Migration m = new KnexReader().read(new MigrationSource("db/migrations/20240101000000_x.js",
        alter("t.string('x');"), null, MigrationSettings.defaults(), files));
    assertEquals(Dialect.MYSQL, m.dialect());
    assertFalse(m.units().get(0).transactional());
    assertTrue(m.units().get(0).label().contains("disableTransactions"), m.units().get(0).label());
  }

  @Test
  void otherFrameworksFilesAndHelpersAreNotKnexMigrations() {
    KnexReader knex = new KnexReader();
    assertFalse(knex.confirms(PATH, "module.exports = { up: async (queryInterface, Sequelize) => {} };"));
    assertFalse(knex.confirms(PATH, "export class X implements MigrationInterface { async up(queryRunner) {} }"));
    assertNull(knex.read(new MigrationSource("migrations/helpers.js", "const knex = require('knex'); module.exports = {"
        + " columns: (t) => t.schema };", null, MigrationSettings.defaults(), RepoFiles.none())));
  }

  @Test
  void queryBuilderCodeOnTheDataWarnsAndTruncateIsRead() {
    var r = lint("postgresql", PATH, migration("", """
          await knex('users').where({ plan: null }).update({ plan: 'free' });
          const rows = await knex('users').select('id');
          await knex('audit').truncate();"""));
    String text = Twins.render(r);
    assertTrue(text.contains("warning migration/unreadable-migration:2"), text);
    assertTrue(text.contains("migration/truncate:4"), text);
    assertFalse(text.contains(":3 "), text);
  }

  @Test
  void plainJavaScriptOnValuesIsNotUnreadButCodeGivenTheConnectionIs() {
    // Outline, Flowise and wiki.js compute values in their migrations: JSON.parse, array methods, loops over names.
    var r = lint("postgresql", PATH, migration("", """
          const tables = ['users', 'teams'];
          const settings = JSON.parse(process.env.SETTINGS || '{}');
          const names = Object.keys(settings).map((k) => k.toLowerCase());
          for (const table of tables) {
            await knex.schema.alterTable(table, (t) => t.string('x'));
          }
          if (await hasColumn(knex, 'users', 'y')) {
            console.log('already there');
          }"""));
    assertNotBlocked(r);
    assertEquals(0, r.findings().stream().filter(f -> f.rule().equals("migration/unreadable-migration")).count(),
        Twins.render(r));
    assertEquals(2, r.statements());
    assertBlocked("unreadable-migration", lint("postgresql", PATH, migration("",
        "  await addAuditColumns(knex, 'users');")));
  }

  // ------------------------------------------------------------------------------------------------ a Node app

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", "{\"dependencies\": {\"knex\": \"^3.1.0\", \"pg\": \"^8.11.0\"}}");
    files.put("migrations/20230101000000_create_users.js", migration("", """
          return knex.schema.createTable('users', (t) => {
            t.increments();
            t.string('email').notNullable();
            t.string('nickname');
            t.string('legacy_code');
          });"""));
    files.put("src/users.js", """
        const db = require('./db');
        async function profile(id) {
          return db('users').where({ id }).first('email', 'nickname');
        }
        module.exports = { profile };
        """);
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAColumnTheQueryBuilderStillSelectsFailsWithEvidence() {
    FixtureRepo repo = app().commit("migrations/20240501120000_drop_nickname.js", alter("t.dropColumn('nickname');"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column migrations/20240501120000_drop_nickname.js:3"), text);
    assertTrue(text.contains("src/users.js:3"), text);
    assertTrue(out.reason().contains("read 1 Knex migration"), out.reason());
  }

  @Test
  void droppingAColumnNothingUsesPasses() {
    // Safe: the running release's code never names legacy_code.
    FixtureRepo repo = app().commit("migrations/20240501120000_drop_legacy.js", alter("t.dropColumn('legacy_code');"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }
}
