package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.RubyLexer.Kind;
import dev.tollgate.probes.migration.framework.RubyLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Ruby source into the statements a migration, a schema dump or a model class is made of: classes and modules,
 * method definitions, method calls with their arguments (literals, arrays, hashes, keyword arguments) and blocks,
 * assignments, and the bodies of conditionals (read as if every branch ran). Anything else is kept as {@link Other}
 * with its text, so a reader can report it. Static and total: no Ruby is run, and no input makes it throw.
 */
final class RubyReader {
  /** A statement. */
  sealed interface Node {
    int line();
  }

  /**
   * A method call: {@code name args} or {@code receiver.name(args) { block }}.
   *
   * @param receiver the receiver's source text ({@code t}, {@code User.where(x: 1)}), null for a bare call
   * @param args positional arguments
   * @param kwargs keyword arguments and trailing hash entries, by name
   * @param block its block, or null
   * @param trailing the call is followed by more expression ({@code a + b}, {@code x || y}): not a plain call
   */
  record Call(String receiver, String name, List<Value> args, Map<String, Value> kwargs, Block block, int line, int endLine,
      String text, boolean trailing) implements Node {
    Value arg(int i) {
      return i < args.size() ? args.get(i) : null;
    }

    Value kw(String key) {
      return kwargs.get(key);
    }
  }

  /** {@code do |params| ... end} or {@code { |params| ... }}. */
  record Block(List<String> params, List<Node> body, int line, int endLine) {}

  /** {@code def name(params) ... end}. */
  record Def(String name, List<String> params, List<Node> body, int line, int endLine) implements Node {}

  /** {@code class Name < Super ... end} or {@code module Name ... end} ({@code superclass} null). */
  record ClassDef(String name, String superclass, List<Node> body, int line, int endLine, boolean module) implements Node {}

  /** The bodies of {@code if}/{@code unless}/{@code case}/{@code begin}/{@code while}, in order. */
  record Branch(String keyword, String condition, List<Node> body, int line) implements Node {}

  /** {@code target = value} (also {@code +=}, {@code ||=}); {@code target} may be {@code self.table_name}. */
  record Assign(String target, String op, Value value, int line, String text) implements Node {}

  /** A statement this reader does not break down. */
  record Other(String text, int line) implements Node {}

  /** An argument or assigned value. */
  sealed interface Value {}

  record Sym(String name) implements Value {}

  /**
   * A string literal.
   *
   * @param from where its content starts in the source, -1 when escapes make the value differ from the source
   * @param to where it ends
   * @param line the line its content starts on
   */
  record Str(String value, boolean interpolated, int from, int to, int line) implements Value {}

  record Num(String text) implements Value {}

  record Bool(boolean value) implements Value {}

  record Nil() implements Value {}

  record Arr(List<Value> items) implements Value {}

  record Hash(Map<String, Value> entries) implements Value {}

  /** {@code -> { ... }}, {@code lambda { ... }}, {@code proc { ... }}: {@code body} is the block's statements. */
  record Lambda(List<Node> body, String text) implements Value {}

  /** Any other expression, as written. */
  record Expr(String text) implements Value {}

  private static final Set<String> MODIFIERS = Set.of("if", "unless", "while", "until", "rescue");
  private static final Set<String> BLOCK_KEYWORDS = Set.of("if", "unless", "while", "until", "case", "begin", "for");

  private final String src;
  private final List<Token> tokens;
  private int i;
  private String error;
  private int errorLine;

  private RubyReader(String src) {
    this.src = src;
    this.tokens = RubyLexer.lex(src);
  }

  /** The statements of a file, and the first thing that could not be read (null when everything could). */
  record Result(List<Node> nodes, String error, int errorLine) {}

  static Result read(String src) {
    RubyReader r = new RubyReader(src);
    List<Node> nodes;
    try {
      nodes = r.body(Set.of());
    } catch (RuntimeException e) {
      // A construct the grammar above does not cover: the reader reports the file, never crashes the probe.
      nodes = List.of();
      r.fail("cannot read the Ruby here", r.peek().line());
    }
    for (Token t : r.tokens) {
      if (t.kind() == Kind.ERROR && r.error == null) {
        r.fail(t.text(), t.line());
      }
    }
    return new Result(nodes, r.error, r.errorLine);
  }

