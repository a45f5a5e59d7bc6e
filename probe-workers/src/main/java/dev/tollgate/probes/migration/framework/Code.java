package dev.tollgate.probes.migration.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The syntax tree {@link CodeParser} builds from PHP, JavaScript/TypeScript, C# and Java migrations and models: just
 * enough to find the calls a migration makes (receiver, name, arguments, line) and the classes and members around
 * them. Anything else is an {@link Other} that keeps its source text, so a reader can say what it could not read.
 */
final class Code {
  private Code() {}

  /** An expression. */
  sealed interface Node permits Str, Num, Name, Member, Index, Call, New, Arr, Obj, Fn, Bin, Unary, Cond, Cls, Other {
    int line();
  }

  /**
   * A string literal: {@code parts} alternate literal text (even indexes) and interpolated expression sources (odd).
   *
   * @param start source offset of the literal (its opening quote)
   */
  record Str(List<String> parts, int line, int start, int end) implements Node {
    boolean plain() {
      return parts.size() == 1;
    }

    String value() {
      return parts.get(0);
    }
  }

  record Num(String text, int line) implements Node {}

  /** An identifier, a keyword used as a value ({@code true}, {@code null}, {@code this}) or a PHP {@code $variable}. */
  record Name(String name, int line) implements Node {}

  /** {@code target.name}, {@code target->name}, {@code Target::name}, {@code target?.name}. */
  record Member(Node target, String name, int line) implements Node {}

  record Index(Node target, Node index, int line) implements Node {}

  /**
   * A call.
   *
   * @param typeArgs generic arguments as written ({@code string} in {@code AddColumn<string>(...)}), else null
   * @param end source offset just after the closing parenthesis
   */
  record Call(Node callee, List<Arg> args, String typeArgs, int line, int end) implements Node {
    /** The called name: {@code dropColumn} for {@code $table->dropColumn(...)}. */
    String name() {
      return callee instanceof Member m ? m.name() : callee instanceof Name n ? n.name() : "";
    }

    /** The receiver, null for a plain function call. */
    Node target() {
      return callee instanceof Member m ? m.target() : null;
    }

    /** The positional argument {@code i} (named ones skipped), else null. */
    Node arg(int i) {
      return positional(args, i);
    }

    /** The named argument {@code name} (PHP 8 / C# {@code name: value}), else null. */
    Node named(String name) {
      for (Arg a : args) {
        if (name.equals(a.name())) {
          return a.value();
        }
      }
      return null;
    }
  }

  /** {@code new Type(args)} with an optional C# initializer ({@code new { Id = ... }}). */
  record New(String type, List<Arg> args, Node init, int line) implements Node {}

  /** An array or list literal; PHP {@code 'k' => v} items have a name. */
  record Arr(List<Arg> items, int line) implements Node {}

  /** An object literal (JavaScript), or a C# object initializer ({@code Name = value}). */
  record Obj(List<Arg> entries, int line) implements Node {
    Node get(String key) {
      for (Arg a : entries) {
        if (key.equals(a.name())) {
          return a.value();
        }
      }
      return null;
    }
  }

  /** A function, closure, arrow function or method body: {@code body} statements, or one {@code expr}. */
  record Fn(String name, List<String> params, List<Stmt> body, Node expr, int line, int endLine) implements Node {
    /** The statements it runs ({@code expr} as a return). */
    List<Stmt> statements() {
      return expr != null ? List.of(new Return(expr, expr.line())) : body;
    }
  }

  /** A binary operation, including assignment ({@code =}, {@code .=}) and concatenation ({@code +}, PHP {@code .}). */
  record Bin(String op, Node left, Node right, int line) implements Node {}

  /** {@code await x}, {@code !x}, {@code ...x}, {@code typeof x}. */
  record Unary(String op, Node operand, int line) implements Node {}

  record Cond(Node test, Node then, Node otherwise, int line) implements Node {}

  /** A class expression (PHP {@code return new class extends Migration { ... }}). */
  record Cls(ClassDecl decl) implements Node {
    @Override
    public int line() {
      return decl.line();
    }
  }

  /** What the parser does not model, as written. */
  record Other(String text, int line) implements Node {}

  /** An argument, array item or object entry; {@code name} for named ones, keys and object properties. */
  record Arg(String name, Node value) {}

  /** A statement. */
  sealed interface Stmt permits Expr, Return, Block, ClassStmt {
    int line();
  }

  record Expr(Node expr, int line) implements Stmt {}

  record Return(Node expr, int line) implements Stmt {}

