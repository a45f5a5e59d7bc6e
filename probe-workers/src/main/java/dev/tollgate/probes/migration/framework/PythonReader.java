package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.PythonLexer.Kind;
import dev.tollgate.probes.migration.framework.PythonLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Python source into what Django and Alembic migrations and ORM models are made of: classes, functions,
 * {@code with} blocks, assignments, and expressions — calls with positional and keyword arguments, lists, tuples,
 * dicts, string literals (adjacent ones joined), numbers, dotted names. Conditionals, loops and {@code try} are kept
 * as blocks whose bodies are read as if they ran. Anything else is an {@link Expr} with its text. Static and total: no
 * Python runs, and no input makes it throw.
 */
final class PythonReader {
  sealed interface Node {
    int line();
  }

  record ClassDef(String name, List<Value> bases, List<Node> body, int line, int endLine) implements Node {}

  record FuncDef(String name, List<String> params, List<Node> body, int line, int endLine) implements Node {}

  /** {@code with context as name:} and its body. */
  record With(Value context, String as, List<Node> body, int line, int endLine) implements Node {}

  /** {@code if}/{@code for}/{@code while}/{@code try}/{@code else}/...: the body, read as if it ran. */
  record Block(String keyword, String header, List<Node> body, int line) implements Node {}

  record Assign(String target, Value value, int line, String text) implements Node {}

  record ExprStmt(Value value, int line, String text) implements Node {}

  /** {@code import}, {@code return}, {@code pass}, ...: kept by its text. */
  record Other(String text, int line) implements Node {}

  sealed interface Value {}

  /** A string literal; {@code from}/{@code to} locate its content in the source, -1 when escapes changed it. */
  record Str(String value, boolean formatted, int from, int to, int line) implements Value {}

  record Num(String text) implements Value {}

  /** {@code True}, {@code False}, {@code None}. */
  record Const(String name) implements Value {}

  /** A (dotted) name: {@code models.CASCADE}, {@code sa.Integer}. */
  record Name(String dotted) implements Value {}

  record Call(String func, List<Value> args, Map<String, Value> kwargs, int line, String text) implements Value {
    Value arg(int i) {
      return i < args.size() ? args.get(i) : null;
    }

    Value kw(String k) {
      return kwargs.get(k);
    }

    /** The keyword argument {@code k}, else the positional one at {@code i}. */
    Value param(String k, int i) {
      Value v = kwargs.get(k);
      return v != null ? v : arg(i);
    }

    /** {@code models.CharField} → {@code CharField}. */
    String simpleName() {
      return func.substring(func.lastIndexOf('.') + 1);
    }
  }

  /** A list, tuple or set literal. */
  record Seq(List<Value> items) implements Value {}

  /** A dict literal; keys are the string literals' values, or the key's text. */
  record Dict(Map<String, Value> entries) implements Value {}

  record Expr(String text) implements Value {}

  /** The module's statements, and the first thing that could not be read (null when everything could). */
  record Result(List<Node> nodes, String error, int errorLine) {}

  private final String src;
  private final List<Token> tokens;
  private int i;

  private PythonReader(String src) {
    this.src = src;
    this.tokens = PythonLexer.lex(src);
  }

  static Result read(String src) {
    PythonReader r = new PythonReader(src);
    List<Node> nodes;
    String error = null;
    int errorLine = 0;
    try {
      nodes = r.suite(false);
    } catch (RuntimeException e) {
      // A construct the grammar does not cover: the reader reports the file, never crashes the probe.
      nodes = List.of();
      error = "cannot read the Python here";
      errorLine = r.peek().line();
    }
    for (Token t : r.tokens) {
      if (t.kind() == Kind.ERROR && error == null) {
        error = t.text();
        errorLine = t.line();
      }
    }
    return new Result(nodes, error, errorLine);
  }