  private void fail(String message, int line) {
    if (error == null) {
      error = message;
      errorLine = line;
    }
  }

  // ------------------------------------------------------------------ token helpers

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

  private boolean at(String text) {
    Token t = peek();
    return (t.kind() == Kind.PUNCT || t.kind() == Kind.IDENT) && t.text().equals(text);
  }

  private boolean atEnd() {
    Kind k = peek().kind();
    return k == Kind.EOF || k == Kind.ERROR;
  }

  private boolean atStatementEnd() {
    Token t = peek();
    return t.kind() == Kind.NEWLINE || t.kind() == Kind.EOF || t.kind() == Kind.ERROR || t.is(";") || t.is("}")
        || t.kind() == Kind.IDENT && (t.text().equals("end") || MODIFIERS.contains(t.text()) || t.text().equals("do")
        || t.text().equals("then"));
  }

  private void skipNewlines() {
    while (peek().kind() == Kind.NEWLINE || at(";")) {
      next();
    }
  }

  private String text(int fromToken, int toTokenExclusive) {
    if (toTokenExclusive <= fromToken) {
      return "";
    }
    int s = tokens.get(fromToken).start();
    int e = tokens.get(toTokenExclusive - 1).end();
    return src.substring(s, Math.max(s, e)).strip();
  }

  // ------------------------------------------------------------------ statements

  /** Statements until one of {@code terminators} (not consumed), {@code end}, {@code }}, or the end. */
  private List<Node> body(Set<String> terminators) {
    List<Node> nodes = new ArrayList<>();
    while (true) {
      skipNewlines();
      if (atEnd() || at("end") || at("}") || terminators.contains(peek().text()) && peek().kind() == Kind.IDENT) {
        return nodes;
      }
      int before = i;
      Node n = statement();
      if (n != null) {
        nodes.add(n);
      }
      if (i == before) {
        next(); // never loop on a token the grammar did not take
      }
    }
  }

  private Node statement() {
    Token t = peek();
    if (t.kind() == Kind.IDENT) {
      switch (t.text()) {
        case "class", "module" -> {
          return classDef();
        }
        case "def" -> {
          return def();
        }
        case "if", "unless", "while", "until", "case", "begin", "for" -> {
          return branch();
        }
        case "return", "next", "break", "raise", "require", "require_relative", "include", "extend" -> {
          int s = i;
          skipToStatementEnd();
          return new Other(text(s, i), t.line());
        }
        default -> { }
      }
    }
    return expressionStatement();
  }

