package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrreversibleMigrationRuleTest {
  private final RuleHarness harness = RuleHarness.of(new IrreversibleMigrationRule());
  @TempDir Path dir;

  static final String SCHEMA = "CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy_flag boolean);";

  /** The running release applied V1; this deploy adds {@code files}. */
  FixtureRepo deploy(Map<String, String> files) {
    Map<String, String> ordered = new LinkedHashMap<>(files);
    return FixtureRepo.create(dir).commit("db/migration/V1__init.sql", SCHEMA).deployed().commit(ordered, "release");
  }

  @Test
  void flagsAFlywayMigrationWithoutUndo() {
    var repo = deploy(Map.of("db/migration/V2__add_nick.sql", "ALTER TABLE users ADD COLUMN nick text;"));
    harness.assertViolations(repo, """
        WARN rollback/irreversible-migration db/migration/V2__add_nick.sql:1
          db/migration/V2__add_nick.sql: it has no undo migration, so rolling the schema back means writing one during \
        the incident.
        """);
  }

  @Test
  void flagsADestructiveMigrationWithoutItsWayBackAsBlocking() {
    var repo = deploy(Map.of("db/migration/2_drop_flag.up.sql", "SELECT 1;\nALTER TABLE users DROP COLUMN legacy_flag;"));
    harness.assertViolations(repo, """
        BLOCK rollback/irreversible-migration db/migration/2_drop_flag.up.sql:1
          db/migration/2_drop_flag.up.sql drops column `users.legacy_flag` (line 2) and it has no down migration: once \
        it runs, a rollback can bring back neither the schema nor the data.
        """);
  }

  @Test
  void flagsAnEmptyDownFileAndADbmateFileWithoutDownSection() {
    var repo = deploy(Map.of(
        "db/migration/2_truncate.up.sql", "TRUNCATE users;",
        "db/migration/2_truncate.down.sql", "-- nothing to do\n",
        "db/dbmate/20261126090000_nick.sql", "-- migrate:up\nALTER TABLE users ADD COLUMN nick text;\n-- migrate:down\n"));
    harness.assertViolations(repo, """
        BLOCK rollback/irreversible-migration db/migration/2_truncate.up.sql:1
          db/migration/2_truncate.up.sql truncates `users` (line 1) and its down migration \
        db/migration/2_truncate.down.sql is empty: once it runs, a rollback can bring back neither the schema nor the \
        data.
        WARN rollback/irreversible-migration db/dbmate/20261126090000_nick.sql:1
          db/dbmate/20261126090000_nick.sql: it has no `-- migrate:down` section, so rolling the schema back means \
        writing one during the incident.
        """);
  }

  @Test
  void flagsLiquibaseChangesetsWithoutRollbackOneByOne() {
    var repo = deploy(Map.of("db/changelog/002.sql", """
        --liquibase formatted sql
        --changeset alice:1
        ALTER TABLE users ADD COLUMN nick text;
        --rollback ALTER TABLE users DROP COLUMN nick;
        --changeset alice:2
        DELETE FROM users WHERE legacy_flag;
        """,
        // Raw <sql> is never reversed by Liquibase itself, even when it only creates a table.
        "db/changelog/003.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="1" author="carol">
                <sql>CREATE TABLE audit (id bigint)</sql>
              </changeSet>
            </databaseChangeLog>
            """,
        "db/changelog/004.yaml", """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: dave
                  changes:
                    - addColumn:
                        tableName: users
                        columns:
                          - column: {name: bio, type: text}
                    - sql:
                        sql: UPDATE users SET bio = ''
            """));
    harness.assertViolations(repo, """
        BLOCK rollback/irreversible-migration db/changelog/002.sql:5
          Changeset `alice:2` of db/changelog/002.sql deletes rows of `users` (line 6) and it has no rollback: once it \
        runs, a rollback can bring back neither the schema nor the data.
        WARN rollback/irreversible-migration db/changelog/003.xml:2
          Changeset `carol:1` of db/changelog/003.xml: it has no rollback, so rolling the schema back means writing one \
        during the incident.
        WARN rollback/irreversible-migration db/changelog/004.yaml:2
          Changeset `dave:1` of db/changelog/004.yaml: it has no rollback, so rolling the schema back means writing one \
        during the incident.
        """);
  }

  @Test
  void flagsForwardOnlyDeclarationsWithTheirReasonAndKeepsDataLossAWarning() {
    var repo = deploy(Map.of(
        ".tollgate.yml", """
            migrations:
              paths: [db/plain]
            rollback:
              forwardOnly:
                db/migration/V2__drop_flag.sql: "flag archived to users_legacy_flags (OPS-1207)"
                "db/plain/*.sql": "seed data only, re-applied idempotently"
            """,
        "db/migration/V2__drop_flag.sql", "ALTER TABLE users DROP COLUMN legacy_flag;",
        "db/plain/seed.sql", "INSERT INTO users (id) VALUES (1) ON CONFLICT DO NOTHING;"));
    harness.assertViolations(repo, """
        WARN rollback/irreversible-migration db/migration/V2__drop_flag.sql:1
          db/migration/V2__drop_flag.sql drops column `users.legacy_flag` (line 1) is declared forward-only: "flag \
        archived to users_legacy_flags (OPS-1207)". Rolling back this deploy leaves its schema change in place, and the \
        data it removes is gone.
        INFO rollback/irreversible-migration db/plain/seed.sql:1
          db/plain/seed.sql is declared forward-only: "seed data only, re-applied idempotently". Rolling back this deploy \
        leaves its schema change in place.
        """);
  }

  @Test
  void flagsDataADownMigrationCannotBringBackAsInformation() {
    var repo = deploy(Map.of(
        "db/migration/V2__drop_flag.sql", "ALTER TABLE users DROP COLUMN legacy_flag;",
        "db/migration/U2__drop_flag.sql", "ALTER TABLE users ADD COLUMN legacy_flag boolean;"));
    harness.assertViolations(repo, """
        INFO rollback/irreversible-migration db/migration/V2__drop_flag.sql:1
          db/migration/V2__drop_flag.sql drops column `users.legacy_flag` (line 1); its undo migration can restore the \
        schema but not the data.
        """);
  }

  @Test
  void passesMigrationsThatHaveTheirWayBack() {
    // Safe: Flyway undo, golang-migrate down, a dbmate down section, an explicit Liquibase rollback, and Liquibase XML
    // and YAML changes that Liquibase reverses itself (createTable, addColumn, createIndex).
    var repo = deploy(Map.of(
        "db/migration/V2__nick.sql", "ALTER TABLE users ADD COLUMN nick text;",
        "db/migration/U2__nick.sql", "ALTER TABLE users DROP COLUMN nick;",
        "db/go/3_idx.up.sql", "CREATE INDEX CONCURRENTLY users_email ON users (email);",
        "db/go/3_idx.down.sql", "DROP INDEX CONCURRENTLY users_email;",
        "db/dbmate/20261126090000_bio.sql", "-- migrate:up\nALTER TABLE users ADD COLUMN bio text;\n"
            + "-- migrate:down\nALTER TABLE users DROP COLUMN bio;\n",
        "db/changelog/003.sql", "--liquibase formatted sql\n--changeset bob:1\nCREATE TABLE tags (id bigint);\n"
            + "--rollback DROP TABLE tags;\n",
        "db/changelog/004.xml", """
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
              <changeSet id="1" author="carol">
                <createTable tableName="labels"><column name="id" type="bigint"/></createTable>
                <addColumn tableName="users"><column name="label_id" type="bigint"/></addColumn>
              </changeSet>
            </databaseChangeLog>
            """,
        "db/changelog/005.yaml", """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: dave
                  comment: a comment is not a change
                  changes:
                    - createIndex:
                        tableName: users
                        indexName: users_email_idx
                        columns:
                          - column: {name: email}
            """));
    harness.assertNoViolations(repo);
  }

  @Test
  void passesAFirstDeploy() {
    // Safe for this rule: nothing runs yet, so there is no schema to roll back to (no-rollback-target warns instead).
    var repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", SCHEMA);
    harness.assertNoViolations(repo);
  }
}
