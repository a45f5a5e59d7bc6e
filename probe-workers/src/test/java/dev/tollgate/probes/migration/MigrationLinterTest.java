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
}
