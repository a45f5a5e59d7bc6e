package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The author of a change hides an unsafe migration from the probe: each test ships {@code DROP TABLE users} (or a
 * statement as unsafe) in a way the author could, and expects a blocking finding: the statement found, or the file
 * reported as not read. Where the attack held before this suite, the test stays as a guard.
 */
class AuthorEvasionTest {
  private static final String INIT = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n";
  private final RuleHarness harness = RuleHarness.of(new MigrationSafetyProbe());

  @TempDir
  Path dir;

  private FixtureRepo flyway() {
    return FixtureRepo.create(dir).commit("src/main/resources/db/migration/V1__init.sql", INIT).deployed();
  }

  private void blocks(FixtureRepo repo, String file, String ruleId) {
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason() + "\n" + RuleHarness.render(outcome.findings()));
    assertTrue(outcome.findings().stream().anyMatch(f -> file.equals(f.file()) && f.ruleId().equals(ruleId)
        && f.severity() == dev.tollgate.contracts.probe.Severity.BLOCK), RuleHarness.render(outcome.findings()));
  }

  @Test
  void anUpperCaseExtensionIsStillAMigration() {
    blocks(flyway().commit("src/main/resources/db/migration/V2__drop.SQL", "DROP TABLE users;\n"),
        "src/main/resources/db/migration/V2__drop.SQL", "migration/drop-table");
  }

  @Test
  void aMigrationInANestedDirectoryFlywayScansIsRead() {
    blocks(flyway().commit("src/main/resources/db/migration/2026/q4/V2__drop.sql", "DROP TABLE users;\n"),
        "src/main/resources/db/migration/2026/q4/V2__drop.sql", "migration/drop-table");
  }

  @Test
  void anAppliedMigrationEditedInPlaceBlocks() {
    blocks(flyway().commit("src/main/resources/db/migration/V1__init.sql", INIT + "DROP TABLE users;\n"),
        "src/main/resources/db/migration/V1__init.sql", "migration/edited-applied-migration");
  }

  @Test
  void aMigrationAddedByAMergeIsRead() {
    FixtureRepo repo = flyway();
    String base = repo.head();
    String side = repo.commit("docs/a.md", "side\n").head();
    repo.resetTo(base).commit("docs/b.md", "main\n").merge(side, Map.of("docs/a.md", "side\n",
        "src/main/resources/db/migration/V2__drop.sql", "DROP TABLE users;\n"));
    blocks(repo, "src/main/resources/db/migration/V2__drop.sql", "migration/drop-table");
  }

  @Test
  void aMigrationInASecondFrameworksDirectoryIsRead() {
    blocks(flyway().commit("db/changelog/db.changelog-master.sql",
            "--liquibase formatted sql\n--changeset dev:2\nDROP TABLE users;\n"),
        "db/changelog/db.changelog-master.sql", "migration/drop-table");
  }

  @Test
  void aKotlinFlywayMigrationTheProbeCannotReadBlocks() {
    blocks(flyway().commit("src/main/kotlin/db/migration/V2__Drop.kt", """
            package db.migration
            import org.flywaydb.core.api.migration.BaseJavaMigration
            import org.flywaydb.core.api.migration.Context
            class V2__Drop : BaseJavaMigration() {
              override fun migrate(context: Context) {
                context.connection.createStatement().use { it.execute("DROP TABLE users") }
              }
            }
            """),
        "src/main/kotlin/db/migration/V2__Drop.kt", "migration/unchecked-framework");
  }

  @Test
  void aStatementAfterALoneCarriageReturnInALineCommentIsRead() {
    // PostgreSQL ends a -- comment at CR as at LF: what follows the CR runs.
    blocks(flyway().commit("src/main/resources/db/migration/V2__tidy.sql", "-- tidy up\rDROP TABLE users;\n"),
        "src/main/resources/db/migration/V2__tidy.sql", "migration/drop-table");
  }

  @Test
  void aStatementAfterAnEscapedQuoteInAnEStringIsRead() {
    blocks(flyway().commit("src/main/resources/db/migration/V2__tidy.sql",
            "SELECT E'it\\'s'; DROP TABLE users; -- '\n"),
        "src/main/resources/db/migration/V2__tidy.sql", "migration/drop-table");
  }

  @Test
  void aStatementBetweenDollarQuotesOfDifferentTagsIsRead() {
    blocks(flyway().commit("src/main/resources/db/migration/V2__tidy.sql",
            "SELECT $a$ $$ $a$; DROP TABLE users; SELECT $$ x $$;\n"),
        "src/main/resources/db/migration/V2__tidy.sql", "migration/drop-table");
  }

  @Test
  void aStatementInALiteralExecuteStringIsRead() {
    blocks(flyway().commit("src/main/resources/db/migration/V2__tidy.sql",
            "DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$;\n"),
        "src/main/resources/db/migration/V2__tidy.sql", "migration/drop-table");
  }

  @Test
  void aComputedExecuteStringIsReportedNotPassedSilently() {
    // A warning by design (docs/rules/migration/dynamic-sql.md): loops over partitions are common; it is never silent.
    FixtureRepo repo = flyway().commit("src/main/resources/db/migration/V2__tidy.sql",
        "DO $$ BEGIN EXECUTE 'DROP ' || 'TABLE users'; END $$;\n");
    ProbeOutcome outcome = harness.run(repo);
    assertTrue(outcome.findings().stream().anyMatch(f -> f.ruleId().equals("migration/dynamic-sql")),
        RuleHarness.render(outcome.findings()));
  }

  @Test
  void aLiquibaseChangeThatRunsAnotherFileIsNotRead() {
    FixtureRepo repo = liquibase().commit("src/main/resources/db/changelog/db.changelog-master.xml", CHANGELOG.replace(
        "</databaseChangeLog>", """
          <changeSet id="2" author="dev"><sqlFile path="ops/cleanup.sql" relativeToChangelogFile="false"/></changeSet>
          <changeSet id="3" author="dev"><mergeColumns tableName="users" column1Name="id" column2Name="email" finalColumnName="x" finalColumnType="text" joinString=" "/></changeSet>
        </databaseChangeLog>
        """));
    blocks(repo, "src/main/resources/db/changelog/db.changelog-master.xml", "migration/unreadable-migration");
    assertEquals(2, harness.run(repo).findings().stream().filter(f -> f.ruleId().equals("migration/unreadable-migration"))
        .count());
  }

  @Test
  void passesLiquibaseChangesNoRuleLooksFor() {
    // Safe: rows, a sequence and a view change nothing the running release reads.
    FixtureRepo repo = liquibase().commit("src/main/resources/db/changelog/db.changelog-master.xml", CHANGELOG.replace(
        "</databaseChangeLog>", """
          <changeSet id="2" author="dev"><createSequence sequenceName="seq"/><insert tableName="users"><column name="id" valueNumeric="1"/></insert><tagDatabase tag="v2"/></changeSet>
        </databaseChangeLog>
        """));
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.PASS, outcome.status(), RuleHarness.render(outcome.findings()));
  }

  private static final String CHANGELOG = """
      <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
        <changeSet id="1" author="dev"><createTable tableName="users"><column name="id" type="bigint"/><column name="email" type="text"/></createTable></changeSet>
      </databaseChangeLog>
      """;

  private FixtureRepo liquibase() {
    return FixtureRepo.create(dir).commit("src/main/resources/db/changelog/db.changelog-master.xml", CHANGELOG).deployed();
  }

  @Test
  void aMysqlExecutableCommentIsRead() {
    FixtureRepo repo = FixtureRepo.create(dir).commit(Map.of(".tollgate.yml", "migrations: {dialect: mysql}\n",
        "src/main/resources/db/migration/V1__init.sql", INIT), "init").deployed()
        .commit("src/main/resources/db/migration/V2__tidy.sql", "/*!50000 DROP TABLE users */;\n");
    blocks(repo, "src/main/resources/db/migration/V2__tidy.sql", "migration/drop-table");
  }

  @Test
  void aUtf16MigrationIsReadAsText() {
    byte[] utf16 = "\uFEFFDROP TABLE users;\r\n".getBytes(StandardCharsets.UTF_16LE);
    blocks(flyway().commitBytes("src/main/resources/db/migration/V2__drop.sql", utf16),
        "src/main/resources/db/migration/V2__drop.sql", "migration/drop-table");
  }

  @Test
  void aLiquibaseIncludeOutsideTheRepositoryIsNotRead() {
    FixtureRepo repo = liquibase().commit("src/main/resources/db/changelog/db.changelog-master.xml", CHANGELOG.replace(
        "</databaseChangeLog>", """
          <include file="../../../../../../tmp/evil.xml" relativeToChangelogFile="true"/>
          <include file="/etc/tollgate/evil.xml"/>
          <includeAll path="classpath:/db/other/"/>
          <include file="db/changelog/more.xml"/>
        </databaseChangeLog>
        """));
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), outcome.reason() + "\n" + RuleHarness.render(outcome.findings()));
    assertEquals(3, outcome.findings().stream().filter(f -> f.ruleId().equals("migration/unreadable-migration")).count(),
        "the three includes from outside the repository, not the one inside it: " + RuleHarness.render(outcome.findings()));
  }

  // Review of redteam33: ordinary Liquibase repositories must pass, what the probe cannot find must still block.

  private static final String MASTER = "src/main/resources/db/changelog/db.changelog-master.xml";

  private static String withChanges(String xml) {
    return CHANGELOG.replace("</databaseChangeLog>", xml + "</databaseChangeLog>\n");
  }

  private static final String ADD_NICK = """
      <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
        <changeSet id="2" author="dev"><addColumn tableName="users"><column name="nick" type="text"/></addColumn></changeSet>
      </databaseChangeLog>
      """;

  @ParameterizedTest
  @ValueSource(strings = {"classpath:db/changelog/changes/002-nick.xml", "classpath:/db/changelog/changes/002-nick.xml",
      "/db/changelog/changes/002-nick.xml"})
  void aSpringBootClasspathIncludeOfAFileInTheRepositoryPasses(String file) {
    FixtureRepo repo = liquibase().commit(Map.of(MASTER, withChanges("  <include file=\"" + file + "\"/>\n"),
        "src/main/resources/db/changelog/changes/002-nick.xml", ADD_NICK), "nick");
    passesWithoutABlock(repo);
  }

  /** Nothing blocks (an added column still warns about its lock timeout). */
  private void passesWithoutABlock(FixtureRepo repo) {
    ProbeOutcome outcome = harness.run(repo);
    assertNotEquals(ProbeStatus.FAIL, outcome.status(), RuleHarness.render(outcome.findings()));
    assertTrue(outcome.findings().stream().noneMatch(f -> f.severity() == dev.tollgate.contracts.probe.Severity.BLOCK),
        RuleHarness.render(outcome.findings()));
  }

  @Test
  void aClasspathIncludeInAModulesResourcesPasses() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app/" + MASTER, CHANGELOG).deployed()
        .commit(Map.of("app/" + MASTER, withChanges("  <includeAll path=\"classpath:db/changelog/changes/\"/>\n"),
            "app/src/main/resources/db/changelog/changes/002-nick.xml", ADD_NICK), "nick");
    passesWithoutABlock(repo);
  }

  @Test
  void aClasspathIncludeNoResourceRootHoldsBlocks() {
    blocks(liquibase().commit(MASTER, withChanges("  <include file=\"classpath:db/changelog/changes/missing.xml\"/>\n")),
        MASTER, "migration/unreadable-migration");
  }

  @Test
  void anIncludeThroughAChangelogPropertyBlocks() {
    blocks(liquibase().commit(MASTER, withChanges("  <property name=\"ops\" value=\"/etc/ops\"/>\n"
        + "  <include file=\"${ops}/evil.xml\"/>\n")), MASTER, "migration/unreadable-migration");
  }

  @Test
  void aSqlFileInTheRepositoryIsReadAndPassesWhenSafe() {
    FixtureRepo repo = liquibase().commit(Map.of(MASTER, withChanges("  <changeSet id=\"2\" author=\"dev\"><sqlFile "
        + "path=\"sql/002-comment.sql\" relativeToChangelogFile=\"true\"/></changeSet>\n"),
        "src/main/resources/db/changelog/sql/002-comment.sql", "COMMENT ON TABLE users IS 'people';\n"), "comment");
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.PASS, outcome.status(), RuleHarness.render(outcome.findings()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"path=\"sql/002-drop.sql\" relativeToChangelogFile=\"true\"",
      "path=\"db/changelog/sql/002-drop.sql\"", "path=\"classpath:db/changelog/sql/002-drop.sql\""})
  void aSqlFileInTheRepositoryIsCheckedLikeAnySql(String attrs) {
    blocks(liquibase().commit(Map.of(MASTER, withChanges("  <changeSet id=\"2\" author=\"dev\"><sqlFile " + attrs
        + "/></changeSet>\n"), "src/main/resources/db/changelog/sql/002-drop.sql", "DROP TABLE users;\n"), "drop"),
        MASTER, "migration/drop-table");
  }

  @Test
  void standardChangesThatDoNotTouchALiveTablePass() {
    FixtureRepo repo = FixtureRepo.create(dir).commit(MASTER, withChanges(
        "  <changeSet id=\"2\" author=\"dev\"><createSequence sequenceName=\"s\"/><createView viewName=\"a\">SELECT id FROM users</createView></changeSet>\n"))
        .deployed()
        .commit(MASTER, withChanges(
        "  <changeSet id=\"2\" author=\"dev\"><createSequence sequenceName=\"s\"/><createView viewName=\"a\">SELECT id FROM users</createView></changeSet>\n"
        + "  <changeSet id=\"3\" author=\"dev\"><dropSequence sequenceName=\"s\"/><renameView oldViewName=\"a\" "
        + "newViewName=\"b\"/><dropProcedure procedureName=\"p\"/><renameSequence oldSequenceName=\"t\" "
        + "newSequenceName=\"u\"/></changeSet>\n"));
    ProbeOutcome outcome = harness.run(repo);
    assertEquals(ProbeStatus.PASS, outcome.status(), RuleHarness.render(outcome.findings()));
  }

  @Test
  void addCheckConstraintIsReadAsTheSqlItRuns() {
    // A validating CHECK on a live table scans it under a lock: read, and blocked by the rule that knows it.
    blocks(liquibase().commit(MASTER, withChanges("  <changeSet id=\"2\" author=\"dev\"><addCheckConstraint "
        + "tableName=\"users\" constraintName=\"c\" constraintBody=\"id > 0\"/></changeSet>\n")),
        MASTER, "migration/add-check-validating");
  }

  @ParameterizedTest
  @ValueSource(strings = {"<createTrigger tableName=\"users\" triggerName=\"t\"/>",
      "<addLookupTable existingTableName=\"users\" existingColumnName=\"email\" newTableName=\"emails\" newColumnName=\"email\"/>",
      "<enableCheckConstraint tableName=\"users\" constraintName=\"c\"/>", "<frobnicate tableName=\"users\"/>"})
  void changesThatActOnALiveTableTheProbeDoesNotReadBlock(String change) {
    blocks(liquibase().commit(MASTER, withChanges("  <changeSet id=\"2\" author=\"dev\">" + change + "</changeSet>\n")),
        MASTER, "migration/unreadable-migration");
  }
}
