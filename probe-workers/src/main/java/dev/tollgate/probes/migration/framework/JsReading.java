package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JavaScript/TypeScript migration (Knex, Sequelize, TypeORM): a call the reader does not recognize is plain
 * JavaScript on values ({@code JSON.parse}, {@code rows.map(...)}) unless it is handed the database connection — then it
 * may run anything, and is unread schema code, except a helper whose name says it only reads ({@code hasColumn},
 * {@code getTable}). Callbacks of such calls are still read, since they may call the migration API.
 */
abstract class JsReading extends CodeReading {
  private static final Pattern READ_HELPER = Pattern.compile(
      "(has|get|is|find|count|check|exists|select|list|fetch|read|load|describe|show)([A-Z_].*)?");

  JsReading(MigrationSource source, MigrationBuilder b) {
    super(source, b);
  }

  /** The names the migration's database handle goes by ({@code knex}, {@code queryInterface}, {@code trx}, ...). */
  abstract Set<String> connectionNames();

  @Override
  void unrecognized(Chain chain, int line) {
    Call c = chain.last();
    if (handsOutConnection(chain)) {
      if (READ_HELPER.matcher(c.name()).matches()) {
        return; // hasColumn(queryRunner, ...): by its name, a helper that only reads
      }
      b.unread(line, lineText(line), "hands the database connection to code the probe does not read",
          Unread.Kind.SCHEMA);
      return;
    }
    for (Call call : chain.calls()) {
      for (Arg a : call.args()) {
        if (a.value() instanceof Fn fn) {
          body(fn); // a callback may call the migration's API
        }
      }
    }
  }

  private boolean handsOutConnection(Chain chain) {
    for (Call call : chain.calls()) {
      for (Arg a : call.args()) {
        if (!(a.value() instanceof Fn) && mentions(a.value())) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when {@code n} is (or contains, outside callbacks) one of the connection's names. */
  private boolean mentions(Node n) {
    List<Node> todo = new ArrayList<>();
    todo.add(n);
    int guard = 0;
    while (!todo.isEmpty() && guard++ < 200) {
      Node x = todo.remove(todo.size() - 1);
      if (x instanceof Code.Name nm && connectionNames().contains(nm.name())) {
        return true;
      }
      if (x instanceof Code.Member m) {
        todo.add(m.target());
      } else if (x instanceof Code.Obj o) {
        o.entries().forEach(e -> todo.add(e.value()));
      } else if (x instanceof Code.Arr arr) {
        arr.items().forEach(e -> todo.add(e.value()));
      } else if (x instanceof Code.Unary u) {
        todo.add(u.operand());
      }
    }
    return false;
  }
}
