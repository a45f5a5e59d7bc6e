package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.Unread;
import dev.tollgate.probes.migration.framework.Code.Arr;
import dev.tollgate.probes.migration.framework.Code.Bin;
import dev.tollgate.probes.migration.framework.Code.Block;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Cond;
import dev.tollgate.probes.migration.framework.Code.Expr;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Member;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Return;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.framework.Code.Unary;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/**
 * One C-family migration being read (the per-file state of a reader): walks the statements of its {@code up} code in
 * order, hands each call to the reader's {@link #operation}, and records what nobody recognized as unread — so every
 * statement is either turned into SQL, known to run none, or reported.
 */
abstract class CodeReading {
  /** A chain of calls on one receiver: {@code $table->string('x')->nullable()} is root {@code $table}, two calls. */
  record Chain(Node root, List<Call> calls) {
    Call first() {
      return calls.get(0);
    }

    Call last() {
      return calls.get(calls.size() - 1);
    }

    /** The call named {@code name} in the chain, else null. */
    Call find(String name) {
      for (Call c : calls) {
        if (c.name().equals(name)) {
          return c;
        }
      }
      return null;
    }

    boolean has(String name) {
      return find(name) != null;
    }
  }

  private static final int MAX_NESTING = 8;

  final MigrationSource source;
  final MigrationBuilder b;
  final Ddl ddl;
  Code.Constants consts;
  /** Closures the migration keeps in local variables ({@code $addColumn = function (Blueprint $t) {...}}). */
  final java.util.Map<String, Fn> closures = new java.util.HashMap<>();
  /** Literal lists the migration keeps in local variables ({@code const tables = ['a', 'b']}), for its loops. */
  final java.util.Map<String, Arr> lists = new java.util.HashMap<>();
  private final String[] lines;
  private int nesting;

  CodeReading(MigrationSource source, MigrationBuilder b) {
    this.source = source;
    this.b = b;
    this.ddl = new Ddl(b);
    this.lines = source.text().split("\n", -1);
  }

  /** Reads {@code n} when the reader recognizes it; false leaves it to the generic handling (and maybe unread). */
  abstract boolean operation(Chain chain, Node whole);

  /** Calls that run no SQL: logging, output, configuration reads. */
  boolean ignorable(Chain chain) {
    return false;
  }

  /** What a call nobody recognized is: by default schema code the probe cannot check. */
  void unrecognized(Chain chain, int line) {
    b.unread(line, lineText(line), "a call the probe does not know", Unread.Kind.SCHEMA);
  }

  // ------------------------------------------------------------------------------------------------ walking

  void statements(List<Stmt> stmts) {
    if (++nesting > MAX_NESTING * 4) {
      nesting--;
      return;
    }
    try {
      for (Stmt s : stmts) {
        statement(s);
      }
    } finally {
      nesting--;
    }
  }

  void statement(Stmt s) {
    if (s instanceof Expr e) {
      expression(e.expr());
    } else if (s instanceof Return r) {
      expression(r.expr());
    } else if (s instanceof Block blk) {
      if (blk.fn() != null) {
        return; // a function declared here runs only when called
      }
      if (blk.head() instanceof Bin as && as.op().equals("as") && list(as.left()) != null
          && as.right() instanceof Code.Name var) {
        loop(list(as.left()), var.name(), blk.body()); // foreach (['a', 'b'] as $table), for (const t of TABLES)
        return;
      }
      // Both branches of a condition may run (if (!Schema::hasColumn(...)) guards the operation it wraps).
      statements(blk.body());
      statements(blk.otherwise());
    }
  }

  /** A literal list, given inline or by the name of a local variable holding one, else null. */
  Arr list(Node n) {
    if (n instanceof Arr a) {
      return a;
    }
    return n instanceof Code.Name name ? lists.get(name.name()) : null;
  }

  /** A loop over literal values: the body once per value, the loop variable bound to it. */
  private void loop(Arr values, String var, List<Stmt> body) {
    Code.Constants outer = consts;
    try {
      for (Code.Arg v : values.items()) {
        consts = outer.with(java.util.Collections.singletonMap(var, outer.eval(v.value())));
        statements(body);
      }
    } finally {
      consts = outer;
    }
  }

