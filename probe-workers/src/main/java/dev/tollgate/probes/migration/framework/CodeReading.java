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
    b.unread(line, lineText(line), "a call the probe does not know, so what it does to the schema was not checked",
        Unread.Kind.SCHEMA);
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
      // Both branches of a condition may run (if (!Schema::hasColumn(...)) guards the operation it wraps).
      statements(blk.body());
      statements(blk.otherwise());
    }
  }

  void expression(Node e) {
    if (e == null) {
      return;
    }
    if (e instanceof Unary u) {
      expression(u.operand());
    } else if (e instanceof Bin bin) {
      if (bin.op().equals("=") || bin.op().equals("??=")) {
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

  /** Adds SQL the code passes as a string: known → statements on its line; built at run time → unread. */
  void rawSql(Node sqlArg, int line, String what) {
    String sql = str(sqlArg);
    if (sql == null) {
      b.unread(line, lineText(line), what + " with SQL built at run time, so the probe cannot read it",
          Unread.Kind.SCHEMA);
      return;
    }
    int at = sqlArg instanceof Str s ? s.line() : line;
    b.sql(sql, at);
  }
}
