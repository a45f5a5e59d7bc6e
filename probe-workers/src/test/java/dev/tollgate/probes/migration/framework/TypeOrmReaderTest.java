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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** TypeORM: generated queryRunner.query SQL and the QueryRunner API, their twins, the transaction model, entities. */
class TypeOrmReaderTest {
  static final String PATH = "src/migrations/1714564800000-ChangeUsers.ts";
  @TempDir Path dir;

  static String migration(String fields, String body) {
    return """
        import { MigrationInterface, QueryRunner, TableColumn, TableIndex, TableForeignKey } from "typeorm";

        export class ChangeUsers1714564800000 implements MigrationInterface {
            name = 'ChangeUsers1714564800000'
        %s
            public async up(queryRunner: QueryRunner): Promise<void> {
        %s
            }

            public async down(queryRunner: QueryRunner): Promise<void> {
                await queryRunner.query(`DROP TABLE "nothing"`);
            }
        }
        """.formatted(fields, body);
  }

  static String up(String body) {
    return migration("", "        " + body);
  }

  @Test
  void theRunnerHandedToAHelperIsUnreadNotACrash() {
    // Flowise: a helper given the usual `queryRunner` parameter made every rule fail (a duplicate in Set.of).
    assertBlocked("unreadable-migration", lint("postgresql", PATH, up("await addWebhookColumns(queryRunner, 'x');")));
    assertNotBlocked(lint("postgresql", PATH, up("const exists = await hasColumn(queryRunner, 'chat_flow', 'x');")));
  }

  @TestFactory
  Stream<DynamicTest> queryRunnerUnsafeAndSafe() {
    return Twins.run("postgresql", PATH, "typeorm", TypeOrmReaderTest::up, List.of(
        // Safe: what migration:generate writes for a nullable column.
        new Twin("query(): ADD NOT NULL without default",
            "await queryRunner.query(`ALTER TABLE \"user\" ADD \"nick\" character varying NOT NULL`);",
            "add-column-required", "await queryRunner.query(`ALTER TABLE \"user\" ADD \"nick\" character varying`);"),
        new Twin("query(): DROP COLUMN", "await queryRunner.query(`ALTER TABLE \"user\" DROP COLUMN \"nick\"`);",
            "drop-column", null),
        // Safe: TableColumn with isNullable: true.
        new Twin("addColumn (TypeORM columns are NOT NULL by default)",
            "await queryRunner.addColumn('user', new TableColumn({ name: 'nick', type: 'varchar', length: '40' }));",
            "add-column-required",
            "await queryRunner.addColumn('user', new TableColumn({ name: 'nick', type: 'varchar', isNullable: true }));"),
        new Twin("dropColumn", "await queryRunner.dropColumn('user', 'nick');", "drop-column", null),
        // Safe: the expand step of a rename.
        new Twin("renameColumn", "await queryRunner.renameColumn('user', 'nick', 'nickname');", "rename-column",
            "await queryRunner.addColumn('user', new TableColumn({ name: 'nickname', type: 'text', isNullable: true }));"),
        // Safe: the same type, only NOT NULL dropped (a warning).
        new Twin("changeColumn to another type (TypeORM drops and re-adds the column)",
            "await queryRunner.changeColumn('user', new TableColumn({ name: 'age', type: 'varchar', isNullable: true }),"
                + " new TableColumn({ name: 'age', type: 'int', isNullable: true }));", "drop-column",
            "await queryRunner.changeColumn('user', new TableColumn({ name: 'age', type: 'int' }),"
                + " new TableColumn({ name: 'age', type: 'int', isNullable: true }));"),
        new Twin("changeColumn to NOT NULL", "await queryRunner.changeColumn('user', new TableColumn({ name: 'email',"
            + " type: 'varchar', isNullable: true }), new TableColumn({ name: 'email', type: 'varchar' }));",
            "set-not-null", null),
        // Safe: isConcurrent outside the transaction (see concurrentIndexWithTransactionFalse).
        new Twin("createIndex", "await queryRunner.createIndex('user', new TableIndex({ name: 'IDX_email',"
            + " columnNames: ['email'] }));", "pg-index-not-concurrent", null),
        new Twin("dropIndex", "await queryRunner.dropIndex('user', 'IDX_email');", "pg-drop-index-not-concurrent", null),
        // Safe: NOT VALID written out as SQL, validated later.
        new Twin("createForeignKey", "await queryRunner.createForeignKey('post', new TableForeignKey({ columnNames:"
            + " ['userId'], referencedTableName: 'user', referencedColumnNames: ['id'], onDelete: 'CASCADE' }));",
            "add-foreign-key-validating", "await queryRunner.query(`ALTER TABLE \"post\" ADD CONSTRAINT \"FK_post_user\""
                + " FOREIGN KEY (\"userId\") REFERENCES \"user\"(\"id\") NOT VALID`);"),
        new Twin("dropTable", "await queryRunner.dropTable('user');", "drop-table", null),
        new Twin("renameTable", "await queryRunner.renameTable('user', 'member');", "rename-table", null),
        // Safe: a new table.
        new Twin("createTable", "await queryRunner.createUniqueConstraint('user', new TableUnique({ name: 'UQ_email',"
            + " columnNames: ['email'] }));", "add-unique-constraint", """
                await queryRunner.createTable(new Table({
                            name: 'post',
                            columns: [
                                { name: 'id', type: 'int', isPrimary: true, isGenerated: true },
                                { name: 'title', type: 'varchar' },
                                { name: 'userId', type: 'int' },
                            ],
                            foreignKeys: [{ columnNames: ['userId'], referencedTableName: 'user', referencedColumnNames: ['id'] }],
                        }), true);"""),
        // Safe: SQL written out.
        new Twin("query() with SQL built at run time", "await queryRunner.query(`ALTER TABLE \"${table}\" DROP COLUMN x`);",
            "unreadable-migration", "await queryRunner.query(`ALTER TABLE \"user\" ADD COLUMN x text`);"),
        new Twin("a QueryRunner method the probe does not know", "await queryRunner.createExclusionConstraint('user', c);",
            "unreadable-migration", "await queryRunner.hasColumn('user', 'x');")));
  }