  private void skipToStatementEnd() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";") || t.is("}") || t.is("end"))) {
        return;
      }
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      } else if (t.kind() == Kind.IDENT && (t.text().equals("do") || BLOCK_KEYWORDS.contains(t.text())
          && startsConstruct())) {
        next();
        skipConstruct();
        continue;
      }
      next();
    }
  }

  /** {@code if}/{@code while} starting a statement (not a modifier): the previous token ends a statement. */
  private boolean startsConstruct() {
    if (i == 0) {
      return true;
    }
    Token prev = tokens.get(i - 1);
    return prev.kind() == Kind.NEWLINE || prev.is(";") || prev.is("=") || prev.is("(") || prev.is(",")
        || prev.is("||=") || prev.is("do") || prev.is("then");
  }

  /** After a construct's keyword: skips to and past its {@code end}. */
  private void skipConstruct() {
    int depth = 1;
    while (!atEnd() && depth > 0) {
      Token t = next();
      if (t.kind() != Kind.IDENT) {
        continue;
      }
      if (t.text().equals("end")) {
        depth--;
      } else if (t.text().equals("do") || t.text().equals("def") || t.text().equals("class") || t.text().equals("module")
          || BLOCK_KEYWORDS.contains(t.text()) && isLineStartBefore()) {
        depth++;
      }
    }
  }

  private boolean isLineStartBefore() {
    int k = i - 2;
    if (k < 0) {
      return true;
    }
    Token prev = tokens.get(k);
    return prev.kind() == Kind.NEWLINE || prev.is(";") || prev.is("=") || prev.is("(");
  }

  private Node classDef() {
    Token kw = next();
    boolean module = kw.text().equals("module");
    int s = i;
    while (!atEnd() && peek().kind() != Kind.NEWLINE && !at("<") && !at(";")) {
      next();
    }
    String name = text(s, i);
    String superclass = null;
    if (at("<")) {
      next();
      int ss = i;
      while (!atEnd() && peek().kind() != Kind.NEWLINE && !at(";")) {
        next();
      }
      superclass = text(ss, i);
    }
    List<Node> body = body(Set.of());
    int endLine = peek().line();
    if (at("end")) {
      next();
    }
    return new ClassDef(name, superclass, body, kw.line(), endLine, module);
  }

  private Node def() {
    Token kw = next();
    int s = i;
    while (!atEnd() && (peek().kind() == Kind.IDENT || peek().kind() == Kind.CONST || at("."))) {
      next();
      if (peek().is("=") && !peek().spaceBefore()) {
        next(); // def name=(value)
      }
      if (!at(".")) {
        break;
      }
    }
    String name = text(s, i);
    List<String> params = new ArrayList<>();
    if (at("(")) {
      next();
      int depth = 1;
      while (!atEnd() && depth > 0) {
        Token t = next();
        if (t.is("(")) {
          depth++;
        } else if (t.is(")")) {
          depth--;
        } else if (depth == 1 && (t.kind() == Kind.IDENT || t.kind() == Kind.LABEL)) {
          params.add(t.text());
        }
      }
    } else {
      while (!atEnd() && peek().kind() != Kind.NEWLINE && !at(";") && !at("=")) {
        Token t = next();
        if (t.kind() == Kind.IDENT || t.kind() == Kind.LABEL) {
          params.add(t.text());
        }
      }
    }
    if (at("=")) { // endless def: def up = execute("...")
      next();
      Node n = expressionStatement();
      return new Def(name, params, n == null ? List.of() : List.of(n), kw.line(), kw.line());
    }
    List<Node> body = new ArrayList<>(body(Set.of("rescue", "ensure")));
    while (at("rescue") || at("ensure")) {
      next();
      skipToNewline();
      body.addAll(body(Set.of("rescue", "ensure", "else")));
      if (at("else")) {
        next();
      }
    }
    int endLine = peek().line();
    if (at("end")) {
      next();
    }
    return new Def(name, params, body, kw.line(), endLine);
  }

  private void skipToNewline() {
    while (!atEnd() && peek().kind() != Kind.NEWLINE && !at(";")) {
      next();
    }
  }

  private Node branch() {
    Token kw = next();
    int s = i;
    if (!kw.text().equals("begin")) {
      skipCondition();
    }
    String condition = text(s, i);
    if (at("then") || at("do")) {
      next();
    }
    List<Node> body = new ArrayList<>();
    Set<String> stops = Set.of("elsif", "else", "when", "in", "rescue", "ensure");
    body.addAll(body(stops));
    while (!atEnd() && (at("elsif") || at("else") || at("when") || at("in") || at("rescue") || at("ensure"))) {
      next();
      skipCondition();
      if (at("then")) {
        next();
      }
      body.addAll(body(stops));
    }
    if (at("end")) {
      next();
    }
    if (MODIFIERS.contains(peek().text()) && peek().kind() == Kind.IDENT) {
      skipToStatementEnd();
    }
    return new Branch(kw.text(), condition, body, kw.line());
  }

  /** A condition: to the end of the line, {@code then}, {@code do} or {@code ;} at depth 0. */
  private void skipCondition() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.kind() == Kind.NEWLINE || t.is(";") || t.is("then") || t.is("do"))) {
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

  private Node expressionStatement() {
    int s = i;
    Token first = peek();
    // Assignment: a = ..., self.x = ..., self.x += ...
    int k = i;
    while (tokens.get(k).kind() == Kind.IDENT || tokens.get(k).kind() == Kind.IVAR || tokens.get(k).kind() == Kind.CONST
        || tokens.get(k).is(".") || tokens.get(k).is("::")) {
      k++;
    }
    Token op = tokens.get(k);
    if (k > i && op.kind() == Kind.PUNCT && (op.text().equals("=") || op.text().equals("+=") || op.text().equals("||=")
        || op.text().equals("-=") || op.text().equals("|="))) {
      String target = text(i, k);
      i = k + 1;
      skipNewlines();
      Value v = value();
      boolean more = !atStatementEnd();
      if (more) {
        skipToStatementEnd();
        v = new Expr(text(k + 1, i));
      }
      skipModifier();
      return new Assign(target, op.text(), v, first.line(), text(s, i));
    }
    Call call = call();
    if (call == null) {
      skipToStatementEnd();
      skipModifier();
      return new Other(text(s, i), first.line());
    }
    boolean trailing = false;
    if (!atStatementEnd()) {
      trailing = true;
      skipToStatementEnd();
    }
    skipModifier();
    if (trailing) {
      return new Call(call.receiver(), call.name(), call.args(), call.kwargs(), call.block(), call.line(),
          peek().line(), text(s, i), true);
    }
    return call;
  }

  /** A trailing {@code if cond}/{@code unless cond}: skipped, the statement is read as if it ran. */
  private void skipModifier() {
    if (peek().kind() == Kind.IDENT && MODIFIERS.contains(peek().text())) {
      next();
      skipToStatementEnd();
    }
  }

  /**
   * A call chain {@code a.b(...).c args { block }}: the last call is the node; what comes before its name is the
   * receiver. Null when the statement does not start like a call.
   */
  private Call call() {
    int s = i;
    Token t = peek();
    if (!(t.kind() == Kind.IDENT || t.kind() == Kind.CONST || t.kind() == Kind.IVAR)) {
      return null;
    }
    String receiver = null;
    Token name = next();
    while (name.kind() == Kind.CONST && at("::")) {
      next();
      name = next();
    }
    List<Value> args = new ArrayList<>();
    Map<String, Value> kwargs = new LinkedHashMap<>();
    while (true) {
      args = new ArrayList<>();
      kwargs = new LinkedHashMap<>();
      if (at("(") && !peek().spaceBefore()) {
        next();
        arguments(args, kwargs, ")");
        if (at(")")) {
          next();
        }
      } else if (at("[") && !peek().spaceBefore()) {
        next();
        arguments(args, kwargs, "]");
        if (at("]")) {
          next();
        }
      }
      // A chain may continue on the next line with a leading dot.
      int save = i;
      skipNewlinesBeforeDot();
      if (at(".") || at("&.") || at("::")) {
        next();
        receiver = text(s, i - 1);
        name = next();
        continue;
      }
      i = save;
      break;
    }
    if (name.kind() != Kind.IDENT && name.kind() != Kind.CONST && name.kind() != Kind.IVAR) {
      return null;
    }
    boolean parens = i > 0 && tokens.get(i - 1).is(")");
    if (!parens && args.isEmpty() && startsArgument()) {
      arguments(args, kwargs, null);
    }
    Block block = null;
    if (at("do")) {
      next();
      block = block("end");
    } else if (at("{") && (!peek().spaceBefore() || args.isEmpty() && kwargs.isEmpty() || parens)) {
      next();
      block = block("}");
    }
    return new Call(receiver, name.text(), List.copyOf(args), kwargs, block, t.line(), peek().line(), text(s, i), false);
  }

  private void skipNewlinesBeforeDot() {
    int k = i;
    while (tokens.get(k).kind() == Kind.NEWLINE) {
      k++;
    }
    if (k > i && (tokens.get(k).is(".") || tokens.get(k).is("&."))) {
      i = k;
    }
  }

  /** After a bare method name: does an argument follow (a command call without parentheses)? */
  private boolean startsArgument() {
    Token t = peek();
    if (!t.spaceBefore()) {
      return false;
    }
    return switch (t.kind()) {
      case SYMBOL, LABEL, STRING, WORDS, SYMBOLS, NUMBER, CONST, IVAR -> true;
      case IDENT -> !MODIFIERS.contains(t.text()) && !t.text().equals("do") && !t.text().equals("end")
          && !t.text().equals("and") && !t.text().equals("or") && !t.text().equals("then");
      case PUNCT -> t.is("[") || t.is("->") || t.is("*") && !peek(1).spaceBefore() || t.is("**") || t.is(":")
          || t.is("-") && peek(1).kind() == Kind.NUMBER && !peek(1).spaceBefore() || t.is("!") || t.is("(");
      default -> false;
    };
  }

  private Block block(String close) {
    int line = tokens.get(i - 1).line();
    List<String> params = new ArrayList<>();
    if (at("|")) {
      next();
      while (!atEnd() && !at("|")) {
        Token p = next();
        if (p.kind() == Kind.IDENT) {
          params.add(p.text());
        }
      }
      if (at("|")) {
        next();
      }
    }
    List<Node> body = body(Set.of());
    int endLine = peek().line();
    if (close.equals("end") ? at("end") : at("}")) {
      next();
    }
    return new Block(params, body, line, endLine);
  }

  /** Comma-separated arguments until {@code close} (or, for a command call, the end of the statement). */
  private void arguments(List<Value> args, Map<String, Value> kwargs, String close) {
    while (!atEnd()) {
      if (close != null) {
        skipNewlines();
        if (at(close)) {
          return;
        }
      } else if (atStatementEnd()) {
        return;
      }
      Token t = peek();
      if (t.is("*") && (peek(1).kind() == Kind.WORDS || peek(1).kind() == Kind.SYMBOLS || peek(1).is("["))) {
        next(); // *%i[a b]: the array's items are the arguments
        Value v = value();
        if (v instanceof Arr a) {
          args.addAll(a.items());
        } else {
          args.add(v);
        }
      } else if (t.kind() == Kind.LABEL) {
        next();
        skipNewlines();
        if (at(",") || close != null && at(close)) {
          kwargs.put(t.text(), new Expr(t.text())); // shorthand hash (Ruby 3.1): {name:}
        } else {
          kwargs.put(t.text(), value());
        }
      } else if (t.kind() == Kind.STRING && peek(1).kind() == Kind.PUNCT && peek(1).text().equals(":")
          && !peek(1).spaceBefore()) {
        next();
        next();
        kwargs.put(t.text(), value()); // "key": value
      } else {
        int s = i;
        Value v = value();
        if (at("=>")) {
          next();
          skipNewlines();
          Value val = value();
          kwargs.put(keyName(v, text(s, i)), val);
        } else {
          args.add(v);
        }
      }
      if (close != null) {
        skipNewlines();
      }
      if (at(",")) {
        next();
        if (close == null) {
          skipNewlines();
        }
        continue;
      }
      return;
    }
  }

  private static String keyName(Value v, String fallback) {
    if (v instanceof Sym s) {
      return s.name();
    }
    if (v instanceof Str s) {
      return s.value();
    }
    return fallback;
  }

  // ------------------------------------------------------------------ values

  /** One value; followed by an operator, the whole expression becomes an {@link Expr}. */
  private Value value() {
    int s = i;
    Value v = primary();
    if (continuesExpression()) {
      skipExpression();
      return new Expr(text(s, i));
    }
    return v;
  }

  private boolean continuesExpression() {
    Token t = peek();
    if (t.kind() != Kind.PUNCT) {
      return t.kind() == Kind.IDENT && (t.text().equals("and") || t.text().equals("or"));
    }
    return switch (t.text()) {
      case "+", "-", "*", "/", "%", "||", "&&", "==", "!=", "<", ">", "<=", ">=", "?", "..", "...", "<<", "=~", "**",
           ".", "&.", "[" -> true;
      default -> false;
    };
  }

  /** Skips the rest of an expression: to a comma, a closing bracket or the end of the statement at depth 0. */
  private void skipExpression() {
    int depth = 0;
    while (!atEnd()) {
      Token t = peek();
      if (depth == 0 && (t.is(",") || t.is(")") || t.is("]") || t.is("}") || t.is("=>") || t.kind() == Kind.NEWLINE
          || t.is(";") || t.kind() == Kind.IDENT && (t.text().equals("do") || t.text().equals("end")
          || MODIFIERS.contains(t.text())))) {
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

  private Value primary() {
    Token t = peek();
    int s = i;
    switch (t.kind()) {
      case SYMBOL -> {
        next();
        return new Sym(t.text());
      }
      case STRING -> {
        next();
        Value v = new Str(t.text(), t.interpolated(), t.bodyStart(), t.bodyEnd(), t.bodyLine());
        // Adjacent literals concatenate ("a" "b"); their source offsets no longer describe the value.
        while (peek().kind() == Kind.STRING && !continuesExpression()) {
          Token u = next();
          Str a = (Str) v;
          v = new Str(a.value() + u.text(), a.interpolated() || u.interpolated(), -1, -1, a.line());
        }
        return v;
      }
      case WORDS -> {
        next();
        return new Arr(t.words().stream().<Value>map(w -> new Str(w, false, -1, -1, t.line())).toList());
      }
      case SYMBOLS -> {
        next();
        return new Arr(t.words().stream().<Value>map(Sym::new).toList());
      }
      case NUMBER -> {
        next();
        return new Num(t.text());
      }
      case IDENT -> {
        switch (t.text()) {
          case "true", "false" -> {
            next();
            return new Bool(t.text().equals("true"));
          }
          case "nil" -> {
            next();
            return new Nil();
          }
          case "lambda", "proc" -> {
            next();
            if (at("{") || at("do")) {
              String close = at("{") ? "}" : "end";
              next();
              Block b = block(close);
              return new Lambda(b.body(), text(s, i));
            }
            return new Expr(text(s, i));
          }
          default -> { }
        }
        call();
        return new Expr(text(s, Math.max(i, s + 1)));
      }
      case CONST, IVAR -> {
        call();
        return new Expr(text(s, Math.max(i, s + 1)));
      }
      case PUNCT -> {
        if (t.is("[")) {
          next();
          List<Value> items = new ArrayList<>();
          Map<String, Value> ignored = new LinkedHashMap<>();
          arguments(items, ignored, "]");
          if (at("]")) {
            next();
          }
          return new Arr(List.copyOf(items));
        }
        if (t.is("{")) {
          next();
          List<Value> items = new ArrayList<>();
          Map<String, Value> entries = new LinkedHashMap<>();
          arguments(items, entries, "}");
          if (at("}")) {
            next();
          }
          return new Hash(entries);
        }
        if (t.is("->")) {
          next();
          if (at("(")) {
            skipBalanced("(", ")");
          }
          if (at("{") || at("do")) {
            String close = at("{") ? "}" : "end";
            next();
            Block b = block(close);
            return new Lambda(b.body(), text(s, i));
          }
          return new Expr(text(s, i));
        }
        if (t.is("-") && peek(1).kind() == Kind.NUMBER) {
          next();
          Token n = next();
          return new Num("-" + n.text());
        }
        if (t.is("(")) {
          skipBalanced("(", ")");
          return new Expr(text(s, i));
        }
        if (t.is("*") || t.is("**") || t.is("&") || t.is("!") || t.is("::") || t.is(":")) {
          next();
          if (!atStatementEnd() && !at(",") && !at(")")) {
            primary();
          }
          return new Expr(text(s, i));
        }
        next();
        return new Expr(text(s, i));
      }
      default -> {
        next();
        return new Expr(text(s, i));
      }
    }
  }

  private void skipBalanced(String open, String close) {
    int depth = 0;
    while (!atEnd()) {
      Token t = next();
      if (t.is(open)) {
        depth++;
      } else if (t.is(close) && --depth == 0) {
        return;
      }
    }
  }
}
