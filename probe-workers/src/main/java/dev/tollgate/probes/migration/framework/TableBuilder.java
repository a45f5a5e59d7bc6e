package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Ddl.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One table-builder callback of a schema builder (Laravel's {@code Blueprint}, Knex's table builder): the calls on its
 * parameter are the reader's {@link #command}s; on a new table the columns gather into one {@code CREATE TABLE} and its
 * indexes and keys run after it, as both frameworks send them; anything else in the callback is read as the
 * migration's own code.
 */
abstract class TableBuilder {
  private record Deferred(String sql, int line) {}

  private final CodeReading reading;
  final String table;
  final boolean creating;
  private final Fn fn;
  private final boolean ifNotExists;
  private final String var;
  private final List<Column> columns = new ArrayList<>();
  private final List<Deferred> after = new ArrayList<>();
  private int createLine;

  TableBuilder(CodeReading r, String table, Fn fn, boolean creating, boolean ifNotExists, String defaultVar) {
    this.reading = r;
    this.table = table;
    this.fn = fn;
    this.creating = creating;
    this.ifNotExists = ifNotExists;
    this.var = fn.params().isEmpty() ? defaultVar : fn.params().get(0);
    this.createLine = fn.line();
  }

  /** One call chain on the builder's parameter ({@code $table->string('x')->nullable()}). */
  abstract void command(CodeReading.Chain chain);

  void read() {
    walk(fn.statements());
    if (creating) {
      reading.b.sql(reading.ddl.createTable(table, columns, List.of(), ifNotExists), createLine);
    }
    for (Deferred d : after) {
      reading.b.sql(d.sql(), d.line());
    }
  }

  private void walk(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Code.Block blk) {
        walk(blk.body());
        walk(blk.otherwise());
        continue;
      }
      Node e = s instanceof Code.Expr x ? x.expr() : s instanceof Code.Return ret ? ret.expr() : null;
      while (e instanceof Code.Unary u) {
        e = u.operand();
      }
      if (!(e instanceof Call c)) {
        continue;
      }
      CodeReading.Chain chain = CodeReading.chain(c);
      if (chain.root() instanceof Name n && n.name().equals(var)) {
        command(chain);
      } else {
        reading.expression(e); // DB::statement, knex.raw inside the callback, and anything else
      }
    }
  }

  /** A statement of this builder: on a new table, after its CREATE TABLE. */
  void emit(String sql, int line) {
    if (creating) {
      after.add(new Deferred(sql, line));
    } else {
      reading.b.sql(sql, line);
    }
  }

  /** A column: part of the CREATE TABLE of a new table, else its own ADD COLUMN. */
  void addColumn(Column c, int line) {
    if (creating) {
      if (columns.isEmpty()) {
        createLine = line;
      }
      columns.add(c);
    } else {
      emit(reading.ddl.addColumn(table, c), line);
    }
  }

  /** A column-level {@code ->index()} / {@code .index()}: an index of its own, named as both frameworks name it. */
  void columnIndex(Call m, Column c) {
    String name = m.arg(0) != null && reading.str(m.arg(0)) != null ? reading.str(m.arg(0)) : indexName("index", List.of(c.name()));
    emit(reading.ddl.createIndex(name, table, List.of(c.name()), false, false, null, null), m.line());
  }

  void unread(int line, String reason) {
    reading.b.unread(line, reading.lineText(line), reason, Unread.Kind.SCHEMA);
  }

  /** Laravel's and Knex's index names: {@code users_email_index}, {@code users_team_id_foreign}. */
  String indexName(String type, List<String> cols) {
    return (table + "_" + String.join("_", cols) + "_" + type).toLowerCase(Locale.ROOT).replace('-', '_')
        .replace('.', '_');
  }
}
