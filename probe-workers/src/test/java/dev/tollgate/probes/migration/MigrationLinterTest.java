package dev.tollgate.probes.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI engine: standalone files, framework by name, and large files. */
class MigrationLinterTest {
  private final MigrationLinter linter = new MigrationLinter("auto", null);

  @Test
  void largeFileFindingsAreCompleteAndInLineOrder() {
    // 10,000 statements: every unsafe index is reported once, in line order.
    StringBuilder b = new StringBuilder("SET lock_timeout = '2s';\n");
    for (int i = 0; i < 10_000; i++) {
      b.append(i % 10 == 0 ? "CREATE INDEX idx_" + i + " ON users (c" + i + ");\n" : "ALTER TABLE users ADD COLUMN c" + i + " text;\n");
    }
    MigrationLinter.FileReport r = linter.lint("big.sql", b.toString());
    assertTrue(r.unsafe());
    List<Integer> lines = r.findings().stream().filter(f -> f.rule().equals("migration/pg-index-not-concurrent"))
        .map(MigrationLinter.Finding::line).toList();
    assertEquals(1000, lines.size());
    for (int k = 0; k < lines.size(); k++) {
      assertEquals(2 + 10 * k, lines.get(k));
    }
    assertEquals(10_001, r.statements());
  }

  @Test
  void frameworkComesFromTheNameAndMysqlIsDetectedFromContent() {
    MigrationLinter.FileReport flyway = linter.lint("db/V3__x.sql", "CREATE INDEX CONCURRENTLY i ON t (a);");
    assertEquals("flyway", flyway.framework());
    assertFalse(flyway.findings().stream().anyMatch(f -> f.rule().equals("migration/pg-concurrent-in-transaction")),
        "a Flyway file of only CONCURRENTLY statements runs without a transaction");
    MigrationLinter.FileReport golang = linter.lint("000003_x.up.sql", "SET lock_timeout = '1s';\nCREATE INDEX CONCURRENTLY i ON t (a);");
    assertEquals("golang_migrate", golang.framework());
    assertTrue(golang.findings().stream().anyMatch(f -> f.rule().equals("migration/pg-concurrent-in-transaction")),
        "two statements in one golang-migrate file share one implicit transaction");
    MigrationLinter.FileReport my = linter.lint("002.sql", "ALTER TABLE `users` ADD COLUMN `bio` TEXT, ALGORITHM=COPY;");
    assertEquals("mysql", my.dialect());
    assertTrue(my.unsafe());
  }

  @Test
  void brokenAndTruncatedSqlNeverThrows() {
    // "Unparseable SQL -> a clear finding, never a crash": every prefix of tricky statements, both dialects.
    String[] samples = {
        "ALTER TABLE \"Orders\" ADD COLUMN x int NOT NULL DEFAULT 0, DROP COLUMN y CASCADE, ALTER COLUMN z TYPE varchar(9) USING z::text;",
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON public.t USING gin (lower(a)) WHERE b IS NULL;",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN EXECUTE 'ALTER TABLE t ADD c int'; END IF; END $$;",
        "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;",
        "ALTER TABLE `t` CHANGE COLUMN `a` `b` ENUM('x','y') NOT NULL DEFAULT 'x' AFTER `c`, ALGORITHM=INPLACE, LOCK=NONE;",
        "WITH b AS (SELECT id FROM t LIMIT 10) UPDATE t SET a = E'\\n;' WHERE id IN (SELECT id FROM b);",
        "ALTER TABLE t ADD CONSTRAINT c FOREIGN KEY (a) REFERENCES u (id) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT c;",
        "DELIMITER //\nCREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END //\nDELIMITER ;",
        "--liquibase formatted sql\n--changeset a:1 runInTransaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n--rollback DROP INDEX i;",
        "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;"};
    int files = 0;
    for (String sample : samples) {
      for (int cut = 0; cut <= sample.length(); cut++) {
        String text = sample.substring(0, cut);
        for (String name : List.of("V1__x.sql", "1_x.up.sql", "plain.sql")) {
          MigrationLinter.FileReport r = linter.lint(name, text);
          assertTrue(r.findings().stream().allMatch(f -> f.line() >= 0 && !f.message().isBlank() && !f.fix().isBlank()),
              () -> name + " <" + text + ">");
          files++;
        }
      }
    }
    assertTrue(files > 2000, "checked " + files + " truncated files");
  }
}
