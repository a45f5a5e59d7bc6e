package dev.tollgate.probes.migration.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.migration.sql.AlterAction.AddColumn;
import dev.tollgate.probes.migration.sql.AlterAction.AddConstraint;
import dev.tollgate.probes.migration.sql.AlterAction.DropColumn;
import dev.tollgate.probes.migration.sql.Command.AlterTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front end against the parsing hazards of migration-rules.md §5. */
class SqlParserTest {
  private static List<Statement> pg(String sql) {
    return SqlScript.parse(sql, Dialect.POSTGRESQL).statements();
  }

  private static List<Statement> my(String sql) {
    return SqlScript.parse(sql, Dialect.MYSQL).statements();
  }

  @Test
  void commentsAndStringsDoNotMakeStatements() {
    List<Statement> s = pg("""
        -- DROP TABLE users;
        /* ALTER TABLE users DROP COLUMN email; /* nested */ still comment; */
        COMMENT ON TABLE users IS 'we never DROP TABLE users; ok';
        INSERT INTO notes (body) VALUES ('it''s; DROP TABLE x'), (E'line\\n; DROP TABLE y \\' still');
        """);
    assertEquals(2, s.size(), s.toString());
    assertEquals(new Command.Other("COMMENT ON"), s.get(0).command());
    assertEquals(3, s.get(0).line());
    Command.Insert insert = s.get(1).as(Command.Insert.class).orElseThrow();
    assertEquals(List.of("body"), insert.columns());
    assertEquals(List.of("it's; DROP TABLE x", "line\n; DROP TABLE y ' still"), s.get(1).literals());
  }

  @Test
  void functionBodiesAreNotExecutedButDoBlocksAre() {
    List<Statement> s = pg("""
        CREATE FUNCTION f() RETURNS trigger AS $fn$
        BEGIN
          ALTER TABLE users DROP COLUMN email;
          RETURN NEW;
        END $fn$ LANGUAGE plpgsql;
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
            CREATE TYPE mood AS ENUM ('sad', 'ok');
          END IF;
          ALTER TABLE orders ADD COLUMN note text;
        EXCEPTION WHEN duplicate_column THEN NULL;
        END $$;
        """);
    assertEquals(4, s.size(), s.toString());
    assertInstanceOf(Command.CreateRoutine.class, s.get(0).command());
    assertInstanceOf(Command.DoBlock.class, s.get(1).command());
    assertEquals(6, s.get(1).line());
    Statement type = s.get(2);
    assertEquals(new Command.CreateType(Name.of("mood"), true, List.of("sad", "ok")), type.command());
    assertEquals(9, type.line());
    assertTrue(type.enclosingBlock().isPresent());
    AlterTable alter = s.get(3).as(AlterTable.class).orElseThrow();
    assertEquals(11, s.get(3).line());
    assertEquals("note", ((AddColumn) alter.actions().get(0)).column().name());
  }

  @Test
  void doBlockDynamicSqlIsMarkedAndConstantExecuteIsRead() {
    List<Statement> s = pg("""
        DO $$ BEGIN EXECUTE 'ALTER TABLE a DROP COLUMN b'; END $$;
        DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'x'); END $$;
        """);
    assertEquals(3, s.size(), s.toString());
    assertFalse(((Command.DoBlock) s.get(0).command()).dynamicSql());
    assertInstanceOf(DropColumn.class, s.get(1).as(AlterTable.class).orElseThrow().actions().get(0));
    assertTrue(((Command.DoBlock) s.get(2).command()).dynamicSql());
  }

  @Test
  void multiActionAlterTableAndOddWhitespace() {
    List<Statement> s = pg("alter\ttable   \"Orders\"\n  add column  x int not null default 0,\n"
        + "  DROP COLUMN IF EXISTS y CASCADE, alter column z set not null, ALTER COLUMN w TYPE varchar(20) USING w::text,"
        + " ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users(id) NOT VALID; select 1; select 2");
    assertEquals(3, s.size());
    AlterTable a = s.get(0).as(AlterTable.class).orElseThrow();
    assertEquals(Name.of("Orders"), a.table());
    assertEquals(5, a.actions().size());
    ColumnDef x = ((AddColumn) a.actions().get(0)).column();
    assertTrue(x.notNull());
    assertTrue(x.defaultValue().literal());
    assertEquals("int4", x.type().name());
    assertEquals(new DropColumn("y", true, true), a.actions().get(1));
    assertEquals(new AlterAction.SetNotNull("z"), a.actions().get(2));
    AlterAction.AlterColumnType type = (AlterAction.AlterColumnType) a.actions().get(3);
    assertEquals("varchar", type.type().name());
    assertEquals(20, type.type().length());
    assertEquals("w::text", type.using().text());
    TableConstraint fk = ((AddConstraint) a.actions().get(4)).constraint();
    assertEquals(TableConstraint.Kind.FOREIGN_KEY, fk.kind());
    assertTrue(fk.notValid());
    assertEquals(Name.of("users"), fk.references());
  }

