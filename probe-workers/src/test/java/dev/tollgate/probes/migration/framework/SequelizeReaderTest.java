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
import dev.tollgate.probes.migration.OrmModel;
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

/** Sequelize: the QueryInterface as Sequelize's query generators run it, twins, transactions, and models. */
class SequelizeReaderTest {
  static final String PATH = "migrations/20240501120000-change-users.js";
  @TempDir Path dir;

  static String migration(String body) {
    return """
        'use strict';

        /** @type {import('sequelize-cli').Migration} */
        module.exports = {
          async up(queryInterface, Sequelize) {
        %s
          },

          async down(queryInterface, Sequelize) {
            await queryInterface.dropTable('Nothing');
          }
        };
        """.formatted(body);
  }

  static String up(String body) {
    return migration("    " + body);
  }

  @TestFactory
  Stream<DynamicTest> queryInterfaceUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "sequelize", SequelizeReaderTest::up, List.of(
        // Safe: allowNull defaults to true.
        new Twin("addColumn allowNull: false without default",
            "await queryInterface.addColumn('Users', 'nick', { type: Sequelize.STRING, allowNull: false });",
            "add-column-required", "await queryInterface.addColumn('Users', 'nick', Sequelize.STRING(40));"),
        // Safe: a constant default.
        new Twin("addColumn with a volatile default",
            "await queryInterface.addColumn('Users', 'token', { type: Sequelize.UUID, defaultValue:"
                + " Sequelize.literal('gen_random_uuid()') });", "pg-add-column-volatile-default",
            "await queryInterface.addColumn('Users', 'active', { type: Sequelize.BOOLEAN, allowNull: false,"
                + " defaultValue: true });"),
        new Twin("removeColumn", "await queryInterface.removeColumn('Users', 'nick');", "drop-column", null),
        // Safe: the expand step of a rename.
        new Twin("renameColumn", "await queryInterface.renameColumn('Users', 'nick', 'nickname');", "rename-column",
            "await queryInterface.addColumn('Users', 'nickname', Sequelize.STRING);"),
        // Safe: the same type kept nullable: Sequelize restates it, a warning without the history.
        new Twin("changeColumn to another type", "await queryInterface.changeColumn('Users', 'age', {"
            + " type: Sequelize.INTEGER });", "change-column-type",
            "await queryInterface.changeColumn('Users', 'bio', { type: Sequelize.TEXT });"),
        new Twin("changeColumn allowNull: false", "await queryInterface.changeColumn('Users', 'email', {"
            + " type: Sequelize.TEXT, allowNull: false });", "set-not-null", null),
        // Safe: concurrently: true (Sequelize runs migrations without a transaction).
        new Twin("addIndex", "await queryInterface.addIndex('Users', ['email']);", "pg-index-not-concurrent",
            "await queryInterface.addIndex('Users', ['email'], { concurrently: true });"),
        // Safe: concurrently: true.
        new Twin("addIndex unique (options form)", "await queryInterface.addIndex('Users', { fields: ['email'],"
            + " unique: true, name: 'users_email' });", "pg-index-not-concurrent", "await queryInterface.addIndex("
            + "'Users', { fields: ['email'], unique: true, name: 'users_email', concurrently: true });"),
        // Safe: concurrently: true.
        new Twin("removeIndex", "await queryInterface.removeIndex('Users', 'users_email');",
            "pg-drop-index-not-concurrent", "await queryInterface.removeIndex('Users', 'users_email', { concurrently:"
                + " true });"),
        // Safe: a NOT VALID foreign key in raw SQL, validated in a later migration.
        new Twin("addConstraint foreign key", "await queryInterface.addConstraint('Posts', { fields: ['userId'],"
            + " type: 'foreign key', references: { table: 'Users', field: 'id' }, onDelete: 'cascade' });",
            "add-foreign-key-validating", "await queryInterface.sequelize.query('ALTER TABLE \"Posts\" ADD CONSTRAINT"
                + " posts_user_fk FOREIGN KEY (\"userId\") REFERENCES \"Users\" (id) NOT VALID');"),
        new Twin("addConstraint unique", "await queryInterface.addConstraint('Users', { fields: ['email'], type:"
            + " 'unique', name: 'users_email_uq' });", "add-unique-constraint", null),
        new Twin("dropTable", "await queryInterface.dropTable('Users');", "drop-table", null),
        new Twin("renameTable", "await queryInterface.renameTable('Users', 'Members');", "rename-table", null),
        // Safe: a new table.
        new Twin("createTable", "await queryInterface.addColumn('Users', 'n', { type: Sequelize.INTEGER, allowNull:"
            + " false });", "add-column-required", """
            await queryInterface.createTable('Posts', {
                  id: { allowNull: false, autoIncrement: true, primaryKey: true, type: Sequelize.INTEGER },
                  title: { type: Sequelize.STRING, allowNull: false },
                  createdAt: { allowNull: false, type: Sequelize.DATE },
                });"""),
        // Safe: the SQL is written out.
        new Twin("sequelize.query with SQL built at run time",
            "await queryInterface.sequelize.query(`ALTER TABLE \"${table}\" DROP COLUMN x`);", "unreadable-migration",
            "await queryInterface.sequelize.query('ALTER TABLE \"Users\" ADD COLUMN x text');"),
        new Twin("a QueryInterface method the probe does not know", "await queryInterface.addHypertable('Users');",
            "unreadable-migration", "await queryInterface.describeTable('Users');")));
  }

  @Test
  void concurrentIndexIsSequelizesSafePatternAndPassesOutsideATransaction() {
    // Sequelize runs migrations without a transaction: concurrently: true is all it takes.
    assertNotBlocked(lint("postgresql", PATH, up("await queryInterface.addIndex('Users', ['email'], { concurrently:"
        + " true, name: 'users_email' });")));
  }

  @Test
  void concurrentIndexInsideTheMigrationsOwnTransactionFails() {
    var r = lint("postgresql", PATH, migration("""
            await queryInterface.sequelize.transaction(async (transaction) => {
              await queryInterface.addColumn('Users', 'nick', Sequelize.STRING, { transaction });
              await queryInterface.addIndex('Users', ['nick'], { concurrently: true, transaction });
            });"""));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(Twins.render(r).contains("sequelize.transaction() is one transaction"), Twins.render(r));
  }

  @Test
  void rendersWhatSequelizeRunsAndItsDialectFromTheConfig() {
    String text = up("""
        await queryInterface.addColumn('Users', 'nick', { type: Sequelize.STRING(40), allowNull: true });
            await queryInterface.renameColumn('Users', 'a', 'b');""");
    RepoFiles files = p -> p.equals("config/config.json")
        ? Optional.of("{\"production\": {\"dialect\": \"mysql\"}}") : Optional.empty();
    Migration m = new SequelizeReader().read(new MigrationSource(PATH, text, null, MigrationSettings.defaults(), files));
    assertEquals(Framework.SEQUELIZE, m.framework());
    assertEquals(Dialect.MYSQL, m.dialect());
    assertEquals("20240501120000", m.version());
    assertEquals(List.of("ALTER TABLE `Users` ADD COLUMN `nick` varchar(40) NULL",
        "ALTER TABLE `Users` RENAME COLUMN `a` TO `b`"), m.statements().stream().map(s -> s.text().strip()).toList());
    assertEquals(List.of(6, 7), m.statements().stream().map(s -> s.line()).toList());
    assertFalse(m.units().get(0).transactional());
  }

  @Test
  void umzugStyleTypescriptMigrationsAreRead() {
    String ts = """
        import type { MigrationFn } from 'umzug';
        import { DataTypes, QueryInterface } from 'sequelize';

        export const up: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
          await queryInterface.removeColumn('users', 'nickname');
        };

        export const down: MigrationFn<QueryInterface> = async ({ context: queryInterface }) => {
          await queryInterface.addColumn('users', 'nickname', { type: DataTypes.STRING });
        };
        """;
    assertBlocked("drop-column", lint("postgresql", "src/migrations/2024.05.01T12.00.00.drop-nickname.ts", ts));
  }

  @Test
  void modelsNameTheirTableAndAttributes() {
    String models = """
        const { Model, DataTypes } = require('sequelize');
        module.exports = (sequelize) => {
          const Post = sequelize.define('Post', {
            title: DataTypes.STRING,
            authorName: { type: DataTypes.STRING, field: 'author_name' },
            preview: { type: DataTypes.VIRTUAL },
          }, { tableName: 'posts' });
          class User extends Model {}
          User.init({
            nickname: DataTypes.STRING,
            firstName: DataTypes.STRING,
          }, { sequelize, modelName: 'User', underscored: true });
          return { Post, User };
        };
        """;
    List<OrmModel> m = new SequelizeReader().models("src/models/index.js", models, RepoFiles.none());
    assertEquals(List.of("Post:posts", "User:Users"), m.stream().map(x -> x.name() + ":" + x.table()).toList());
    assertTrue(m.get(0).maps("author_name") && m.get(0).maps("createdAt") && !m.get(0).maps("preview"));
    assertTrue(m.get(1).maps("first_name") && m.get(1).maps("created_at"));
  }

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", "{\"dependencies\": {\"sequelize\": \"^6.37.0\", \"pg\": \"^8.11.0\"}}");
    files.put("migrations/20230101000000-create-user.js", up("""
        await queryInterface.createTable('Users', {
              id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
              email: { type: Sequelize.STRING, allowNull: false },
              nickname: Sequelize.STRING,
              legacyCode: Sequelize.STRING,
            });"""));
    files.put("models/user.js", """
        module.exports = (sequelize, DataTypes) => sequelize.define('User', {
          email: DataTypes.STRING,
          nickname: DataTypes.STRING,
        });
        """);
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAColumnAModelStillMapsFailsWithTheModelAsEvidence() {
    FixtureRepo repo = app().commit(PATH, up("await queryInterface.removeColumn('Users', 'nickname');"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column " + PATH + ":6"), text);
    assertTrue(text.contains("models/user.js:3"), text);
  }

  @Test
  void droppingAColumnNoModelMapsPasses() {
    // Safe: no model maps legacyCode and no code names it.
    FixtureRepo repo = app().commit(PATH, up("await queryInterface.removeColumn('Users', 'legacyCode');"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }
}
