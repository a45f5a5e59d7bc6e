package dev.tollgate.probes.migration.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.MigrationSettings;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plug point's builder: rendered SQL becomes the probe's statements, on the source's lines, in the framework's units. */
class MigrationBuilderTest {
  private static MigrationSource source(String text) {
    return new MigrationSource("db/migrate/20240101000000_x.rb", text, null, MigrationSettings.defaults(), RepoFiles.none());
  }

  @Test
  void renderedSqlBecomesStatementsOnTheOperationsLineInTheFrameworksUnits() {
    MigrationBuilder b = new MigrationBuilder(source(""), Framework.PLAIN, "20240101000000", Dialect.POSTGRESQL);
    b.unit("the framework runs this migration in one transaction", 3, true);
    b.sql("ALTER TABLE " + b.ident("users") + " DROP COLUMN " + b.ident("nick"), 7);
    b.unit("outside a transaction", 9, false);
    b.sql("CREATE INDEX CONCURRENTLY " + b.ident("idx") + " ON " + b.qualified("audit.events") + " (at)", 10);
    Migration m = b.build();
    assertEquals(2, m.units().size());
    assertTrue(m.units().get(0).transactional());
    assertFalse(m.units().get(1).transactional());
    var drop = (Command.AlterTable) m.units().get(0).statements().get(0).command();
    assertEquals("users", drop.table().name());
    assertEquals(new AlterAction.DropColumn("nick", false, false), drop.actions().get(0));
    assertEquals(7, m.units().get(0).statements().get(0).line());
    var idx = (Command.CreateIndex) m.units().get(1).statements().get(0).command();
    assertEquals("audit", idx.table().schema());
    assertTrue(idx.concurrently());
    assertEquals(10, m.statements().get(1).line());
    assertEquals("20240101000000", m.version());
  }

  @Test
  void sqlWrittenInTheSourceKeepsTheFilesLines() {
    String text = "class X\n  execute <<~SQL\n    UPDATE users SET plan = 'free';\n    DROP TABLE old_things;\n  SQL\nend\n";
    MigrationBuilder b = new MigrationBuilder(source(text), Framework.PLAIN, "1", Dialect.POSTGRESQL);
    int from = text.indexOf("    UPDATE");
    b.sqlAt(from, text.indexOf("  SQL\nend"), 3);
    assertEquals(List.of(3, 4), b.build().statements().stream().map(s -> s.line()).toList());
  }

  @Test
  void mysqlHasNoTransactionalDdlWhateverTheFrameworkSays() {
    MigrationBuilder b = new MigrationBuilder(source(""), Framework.PLAIN, "1", Dialect.MYSQL);
    b.unit("one transaction", 1, true);
    b.sql("ALTER TABLE " + b.ident("users") + " DROP COLUMN " + b.ident("nick"), 2);
    assertFalse(b.build().units().get(0).transactional());
  }

  @Test
  void explicitTransactionControlInRenderedSqlDoesNotChangeTheUnits() {
    MigrationBuilder b = new MigrationBuilder(source(""), Framework.PLAIN, "1", Dialect.POSTGRESQL);
    b.unit("one transaction", 1, true);
    b.sql("BEGIN; ALTER TABLE t ADD COLUMN c int; COMMIT;", 2);
    Migration m = b.build();
    assertEquals(1, m.statements().size());
    assertTrue(m.units().get(0).transactional());
  }

  @Test
  void unreadableSqlIsAProblemNotACrash() {
    MigrationBuilder b = new MigrationBuilder(source(""), Framework.PLAIN, "1", Dialect.POSTGRESQL);
    b.sql("ALTER TABLE users ADD COLUMN note text DEFAULT 'unterminated", 4);
    Migration m = b.build();
    assertFalse(m.problems().isEmpty());
    assertEquals(4, m.problems().get(0).line());
  }
}
