package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, ordering, transaction model and dialect detection per framework (migration-rules.md §4). */
class MigrationSetTest {
  @TempDir Path dir;

  private MigrationSet load(FixtureRepo repo) {
    AtomicReference<MigrationSet> set = new AtomicReference<>();
    RuleHarness.of(new MigrationSafetyProbe()).run(repo, (RuleContext ctx) -> {
      set.set(MigrationSet.of(ctx));
      assertTrue(set.get() == MigrationSet.of(ctx), "parsed once per context and shared");
    });
    return set.get();
  }

  @Test
  void flywayVersionedFilesAreOrderedNumericallyAndHistoryIsReplayed() {
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", "CREATE TABLE t (id int, name varchar(10));")
        .deployed()
        .commit(Map.of("db/migration/V10__ten.sql", "ALTER TABLE t ALTER COLUMN name TYPE varchar(20);",
            "db/migration/V2__two.sql", "ALTER TABLE t ADD COLUMN a int;",
            "db/migration/R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;",
            "db/migration/U2__undo_two.sql", "ALTER TABLE t DROP COLUMN a;"), "three");
    MigrationSet set = load(repo);
    assertEquals(List.of("db/migration/U2__undo_two.sql", "db/migration/V2__two.sql", "db/migration/V10__ten.sql",
        "db/migration/R__views.sql"), set.pending().stream().map(Migration::path).toList());
    assertEquals(1, set.applied().size());
    assertEquals(Dialect.POSTGRESQL, set.dialect());
    MigrationStatement alter = set.statements().stream().filter(s -> s.path().endsWith("V10__ten.sql")).findFirst().orElseThrow();
    assertEquals("varchar(10)", alter.columnBefore("name").orElseThrow().type().text(), "type known from V1");
    assertTrue(alter.unit().transactional());
    Migration v2 = set.pending().get(1);
    assertEquals(MigrationKind.UNDO, set.counterpart(v2).orElseThrow().kind());
    assertEquals(3, set.statements().size(), "undo files are not applied by a deploy");
  }

  @Test
  void liquibaseXmlAndYamlChangelogsBecomeTheSameStatementModel() {
    var repo = FixtureRepo.create(dir).deployed().commit(Map.of(
        "db/changelog/001.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="1" author="alice" runInTransaction="false">
                <addColumn tableName="users">
                  <column name="plan" type="varchar(20)">
                    <constraints nullable="false"/>
                  </column>
                </addColumn>
                <rollback>ALTER TABLE users DROP COLUMN plan;</rollback>
              </changeSet>
              <changeSet id="2" author="alice">
                <sql>CREATE INDEX CONCURRENTLY idx_plan ON users (plan);</sql>
              </changeSet>
            </databaseChangeLog>
            """,
        "db/changelog/002.yaml", """
            databaseChangeLog:
              - changeSet:
                  id: 3
                  author: bob
                  changes:
                    - dropColumn:
                        tableName: users
                        columnName: legacy_flag
                    - renameColumn:
                        tableName: users
                        oldColumnName: nick
                        newColumnName: nickname
            """), "liquibase");
    MigrationSet set = load(repo);
    assertEquals(2, set.pending().size());
    Migration xml = set.pending().get(0);
    assertEquals(Framework.LIQUIBASE, xml.framework());
    assertEquals(List.of("alice:1", "alice:2"), xml.changesets().stream().map(Changeset::key).toList());
    assertFalse(xml.units().get(0).transactional(), "runInTransaction=false");
    assertTrue(xml.units().get(1).transactional(), "a changeset is one transaction by default");
    assertEquals("ALTER TABLE users DROP COLUMN plan;", xml.changesets().get(0).rollback());
    MigrationStatement add = set.statements().get(0);
    assertEquals(4, add.line(), "findings point at the XML element (<addColumn> is on line 4)");
    AlterAction.AddColumn ac = (AlterAction.AddColumn) ((Command.AlterTable) add.command()).actions().get(0);
    assertTrue(ac.column().notNull());
    List<BreakingChange> breaking = BreakingChange.of(set);
    assertEquals(List.of(BreakingChange.Kind.ADD_REQUIRED_COLUMN, BreakingChange.Kind.DROP_COLUMN,
        BreakingChange.Kind.RENAME_COLUMN), breaking.stream().map(BreakingChange::kind).toList());
    assertEquals(6, breaking.get(1).statement().line(), "the line of the YAML change (- dropColumn:)");
  }

  @Test
  void golangMigrateMultiStatementFileIsOneImplicitTransaction() {
    var repo = FixtureRepo.create(dir).deployed().commit(Map.of(
        "migrations/000002_idx.up.sql", "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY i ON t (a);",
        "migrations/000002_idx.down.sql", "DROP INDEX CONCURRENTLY i;",
        "migrations/000003_one.up.sql", "CREATE INDEX CONCURRENTLY j ON t (b);"), "golang");
    MigrationSet set = load(repo);
    Migration two = set.pending().stream().filter(m -> m.path().endsWith("000002_idx.up.sql")).findFirst().orElseThrow();
    assertTrue(two.units().get(0).transactional());
    Migration three = set.pending().stream().filter(m -> m.path().endsWith("000003_one.up.sql")).findFirst().orElseThrow();
    assertFalse(three.units().get(0).transactional(), "a single statement is not wrapped");
    assertEquals(MigrationKind.DOWN, set.counterpart(two).orElseThrow().kind());
  }

  @Test
  void dbmateSectionsAndTransactionFlag() {
    var repo = FixtureRepo.create(dir).deployed().commit("db/migrations/20240101000000_idx.sql", """
        -- migrate:up transaction:false
        CREATE INDEX CONCURRENTLY i ON t (a);

        -- migrate:down
        DROP INDEX i;
        """);
    MigrationSet set = load(repo);
    Migration m = set.pending().get(0);
    assertEquals(Framework.DBMATE, m.framework());
    assertFalse(m.units().get(0).transactional());
    assertEquals(1, m.statements().size(), "the down section is not part of the up run");
    assertEquals(2, m.statements().get(0).line());
    assertInstanceOf(Command.DropIndex.class, m.downSection().orElseThrow().statements().get(0).command());
  }

  @Test
  void dialectIsDetectedFromTheJdbcUrlAndPlainPathsComeFromConfig() {
    var repo = FixtureRepo.create(dir).deployed().commit(Map.of(
        ".tollgate.yml", "migrations:\n  paths: [sql]\n",
        "src/main/resources/application.properties", "spring.datasource.url=jdbc:mysql://db:3306/app\n",
        "sql/001_init.sql", "CREATE TABLE t (id int);",
        "docs/example.sql", "DROP TABLE t;"), "mysql");
    MigrationSet set = load(repo);
    assertEquals(Dialect.MYSQL, set.dialect());
    assertEquals(List.of("sql/001_init.sql"), set.pending().stream().map(Migration::path).toList(),
        "plain .sql files count only in configured directories");
  }
}