  /**
   * Runs a closure the migration defined in a local variable ({@code $drop = function ($table) {...}; $drop('x')}),
   * with its parameters bound to the arguments it is called with.
   */
  void callClosure(Fn fn, List<Code.Arg> args) {
    Code.Constants outer = consts;
    java.util.Map<String, String> bindings = new java.util.HashMap<>();
    for (int i = 0; i < fn.params().size(); i++) {
      Node a = i < args.size() ? args.get(i).value() : null;
      bindings.put(fn.params().get(i), a == null ? null : outer.eval(a));
    }
    consts = outer.with(bindings);
    try {
      body(fn);
    } finally {
      consts = outer;
    }
  }

  void expression(Node e) {
    if (e == null) {
      return;
    }
    if (e instanceof Unary u) {
      if (!u.op().equals("throw")) {
        expression(u.operand()); // a throw ends the migration with an error: it changes nothing
      }
    } else if (e instanceof Bin bin) {
      if (bin.op().equals("=") && bin.left() instanceof Code.Name n && bin.right() instanceof Fn fn) {
        closures.put(n.name(), fn); // defined here, run where it is called
      } else if (bin.op().equals("=") && bin.left() instanceof Code.Name n && bin.right() instanceof Arr list) {
        lists.put(n.name(), list);
      } else if (bin.op().equals("=") || bin.op().equals("??=")) {
        expression(bin.right());
      } else {
        expression(bin.left());
        expression(bin.right());
      }
    } else if (e instanceof Cond c) {
      expression(c.then());
      expression(c.otherwise());
    } else if (e instanceof Arr a) {
      a.items().forEach(i -> expression(i.value()));
    } else if (e instanceof Call c) {
      call(c);
    }
  }

  private void call(Call c) {
    Chain chain = chain(c);
    if (chain.root() == null && c.callee() instanceof Code.Name n && closures.containsKey(n.name())
        && chain.calls().size() == 1) {
      callClosure(closures.get(n.name()), c.args());
      return;
    }
    // ['a', 'b'].forEach((t) => ...), TABLES.map(async (t) => ...): the callback once per value.
    if (java.util.Set.of("forEach", "map", "flatMap", "each", "foreach").contains(c.name()) && closure(c.arg(0)) != null
        && list(c.target()) != null) {
      for (Code.Arg item : list(c.target()).items()) {
        callClosure(closure(c.arg(0)), List.of(item));
      }
      return;
    }
    if (operation(chain, c)) {
      return;
    }
    String name = c.name();
    // Promise plumbing: Promise.all([...]), x.then(() => ...), x.catch(...), x.finally(...).
    if (name.equals("all") || name.equals("allSettled") || name.equals("each") || name.equals("mapSeries")) {
      for (Code.Arg a : c.args()) {
        expression(a.value());
        if (a.value() instanceof Fn fn) {
          body(fn);
        }
      }
      return;
    }
    if ((name.equals("then") || name.equals("catch") || name.equals("finally") || name.equals("tap"))
        && c.target() != null) {
      expression(c.target());
      for (Code.Arg a : c.args()) {
        if (a.value() instanceof Fn fn) {
          body(fn);
        } else {
          expression(a.value());
        }
      }
      return;
    }
    if (ignorable(chain)) {
      return;
    }
    unrecognized(chain, c.line());
  }

  /** Walks a closure's body (a callback passed to {@code then}, a transaction body). */
  void body(Fn fn) {
    if (++nesting > MAX_NESTING) {
      nesting--;
      return;
    }
    try {
      statements(fn.statements());
    } finally {
      nesting--;
    }
  }