  /**
   * A statement with a body: {@code if}, loops, {@code try}, {@code using}, a plain {@code { }} block, a function
   * declaration ({@code keyword} {@code function}, {@code fn} its function).
   */
  record Block(String keyword, Node head, List<Stmt> body, List<Stmt> otherwise, Fn fn, int line) implements Stmt {}

  record ClassStmt(ClassDecl decl) implements Stmt {
    @Override
    public int line() {
      return decl.line();
    }
  }

  /** An annotation, attribute or decorator: {@code @Entity('users')}, {@code [Column("nick")]}. */
  record Annotation(String name, List<Arg> args, int line) {
    Node arg(int i) {
      return positional(args, i);
    }
  }

  /** The positional argument {@code i} of {@code args} (named ones skipped), else null. */
  static Node positional(List<Arg> args, int i) {
    int k = 0;
    for (Arg a : args) {
      if (a.name() == null) {
        if (k == i) {
          return a.value();
        }
        k++;
      }
    }
    return null;
  }

  /**
   * A class.
   *
   * @param supertypes what it extends and implements, as written (last segment of qualified names)
   */
  record ClassDecl(String name, List<String> supertypes, List<Annotation> annotations, List<Decl> members, int line,
      int endLine) {
    Decl member(String memberName) {
      for (Decl m : members) {
        if (m.name().equals(memberName)) {
          return m;
        }
      }
      return null;
    }

    Decl methodIgnoreCase(String memberName) {
      for (Decl m : members) {
        if (m.method() != null && m.name().equalsIgnoreCase(memberName)) {
          return m;
        }
      }
      return null;
    }

    boolean extendsAny(Set<String> names) {
      for (String s : supertypes) {
        if (names.contains(s)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * A class member: a method ({@code method} set) or a field/property ({@code value} its initializer, if any).
   *
   * @param type the declared type as written, else null
   */
  record Decl(String name, List<String> modifiers, List<Annotation> annotations, String type, Fn method, Node value,
      int line) {
    Annotation annotation(String simpleName) {
      for (Annotation a : annotations) {
        if (a.name().equals(simpleName) || a.name().endsWith("." + simpleName)) {
          return a;
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------------------------------------ walking

  /** Every class declared in {@code stmts} (top level, nested in blocks, or returned as an expression). */
  static List<ClassDecl> classes(List<Stmt> stmts) {
    List<ClassDecl> out = new ArrayList<>();
    collectClasses(stmts, out, 0);
    return out;
  }

  private static void collectClasses(List<Stmt> stmts, List<ClassDecl> out, int depth) {
    if (depth > 20) {
      return;
    }
    for (Stmt s : stmts) {
      if (s instanceof ClassStmt c) {
        out.add(c.decl());
      } else if (s instanceof Block b) {
        collectClasses(b.body(), out, depth + 1);
      } else {
        Node e = s instanceof Expr x ? x.expr() : s instanceof Return r ? r.expr() : null;
        while (e instanceof Unary u) {
          e = u.operand();
        }
        if (e instanceof Bin bin && bin.op().equals("=")) {
          e = bin.right();
        }
        if (e instanceof Cls c) {
          out.add(c.decl());
        }
      }
    }
  }

  /**
   * String constants a file defines, for names the readers meet in calls: {@code const TABLE = 'users'},
   * {@code $table = 'users'}, class constants and fields with a literal value ({@code protected $table = 'users'},
   * {@code private const string Table = "users"}). A name assigned two different values is not a constant.
   */
  static final class Constants {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> ambiguous = new HashSet<>();
    private java.util.function.Function<Call, String> calls = c -> null;

    static Constants of(List<Stmt> stmts) {
      return of(stmts, call -> null);
    }

    /** The constants of {@code stmts}, evaluating calls with {@code known} (a framework's table prefix). */
    static Constants of(List<Stmt> stmts, java.util.function.Function<Call, String> known) {
      Constants c = new Constants();
      c.calls = known;
      c.collect(stmts, 0);
      return c;
    }

    private void collect(List<Stmt> stmts, int depth) {
      if (depth > 30) {
        return;
      }
      for (Stmt s : stmts) {
        if (s instanceof Expr x && x.expr() instanceof Bin b && b.op().equals("=")) {
          String name = key(b.left());
          if (name != null) {
            put(name, eval(b.right()));
          }
          if (b.right() instanceof Fn f) {
            collect(f.statements(), depth + 1);
          }
        } else if (s instanceof Block b) {
          collect(b.body(), depth + 1);
          collect(b.otherwise(), depth + 1);
          if (b.fn() != null) {
            collect(b.fn().statements(), depth + 1);
          }
        } else if (s instanceof ClassStmt cs) {
          collectClass(cs.decl(), depth);
        } else if (s instanceof Return r && r.expr() instanceof Cls cls) {
          collectClass(cls.decl(), depth);
        }
        if (s instanceof Expr x && x.expr() instanceof Fn f) {
          collect(f.statements(), depth + 1);
        }
      }
    }

    private void collectClass(ClassDecl d, int depth) {
      for (Decl m : d.members()) {
        if (m.method() == null && m.value() != null) {
          put(m.name(), eval(m.value()));
        } else if (m.method() != null) {
          collect(m.method().statements(), depth + 1);
        }
      }
    }

    private void put(String name, String value) {
      if (ambiguous.contains(name)) {
        return;
      }
      String prior = values.get(name);
      if (value == null || prior != null && !prior.equals(value)) {
        values.remove(name);
        ambiguous.add(name);
        return;
      }
      values.put(name, value);
    }

    /**
     * These constants and {@code bindings} (a loop variable's value, a closure's arguments) on top: a copy, this one
     * unchanged.
     */
    Constants with(Map<String, String> bindings) {
      Constants c = new Constants();
      c.values.putAll(values);
      c.ambiguous.addAll(ambiguous);
      c.calls = calls;
      bindings.forEach((k, v) -> {
        String key = strip(k);
        c.ambiguous.remove(key);
        if (v == null) {
          c.values.remove(key);
        } else {
          c.values.put(key, v);
        }
      });
      return c;
    }

    /** The name a constant is known by: {@code TABLE}, {@code $table} → {@code table}, {@code this.table}. */
    private static String key(Node n) {
      if (n instanceof Name nm) {
        return strip(nm.name());
      }
      if (n instanceof Member m && (m.target() instanceof Name t)
          && (t.name().equals("this") || t.name().equals("$this") || t.name().equals("self")
              || t.name().equals("static"))) {
        return strip(m.name());
      }
      return null;
    }

    private static String strip(String name) {
      return name.startsWith("$") ? name.substring(1) : name;
    }

    /** The string value of {@code n} when it is a literal or built from known constants, else null. */
    String eval(Node n) {
      return eval(n, 0);
    }

    private String eval(Node n, int depth) {
      if (depth > 20 || n == null) {
        return null;
      }
      if (n instanceof Str s) {
        if (s.plain()) {
          return s.value();
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.parts().size(); i++) {
          if (i % 2 == 0) {
            b.append(s.parts().get(i));
          } else {
            String v = values.get(holeKey(s.parts().get(i)));
            if (v == null) {
              return null;
            }
            b.append(v);
          }
        }
        return b.toString();
      }
      if (n instanceof Num num) {
        return num.text();
      }
      if (n instanceof Call c) {
        return calls.apply(c);
      }
      if (n instanceof Bin b && (b.op().equals("+") || b.op().equals("."))) {
        String l = eval(b.left(), depth + 1);
        String r = l == null ? null : eval(b.right(), depth + 1);
        return l == null || r == null ? null : l + r;
      }
      String k = key(n);
      return k == null ? null : values.get(k);
    }

    /** The value of an interpolated expression's source ({@code ${TABLE}} → its constant), else null. */
    String hole(String source) {
      return values.get(holeKey(source));
    }

    /** {@code ${TABLE}}, {@code {$this->table}}, {@code $table}, {@code {Table}} → the constant's name. */
    private static String holeKey(String source) {
      String s = source.strip();
      if (s.startsWith("{") && s.endsWith("}")) {
        s = s.substring(1, s.length() - 1).strip();
      }
      for (String prefix : List.of("$this->", "this.", "self::", "static::", "$")) {
        if (s.startsWith(prefix)) {
          s = s.substring(prefix.length());
        }
      }
      return s.matches("[A-Za-z_][A-Za-z0-9_]*") ? s : "\0";
    }
  }

  /** Every {@code new X(...)} in {@code n} and below it (arguments, initializers, closures). */
  static void news(Node n, List<New> out) {
    newsAndCalls(n, out, 0);
  }

  private static void newsAndCalls(Node n, List<New> out, int depth) {
    if (n == null || depth > 60) {
      return;
    }
    if (n instanceof New nw) {
      out.add(nw);
      nw.args().forEach(a -> newsAndCalls(a.value(), out, depth + 1));
      newsAndCalls(nw.init(), out, depth + 1);
    } else if (n instanceof Call c) {
      newsAndCalls(c.callee(), out, depth + 1);
      c.args().forEach(a -> newsAndCalls(a.value(), out, depth + 1));
    } else if (n instanceof Member m) {
      newsAndCalls(m.target(), out, depth + 1);
    } else if (n instanceof Bin b) {
      newsAndCalls(b.left(), out, depth + 1);
      newsAndCalls(b.right(), out, depth + 1);
    } else if (n instanceof Unary u) {
      newsAndCalls(u.operand(), out, depth + 1);
    } else if (n instanceof Arr a) {
      a.items().forEach(x -> newsAndCalls(x.value(), out, depth + 1));
    } else if (n instanceof Obj o) {
      o.entries().forEach(x -> newsAndCalls(x.value(), out, depth + 1));
    } else if (n instanceof Cond c) {
      newsAndCalls(c.test(), out, depth + 1);
      newsAndCalls(c.then(), out, depth + 1);
      newsAndCalls(c.otherwise(), out, depth + 1);
    }
  }

  /** Every call in {@code n} and below it (arguments, chained receivers, closures), in source order. */
  static void calls(Node n, List<Call> out) {
    calls(n, out, 0);
  }

  private static void calls(Node n, List<Call> out, int depth) {
    if (n == null || depth > 60) {
      return;
    }
    if (n instanceof Call c) {
      calls(c.callee(), out, depth + 1);
      out.add(c);
      for (Arg a : c.args()) {
        calls(a.value(), out, depth + 1);
      }
    } else if (n instanceof Member m) {
      calls(m.target(), out, depth + 1);
    } else if (n instanceof Index i) {
      calls(i.target(), out, depth + 1);
      calls(i.index(), out, depth + 1);
    } else if (n instanceof New nw) {
      nw.args().forEach(a -> calls(a.value(), out, depth + 1));
      calls(nw.init(), out, depth + 1);
    } else if (n instanceof Arr a) {
      a.items().forEach(x -> calls(x.value(), out, depth + 1));
    } else if (n instanceof Obj o) {
      o.entries().forEach(x -> calls(x.value(), out, depth + 1));
    } else if (n instanceof Fn f) {
      for (Stmt s : f.statements()) {
        stmtCalls(s, out, depth + 1);
      }
    } else if (n instanceof Bin b) {
      calls(b.left(), out, depth + 1);
      calls(b.right(), out, depth + 1);
    } else if (n instanceof Unary u) {
      calls(u.operand(), out, depth + 1);
    } else if (n instanceof Cond c) {
      calls(c.test(), out, depth + 1);
      calls(c.then(), out, depth + 1);
      calls(c.otherwise(), out, depth + 1);
    }
  }

  private static void stmtCalls(Stmt s, List<Call> out, int depth) {
    if (s instanceof Expr e) {
      calls(e.expr(), out, depth);
    } else if (s instanceof Return r) {
      calls(r.expr(), out, depth);
    } else if (s instanceof Block b) {
      calls(b.head(), out, depth);
      b.body().forEach(x -> stmtCalls(x, out, depth + 1));
      b.otherwise().forEach(x -> stmtCalls(x, out, depth + 1));
    }
  }

  /** A short rendering of {@code n} for messages ({@code $table->foo(...)}). */
  static String describe(Node n) {
    return describe(n, 0);
  }

  private static String describe(Node n, int depth) {
    if (n == null) {
      return "";
    }
    if (depth > 6) {
      return "...";
    }
    if (n instanceof Str s) {
      return s.plain() ? "'" + shorten(s.value()) + "'" : "\"...\"";
    }
    if (n instanceof Num x) {
      return x.text();
    }
    if (n instanceof Name x) {
      return x.name();
    }
    if (n instanceof Member m) {
      return describe(m.target(), depth + 1) + "." + m.name();
    }
    if (n instanceof Index i) {
      return describe(i.target(), depth + 1) + "[...]";
    }
    if (n instanceof Call c) {
      String args = c.args().isEmpty() ? "" : describe(c.args().get(0).value(), depth + 1)
          + (c.args().size() > 1 ? ", ..." : "");
      return describe(c.callee(), depth + 1) + "(" + args + ")";
    }
    if (n instanceof New nw) {
      return "new " + nw.type() + "(...)";
    }
    if (n instanceof Arr) {
      return "[...]";
    }
    if (n instanceof Obj) {
      return "{...}";
    }
    if (n instanceof Fn) {
      return "function";
    }
    if (n instanceof Bin b) {
      return describe(b.left(), depth + 1) + " " + b.op() + " " + describe(b.right(), depth + 1);
    }
    if (n instanceof Unary u) {
      return u.op() + " " + describe(u.operand(), depth + 1);
    }
    if (n instanceof Cond c) {
      return describe(c.test(), depth + 1) + " ? ...";
    }
    if (n instanceof Cls c) {
      return "class " + c.decl().name();
    }
    return ((Other) n).text();
  }

  private static String shorten(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() > 60 ? t.substring(0, 57) + "..." : t;
  }
}