  private Token peek() {
    return tokens.get(Math.min(i, tokens.size() - 1));
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(i + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = peek();
    if (i < tokens.size() - 1) {
      i++;
    }
    return t;
  }

  private boolean at(String s) {
    return peek().is(s);
  }

  private boolean atEnd() {
    return peek().kind() == Kind.EOF || peek().kind() == Kind.ERROR;
  }

  private String text(int from, int to) {
    if (to <= from) {
      return "";
    }
    return src.substring(tokens.get(from).start(), Math.max(tokens.get(from).start(), tokens.get(to - 1).end())).strip();
  }

  /** Statements until a DEDENT (consumed) when {@code indented}, else to the end. */
  private List<Node> suite(boolean indented) {
    List<Node> nodes = new ArrayList<>();
    while (!atEnd()) {
      Token t = peek();
      if (t.kind() == Kind.DEDENT) {
        next();
        if (indented) {
          return nodes;
        }
        continue;
      }
      if (t.kind() == Kind.NEWLINE || t.kind() == Kind.INDENT || t.is(";")) {
        next();
        continue;
      }
      int before = i;
      Node n = statement();
      if (n != null) {
        nodes.add(n);
      }
      if (i == before) {
        next();
      }
    }
    return nodes;
  }

  /** The body after a compound statement's colon: an indented suite, or the rest of the line. */
  private List<Node> body() {
    if (at(":")) {
      next();
    }
    if (peek().kind() == Kind.NEWLINE) {
      next();
      while (peek().kind() == Kind.NEWLINE) {
        next();
      }
      if (peek().kind() == Kind.INDENT) {
        next();
        return suite(true);
      }
      return List.of();
    }
    List<Node> one = new ArrayList<>();
    while (!atEnd() && peek().kind() != Kind.NEWLINE) {
      int before = i;
      Node n = statement();
      if (n != null) {
        one.add(n);
      }
      if (at(";")) {
        next();
      }
      if (i == before) {
        next();
      }
    }
    return one;
  }

  private void skipToLineEnd() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";"))) {
        return;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      }
      next();
    }
  }

  /** Skips a compound statement's header to its colon (at depth 0). */
  private void skipHeader() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.is(":") || t.kind() == Kind.NEWLINE)) {
        return;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      }
      next();
    }
  }

  private Node statement() {
    Token t = peek();
    int s = i;
    if (t.is("@")) { // decorator
      skipToLineEnd();
      return null;
    }
    if (t.kind() == Kind.NAME) {
      switch (t.text()) {
        case "class" -> {
          next();
          String name = next().text();
          List<Value> bases = new ArrayList<>();
          if (at("(")) {
            next();
            Map<String, Value> ignored = new LinkedHashMap<>();
            arguments(bases, ignored, ")");
            if (at(")")) {
              next();
            }
          }
          List<Node> body = body();
          return new ClassDef(name, bases, body, t.line(), peek().line());
        }
        case "def" -> {
          next();
          String name = next().text();
          List<String> params = new ArrayList<>();
          if (at("(")) {
            next();
            int depth = 1;
            while (!atEnd() && depth > 0) {
              Token p = next();
              if (p.is("(") || p.is("[")) {
                depth++;
              } else if (p.is(")") || p.is("]")) {
                depth--;
              } else if (depth == 1 && p.kind() == Kind.NAME && (tokens.get(i - 2).is("(") || tokens.get(i - 2).is(",")
                  || tokens.get(i - 2).is("*") || tokens.get(i - 2).is("**"))) {
                params.add(p.text());
              }
            }
          }
          skipHeader();
          List<Node> body = body();
          return new FuncDef(name, params, body, t.line(), peek().line());
        }
        case "async" -> {
          next();
          return statement();
        }
        case "with" -> {
          next();
          Value ctx = expression();
          String as = null;
          if (at("as")) {
            next();
            as = next().text();
          }
          skipHeader();
          List<Node> body = body();
          return new With(ctx, as, body, t.line(), peek().line());
        }
        case "if", "elif", "else", "for", "while", "try", "except", "finally", "match", "case" -> {
          next();
          int h = i;
          skipHeader();
          String header = text(h, i);
          return new Block(t.text(), header, body(), t.line());
        }
        case "import", "from", "return", "pass", "raise", "assert", "global", "nonlocal", "del", "break", "continue",
             "yield", "print" -> {
          skipToLineEnd();
          return new Other(text(s, i), t.line());
        }
        default -> { }
      }
    }
    // Assignment (a = b, a: T = b, a += b) or an expression statement.
    Value first = expression();
    if (at("=") || at("+=") || at(":") || at("-=") || at("|=")) {
      String target = text(s, i);
      if (at(":")) { // annotated: a: List[x] = value
        next();
        expression();
        if (!at("=")) {
          skipToLineEnd();
          return new Other(text(s, i), t.line());
        }
      }
      next();
      int v = i;
      Value value = expression();
      while (at("=")) { // a = b = value
        next();
        v = i;
        value = expression();
      }
      if (peek().kind() != Kind.NEWLINE && !at(";") && !atEnd()) {
        skipToLineEnd();
        value = new Expr(text(v, i));
      }
      return new Assign(target, value, t.line(), text(s, i));
    }
    if (peek().kind() != Kind.NEWLINE && !at(";") && !atEnd()) {
      skipToLineEnd();
      return new ExprStmt(new Expr(text(s, i)), t.line(), text(s, i));
    }
    return new ExprStmt(first, t.line(), text(s, i));
  }

  /** Comma-separated arguments until {@code close} (not consumed). */
  private void arguments(List<Value> args, Map<String, Value> kwargs, String close) {
    while (!atEnd() && !at(close)) {
      if (peek().kind() == Kind.NAME && peek(1).is("=") && !peek(1).is("==")) {
        String k = next().text();
        next();
        kwargs.put(k, expression());
      } else if (at("**") || at("*")) {
        int s = i;
        next();
        expression();
        args.add(new Expr(text(s, i)));
      } else {
        args.add(expression());
      }
      if (at(",")) {
        next();
      } else if (!at(close)) {
        skipTo(close);
      }
    }
  }

  private void skipTo(String close) {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.is(close) || t.is(","))) {
        return;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        if (depth == 0) {
          return;
        }
        depth--;
      }
      next();
    }
  }

  /** An expression; binary operators and conditionals make it an {@link Expr}, except "a" + "b" (joined). */
  private Value expression() {
    int s = i;
    Value v = primary();
    while (isOperator(peek())) {
      Token op = next();
      Value rhs = primary();
      if (op.is("+") && v instanceof Str a && rhs instanceof Str b) {
        v = new Str(a.value() + b.value(), a.formatted() || b.formatted(), -1, -1, a.line());
        continue;
      }
      v = null;
    }
    if (v == null) {
      return new Expr(text(s, i));
    }
    return v;
  }

  private static boolean isOperator(Token t) {
    if (t.kind() == Kind.NAME) {
      return switch (t.text()) {
        case "and", "or", "not", "in", "is", "if", "else" -> true;
        default -> false;
      };
    }
    if (t.kind() != Kind.OP) {
      return false;
    }
    return switch (t.text()) {
      case "+", "-", "*", "/", "%", "//", "**", "|", "&", "^", "<<", ">>", "==", "!=", "<", ">", "<=", ">=", "~", "@" -> true;
      default -> false;
    };
  }

  private Value primary() {
    Token t = peek();
    int s = i;
    Value v;
    switch (t.kind()) {
      case STRING -> {
        next();
        Str str = new Str(t.text(), t.formatted(), t.bodyStart(), t.bodyEnd(), t.line());
        while (peek().kind() == Kind.STRING) { // implicit concatenation
          Token u = next();
          str = new Str(str.value() + u.text(), str.formatted() || u.formatted(), -1, -1, str.line());
        }
        v = str;
      }
      case NUMBER -> {
        next();
        v = new Num(t.text());
      }
      case NAME -> {
        if (t.text().equals("lambda")) {
          skipLambda();
          return new Expr(text(s, i));
        }
        if (t.text().equals("not")) {
          next();
          primary();
          return new Expr(text(s, i));
        }
        next();
        if (t.text().equals("True") || t.text().equals("False") || t.text().equals("None")) {
          v = new Const(t.text());
        } else {
          StringBuilder dotted = new StringBuilder(t.text());
          while (at(".") && peek(1).kind() == Kind.NAME) {
            next();
            dotted.append('.').append(next().text());
          }
          v = new Name(dotted.toString());
        }
      }
      case OP -> {
        if (t.is("(") || t.is("[") || t.is("{")) {
          String close = t.is("(") ? ")" : t.is("[") ? "]" : "}";
          next();
          if (close.equals("}")) {
            v = dictOrSet();
          } else {
            List<Value> items = new ArrayList<>();
            Map<String, Value> kw = new LinkedHashMap<>();
            arguments(items, kw, close);
            boolean single = close.equals(")") && items.size() == 1 && !tokens.get(i - 1).is(",");
            v = single ? items.get(0) : new Seq(items);
          }
          if (at(close)) {
            next();
          }
          if ((close.equals("]") || close.equals(")")) && topLevelFor(s + 1, i - 1)) {
            v = new Expr(text(s, i)); // a comprehension ([x for x in y]) is not a literal
          }
        } else if (t.is("-") || t.is("+") || t.is("~")) {
          next();
          Value inner = primary();
          v = inner instanceof Num n ? new Num(t.text() + n.text()) : new Expr(text(s, i));
        } else {
          next();
          return new Expr(text(s, i));
        }
      }
      default -> {
        next();
        return new Expr(text(s, i));
      }
    }
    // Trailers: calls, attributes, subscripts.
    while (true) {
      if (at("(")) {
        next();
        List<Value> args = new ArrayList<>();
        Map<String, Value> kwargs = new LinkedHashMap<>();
        arguments(args, kwargs, ")");
        if (at(")")) {
          next();
        }
        String func = v instanceof Name n ? n.dotted() : text(s, i).replaceAll("\\(.*", "");
        v = new Call(func, List.copyOf(args), kwargs, t.line(), text(s, i));
      } else if (at(".") && peek(1).kind() == Kind.NAME) {
        next();
        next();
        String base = v instanceof Call c ? c.text() : text(s, i - 2);
        v = new Name(base + "." + tokens.get(i - 1).text());
      } else if (at("[")) {
        next();
        skipTo("]");
        if (at("]")) {
          next();
        }
        v = new Expr(text(s, i));
      } else {
        return v;
      }
    }
  }

  /** A {@code for} keyword directly inside the brackets between tokens {@code from} and {@code to}. */
  private boolean topLevelFor(int from, int to) {
    int depth = 0;
    for (int k = from; k < to && k < tokens.size(); k++) {
      Token t = tokens.get(k);
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      } else if (depth == 0 && t.kind() == Kind.NAME && t.text().equals("for")) {
        return true;
      }
    }
    return false;
  }

  private Value dictOrSet() {
    Map<String, Value> entries = new LinkedHashMap<>();
    List<Value> items = new ArrayList<>();
    boolean dict = false;
    while (!atEnd() && !at("}")) {
      if (at("**")) {
        next();
        expression();
      } else {
        int k = i;
        Value key = expression();
        if (at(":")) {
          dict = true;
          next();
          Value value = expression();
          entries.put(key instanceof Str s ? s.value() : text(k, k + 1), value);
        } else {
          items.add(key);
        }
      }
      if (at(",")) {
        next();
      } else if (!at("}")) {
        skipTo("}");
      }
    }
    return dict || items.isEmpty() ? new Dict(entries) : new Seq(items);
  }

  private void skipLambda() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.is(",") || t.is(")") || t.is("]") || t.is("}") || t.kind() == Kind.NEWLINE)) {
        return;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      }
      next();
    }
  }
}