  /**
   * The calls of a chain from its root receiver outwards, through member accesses: {@code knex.schema.alterTable(...)}
   * is root {@code knex.schema} and one call; a plain function call has no root.
   */
  static Chain chain(Call last) {
    LinkedList<Call> calls = new LinkedList<>();
    Node n = last;
    while (n instanceof Call c) {
      calls.addFirst(c);
      if (!(c.callee() instanceof Member m)) {
        return new Chain(null, new ArrayList<>(calls));
      }
      Node k = m.target();
      while (k instanceof Member mm) {
        k = mm.target();
      }
      if (!(k instanceof Call)) {
        return new Chain(m.target(), new ArrayList<>(calls));
      }
      n = k;
    }
    return new Chain(n, new ArrayList<>(calls));
  }

  // ------------------------------------------------------------------------------------------------ values

  /** A closure given inline or by the name of a local variable holding one, else null. */
  Fn closure(Node n) {
    if (n instanceof Fn fn) {
      return fn;
    }
    return n instanceof Code.Name name ? closures.get(name.name()) : null;
  }

  /** A string the code gives (a literal, or built from constants of the file), else null. */
  String str(Node n) {
    return consts.eval(n);
  }

  /** Strings of an array literal or a single string ({@code ['a', 'b']} or {@code 'a'}), else null if any is unknown. */
  List<String> strings(Node n) {
    List<String> out = new ArrayList<>();
    if (n instanceof Arr a) {
      for (Code.Arg i : a.items()) {
        String s = str(i.value());
        if (s == null) {
          return null;
        }
        out.add(s);
      }
      return out;
    }
    String s = str(n);
    return s == null ? null : List.of(s);
  }

  /** Booleans as written ({@code true}, {@code false}), else null. */
  static Boolean bool(Node n) {
    if (n instanceof Code.Name nm) {
      String v = nm.name().toLowerCase(java.util.Locale.ROOT);
      return v.equals("true") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : null;
    }
    return null;
  }

  /** The source line, stripped, for an unread excerpt. */
  String lineText(int line) {
    return line >= 1 && line <= lines.length ? lines[line - 1].strip() : "";
  }

  /**
   * Adds SQL the code passes as a string: known → statements on its line. Values interpolated inside quotes
   * ({@code WHERE id = '${row.id}'}) do not change what a statement does to the schema, so they are read as a
   * placeholder. Otherwise the SQL is built at run time: a query that only reads is skipped, one that writes rows is
   * application code on the data (a warning), anything else is unread schema code.
   */
  void rawSql(Node sqlArg, int line, String what) {
    String sql = sqlOf(sqlArg);
    if (sql == null) {
      String head = sqlArg instanceof Str s ? s.parts().get(0).stripLeading().toUpperCase(java.util.Locale.ROOT) : "";
      if (head.matches("(SELECT|SHOW|EXPLAIN|WITH\\s+\\w+\\s+AS\\s*\\(\\s*SELECT)\\b[\\s\\S]*")
          && !head.contains(" INTO ")) {
        return; // a query that only reads
      }
      boolean data = head.matches("(UPDATE|INSERT|DELETE)\\b[\\s\\S]*");
      b.unread(line, lineText(line), data ? what + " writing rows with SQL built at run time"
          : what + " with SQL built at run time", data ? Unread.Kind.DATA : Unread.Kind.SCHEMA);
      return;
    }
    int at = sqlArg instanceof Str s ? s.line() : line;
    b.sql(sql, at);
  }

  /** The SQL of a string argument: its value, or with holes inside quoted literals read as a placeholder value. */
  String sqlOf(Node n) {
    String v = str(n);
    if (v != null || !(n instanceof Str s) || s.plain()) {
      return v;
    }
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < s.parts().size(); i++) {
      String part = s.parts().get(i);
      if (i % 2 == 0) {
        sql.append(part);
        continue;
      }
      String known = consts.hole(part);
      if (known != null) {
        sql.append(known);
      } else if (insideQuotes(sql)) {
        sql.append('x'); // a value in a string literal: the statement's shape stays the same
      } else {
        return null;
      }
    }
    return sql.toString();
  }

  /** True when the SQL so far ends inside a single-quoted literal. */
  private static boolean insideQuotes(CharSequence sql) {
    boolean in = false;
    for (int i = 0; i < sql.length(); i++) {
      if (sql.charAt(i) == '\'') {
        in = !in;
      }
    }
    return in;
  }
}