  @Test
  void concurrentIndexWithTransactionFalseIsTypeOrmsSafePatternAndPasses() {
    // TypeORM's own safe pattern: transaction = false and an index built concurrently.
    assertNotBlocked(lint("postgresql", PATH, migration("    transaction = false",
        "        await queryRunner.createIndex('user', new TableIndex({ name: 'IDX_email', columnNames: ['email'],"
            + " isConcurrent: true }));")));
    assertNotBlocked(lint("postgresql", PATH, migration("    public transaction = false;",
        "        await queryRunner.query(`CREATE INDEX CONCURRENTLY \"IDX_email\" ON \"user\" (\"email\") `);")));
  }

  @Test
  void concurrentIndexInTypeOrmsTransactionFails() {
    var r = lint("postgresql", PATH, up("await queryRunner.query(`CREATE INDEX CONCURRENTLY \"IDX_email\" ON \"user\""
        + " (\"email\")`);"));
    assertBlocked("pg-concurrent-in-transaction", r);
    assertTrue(r.findings().stream().anyMatch(f -> f.fix().contains("transaction = false")), Twins.render(r));
  }

  @Test
  void generatedMigrationsAreReadOnTheirLinesAndTheirDialectFromTheSql() {
    String text = up("""
        await queryRunner.query(`ALTER TABLE \\`user\\` ADD \\`nick\\` varchar(255) NULL`);
                await queryRunner.query(`ALTER TABLE \\`user\\` DROP COLUMN \\`legacy\\``);""");
    Migration m = new TypeOrmReader().read(new MigrationSource(PATH, text, null, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(Framework.TYPEORM, m.framework());
    assertEquals(Dialect.MYSQL, m.dialect());
    assertEquals("1714564800000", m.version());
    assertEquals(List.of(7, 8), m.statements().stream().map(s -> s.line()).toList());
    assertFalse(m.units().get(0).transactional(), "MySQL commits each DDL");
  }

  @Test
  void entitiesNameTheirTableAndMappedColumns() {
    String entity = """
        import { Entity, PrimaryGeneratedColumn, Column, ManyToOne, JoinColumn } from "typeorm";

        @Entity()
        export class UserProfile {
            @PrimaryGeneratedColumn()
            id: number;

            @Column({ name: 'nick_name', nullable: true })
            nick: string;

            @Column()
            firstName: string;

            @ManyToOne(() => Team)
            team: Team;

            @ManyToOne(() => Org)
            @JoinColumn({ name: 'org_ref' })
            org: Org;
        }

        @Entity({ name: 'accounts' })
        export class Account { @Column() plan: string }
        """;
    List<OrmModel> models = new TypeOrmReader().models("src/entity/UserProfile.ts", entity, RepoFiles.none());
    assertEquals(List.of("UserProfile:user_profile", "Account:accounts"),
        models.stream().map(m -> m.name() + ":" + m.table()).toList());
    OrmModel p = models.get(0);
    assertTrue(p.maps("nick_name") && p.maps("firstName") && p.maps("first_name") && p.maps("org_ref"), p.toString());
    assertFalse(p.maps("nick"), "the property is mapped to nick_name");
    assertTrue(models.get(1).maps("plan"));
  }

  @Test
  void valuesInterpolatedInsideQuotesAreReadAndReadOnlyQueriesSkipped() {
    // Flowise: `UPDATE "role" SET "permissions" = '${JSON.stringify(p)}' WHERE "id" = '${role.id}'` changes rows by
    // key; the values do not change what it does, so it is read with a placeholder (the SELECT too: it only reads).
    String text = up("""
        const roles = await queryRunner.query(`SELECT * FROM "role" WHERE "name" LIKE '%${term}%'`);
                for (const role of roles) {
                    await queryRunner.query(`UPDATE "role" SET "permissions" = '${JSON.stringify(role)}' WHERE "id" = '${role.id}'`);
                }""");
    Migration m = new TypeOrmReader().read(new MigrationSource(PATH, text, Dialect.POSTGRESQL, MigrationSettings.defaults(),
        RepoFiles.none()));
    assertEquals(List.of(), m.unread(), m.unread().toString());
    assertEquals(List.of("SELECT * FROM \"role\" WHERE \"name\" LIKE '%x%'",
        "UPDATE \"role\" SET \"permissions\" = 'x' WHERE \"id\" = 'x'"),
        m.statements().stream().map(s -> s.text().strip()).toList());
    assertTrue(new TypeOrmReader().read(new MigrationSource(PATH, up("await queryRunner.query(`SELECT * FROM ${t}`);"),
        Dialect.POSTGRESQL, MigrationSettings.defaults(), RepoFiles.none())).unread().isEmpty(), "a read is skipped");
    var r = lint("postgresql", PATH, up("await queryRunner.query(`ALTER TABLE \"${table}\" DROP COLUMN \"x\"`);"));
    assertBlocked("unreadable-migration", r);
  }

  @Test
  void aDirectoryNamedForTheDatabaseDecidesTheDialect() {
    // Flowise and bitwarden ship one migration per database: migrations/mysql/, util/MySqlMigrations/.
    String text = up("await queryRunner.query(`ALTER TABLE \\`user\\` ADD \\`x\\` varchar(255) NULL`);");
    Migration my = new TypeOrmReader().read(new MigrationSource("src/database/migrations/mysql/1714564800000-X.ts", text,
        Dialect.POSTGRESQL, MigrationSettings.defaults(), RepoFiles.none()));
    assertEquals(Dialect.MYSQL, my.dialect());
    assertEquals(Dialect.MYSQL, Dialects.fromPath("util/MySqlMigrations/Migrations/20240101000000_X.cs"));
    assertEquals(Dialect.POSTGRESQL, Dialects.fromPath("util/PostgresMigrations/Migrations/20240101000000_X.cs"));
  }

  // ------------------------------------------------------------------------------------------------ an app

  FixtureRepo app() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("package.json", "{\"dependencies\": {\"typeorm\": \"^0.3.20\", \"pg\": \"^8.11.0\"}}");
    files.put("src/migrations/1700000000000-Init.ts", up("""
        await queryRunner.query(`CREATE TABLE "user" ("id" SERIAL NOT NULL, "email" character varying NOT NULL, \
        "nickname" character varying, "legacyCode" character varying, CONSTRAINT "PK_user" PRIMARY KEY ("id"))`);"""));
    files.put("src/entity/User.ts", """
        import { Entity, PrimaryGeneratedColumn, Column } from "typeorm";
        @Entity()
        export class User {
            @PrimaryGeneratedColumn() id: number;
            @Column() email: string;
            @Column({ nullable: true }) nickname: string;
        }
        """);
    return FixtureRepo.create(dir).commit(files, "app").deployed();
  }

  @Test
  void droppingAColumnAnEntityStillMapsFailsWithTheEntityAsEvidence() {
    FixtureRepo repo = app().commit(PATH, up("await queryRunner.query(`ALTER TABLE \"user\" DROP COLUMN \"nickname\"`);"));
    ProbeOutcome out = RuleHarness.of(new MigrationSafetyProbe()).run(repo);
    String text = RuleHarness.render(out.findings());
    assertEquals(ProbeStatus.FAIL, out.status(), text);
    assertTrue(text.contains("BLOCK migration/drop-column " + PATH + ":7"), text);
    assertTrue(text.contains("src/entity/User.ts:6"), text);
    assertTrue(out.reason().contains("read 1 TypeORM migration"), out.reason());
  }

  @Test
  void droppingAColumnNoEntityMapsPasses() {
    // Safe: the entity does not map legacyCode and no code names it.
    FixtureRepo repo = app().commit(PATH, up("await queryRunner.query(`ALTER TABLE \"user\" DROP COLUMN \"legacyCode\"`);"));
    String text = RuleHarness.render(RuleHarness.of(new MigrationSafetyProbe()).run(repo).findings());
    assertTrue(text.contains("INFO migration/drop-column"), text);
    assertFalse(text.contains("BLOCK"), text);
  }
}