  @Test
  void mysqlBackticksHashCommentsAndAlgorithm() {
    List<Statement> s = my("""
        # DROP TABLE x;
        ALTER TABLE `drop` CHANGE COLUMN `rename` `renamed` VARCHAR(64) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;
        /*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
        SET SESSION lock_wait_timeout = 5;
        """);
    assertEquals(3, s.size(), s.toString());
    AlterTable a = s.get(0).as(AlterTable.class).orElseThrow();
    assertEquals(Name.of("drop"), a.table());
    AlterAction.ModifyColumn change = (AlterAction.ModifyColumn) a.actions().get(0);
    assertTrue(change.renames());
    assertEquals("renamed", change.column().name());
    assertTrue(a.mysqlAssertedOnline());
    assertEquals("5", s.get(2).as(Command.SetVariable.class).orElseThrow().value("lock_wait_timeout"));
  }

  @Test
  void mysqlDelimiterAndCompoundBodies() {
    List<Statement> s = my("""
        DELIMITER //
        CREATE PROCEDURE p() BEGIN UPDATE t SET a = 1; DELETE FROM t; END //
        DELIMITER ;
        CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN IF NEW.a IS NULL THEN SET NEW.a = 1; END IF; END;
        DROP TABLE old_t;
        """);
    assertEquals(3, s.size(), s.toString());
    assertInstanceOf(Command.CreateRoutine.class, s.get(0).command());
    assertEquals(new Command.CreateTrigger(Name.of("trg"), Name.of("t")), s.get(1).command());
    assertInstanceOf(Command.Drop.class, s.get(2).command());
    assertEquals(5, s.get(2).line());
  }

  @Test
  void updateFiltersTellBatchesFromWholeTable() {
    List<Statement> s = pg("""
        UPDATE users SET flag = false;
        UPDATE users SET flag = false WHERE flag IS NULL;
        UPDATE users SET flag = false WHERE id BETWEEN 1 AND 1000;
        UPDATE users SET flag = false WHERE id >= 1 AND id < 1000;
        UPDATE users SET flag = false WHERE id = 42;
        UPDATE users SET flag = false WHERE id IN (SELECT id FROM users WHERE flag IS NULL LIMIT 1000);
        WITH b AS (SELECT id FROM users LIMIT 500) UPDATE users SET flag = true WHERE id IN (SELECT id FROM b);
        DELETE FROM sessions;
        """);
    List<Command.RowFilter> filters = s.stream().map(st -> st.command() instanceof Command.Update u ? u.filter()
        : ((Command.Delete) st.command()).filter()).toList();
    assertEquals(List.of(Command.RowFilter.NONE, Command.RowFilter.OTHER, Command.RowFilter.RANGE, Command.RowFilter.RANGE,
        Command.RowFilter.KEY, Command.RowFilter.LIMIT, Command.RowFilter.LIMIT, Command.RowFilter.NONE), filters);
  }

  @Test
  void indexesAndConcurrency() {
    List<Statement> s = pg("""
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_email ON public.users USING btree (lower(email)) WHERE deleted_at IS NULL;
        DROP INDEX CONCURRENTLY IF EXISTS idx_old;
        REINDEX (VERBOSE) TABLE CONCURRENTLY users;
        """);
    Command.CreateIndex ci = s.get(0).as(Command.CreateIndex.class).orElseThrow();
    assertTrue(ci.unique() && ci.concurrently() && ci.ifNotExists() && ci.partial());
    assertEquals(new Name("public", "users"), ci.table());
    assertEquals(List.of("lower(email)"), ci.columns());
    assertTrue(s.get(1).as(Command.DropIndex.class).orElseThrow().concurrently());
    assertTrue(s.get(2).as(Command.Reindex.class).orElseThrow().concurrently());
  }

  @Test
  void brokenSqlBecomesInvalidStatementsNotExceptions() {
    SqlScript script = SqlScript.parse("""
        ALTER TABLE users ADD COLUMN a int;
        CREATE TABLE t (a int;
        ALTER TABLE users DROP COLUMN b;
        INSERT INTO x VALUES ('unterminated);
        """, Dialect.POSTGRESQL);
    List<Statement> s = script.statements();
    assertInstanceOf(AlterTable.class, s.get(0).command());
    assertInstanceOf(Command.Invalid.class, s.get(1).command());
    assertInstanceOf(AlterTable.class, s.get(2).command(), "recovers after the unclosed parenthesis");
    assertInstanceOf(Command.Invalid.class, s.get(3).command());
    assertEquals(2, script.problems().size(), script.problems().toString());
  }

  @Test
  void setVariantsAndTransactions() {
    List<Statement> s = pg("""
        BEGIN;
        SET LOCAL lock_timeout TO '2s';
        SELECT pg_catalog.set_config('statement_timeout', '0', false);
        COMMIT;
        """);
    assertEquals(new Command.Transaction(Command.TxOp.BEGIN), s.get(0).command());
    Command.SetVariable local = s.get(1).as(Command.SetVariable.class).orElseThrow();
    assertEquals("LOCAL", local.scope());
    assertEquals("2s", local.value("lock_timeout"));
    assertEquals("0", s.get(2).as(Command.SetVariable.class).orElseThrow().value("statement_timeout"));
    assertEquals(new Command.Transaction(Command.TxOp.COMMIT), s.get(3).command());
  }

  @Test
  void columnDefinitionsKnowTheirValueSources() {
    List<Statement> s = pg("""
        ALTER TABLE t ADD COLUMN a bigserial, ADD COLUMN b int GENERATED ALWAYS AS IDENTITY,
          ADD COLUMN c numeric GENERATED ALWAYS AS (x * 2) STORED, ADD COLUMN d uuid DEFAULT gen_random_uuid(),
          ADD COLUMN e timestamp with time zone DEFAULT now() NOT NULL, ADD COLUMN f character varying(10) NULL;
        """);
    List<ColumnDef> cols = s.get(0).as(AlterTable.class).orElseThrow().actions().stream()
        .map(a -> ((AddColumn) a).column()).toList();
    assertTrue(cols.get(0).type().isSerial());
    assertEquals(ColumnDef.Generated.IDENTITY, cols.get(1).generated());
    assertEquals(ColumnDef.Generated.STORED, cols.get(2).generated());
    assertTrue(cols.get(3).defaultValue().calls("gen_random_uuid"));
    assertEquals("timestamptz", cols.get(4).type().name());
    assertTrue(cols.get(4).notNull());
    assertEquals("varchar", cols.get(5).type().name());
    assertEquals(Boolean.TRUE, cols.get(5).nullable());
    assertNull(cols.get(5).defaultValue());
  }

  @Test
  void largeFilesKeepOrderLinesAndProblems() {
    // A 12,000-statement file: line counting, DO-block placement and problem lines must hold at scale.
    StringBuilder b = new StringBuilder();
    int n = 12_000;
    for (int i = 0; i < n; i++) {
      if (i % 1000 == 999) {
        b.append("DO $$ BEGIN ALTER TABLE t").append(i).append(" ADD COLUMN c int; END $$;\n");
      } else {
        b.append("ALTER TABLE t").append(i).append(" ADD COLUMN c int;\n");
      }
    }
    b.append("INSERT INTO x VALUES ('unterminated);\n");
    SqlScript script = SqlScript.parse(b.toString(), Dialect.POSTGRESQL);
    List<Statement> s = script.statements();
    assertEquals(n + n / 1000 + 1, s.size());
    int expectedLine = 1;
    for (int k = 0; k < s.size() - 1; k++) {
      Statement st = s.get(k);
      assertEquals(expectedLine, st.line(), "statement " + k);
      if (!(st.command() instanceof Command.DoBlock)) {
        expectedLine++;
      } else {
        assertTrue(s.get(k + 1).enclosingBlock().isPresent(), "a DO block's statement follows it");
      }
    }
    assertInstanceOf(Command.Invalid.class, s.get(s.size() - 1).command());
    assertEquals(List.of(n + 1), script.problems().stream().map(Problem::line).toList());
  }
}
