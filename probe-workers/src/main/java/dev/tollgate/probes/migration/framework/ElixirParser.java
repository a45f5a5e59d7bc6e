package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Arr;
import dev.tollgate.probes.migration.framework.Code.Bin;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.Expr;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Member;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Num;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Other;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.framework.Code.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A forgiving parser for the Elixir that Ecto migrations and schemas are written in, into {@link Code}'s tree: calls
 * with or without parentheses ({@code add :nick, :string, null: false}), {@code do ... end} blocks (an argument named
 * {@code do}, a {@link Fn} of the block's statements), atoms as strings ({@code :users} → {@code users}), keyword
 * lists as named arguments or {@link Obj}s, lists, strings with {@code #{}} holes, heredocs and sigils, module
 * attributes ({@code @disable_ddl_transaction true} → a call of {@code @disable_ddl_transaction}). Never throws and
 * always advances.
 */
final class ElixirParser {
  private enum K { IDENT, ALIAS, ATOM, KEY, STRING, NUMBER, PUNCT, NL, EOF }

  private record Tok(K kind, String text, int line, List<String> parts, boolean spaceBefore, int start) {
    boolean is(String p) {
      return kind == K.PUNCT && text.equals(p);
    }

    boolean word(String w) {
      return kind == K.IDENT && text.equals(w);
    }
  }

  private static final String[] PUNCTS = {"|>", "->", "=>", "<-", "::", "<>", "++", "--", "===", "!==", "==", "!=",
      "&&", "||", "<=", ">=", "..", "\\\\", "%{", "<<", ">>"};
  private static final Set<String> BLOCK_ENDS = Set.of("end", "else", "rescue", "catch", "after");
  private static final Set<String> OPERATOR_WORDS = Set.of("do", "end", "when", "in", "and", "or", "not", "else",
      "rescue", "catch", "after", "fn");
  private static final Map<String, Integer> BINARY = Map.ofEntries(Map.entry("|>", 2), Map.entry("||", 3),
      Map.entry("or", 3), Map.entry("&&", 4), Map.entry("and", 4), Map.entry("==", 5), Map.entry("!=", 5),
      Map.entry("===", 5), Map.entry("!==", 5), Map.entry("<", 6), Map.entry(">", 6), Map.entry("<=", 6),
      Map.entry(">=", 6), Map.entry("in", 6), Map.entry("<>", 7), Map.entry("++", 7), Map.entry("--", 7),
      Map.entry("..", 7), Map.entry("+", 8), Map.entry("-", 8), Map.entry("*", 9), Map.entry("/", 9),
      Map.entry("when", 1), Map.entry("::", 1), Map.entry("\\\\", 1), Map.entry("<-", 1), Map.entry("=", 1));
  private static final int MAX_DEPTH = 150;

  private final String src;
  private final List<Tok> t = new ArrayList<>();
  private int p;
  private int depth;
  /** Inside the arguments of a call without parentheses: a {@code do} block belongs to that outer call. */
  private int outerDo;

  private ElixirParser(String src) {
    this.src = src;
  }

  static List<Stmt> parse(String src) {
    ElixirParser e = new ElixirParser(src);
    e.lex();
    return e.block(false);
  }

  // ------------------------------------------------------------------------------------------------ lexing

  private void lex() {
    int i = 0;
    int line = 1;
    int n = src.length();
    while (i < n) {
      char c = src.charAt(i);
      boolean space = i > 0 && Character.isWhitespace(src.charAt(i - 1));
      if (c == '\n') {
        t.add(new Tok(K.NL, "\n", line, null, space, i));
        line++;
        i++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c == '#') {
        while (i < n && src.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      int start = i;
      if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
          i++;
        }
        if (i < n && (src.charAt(i) == '?' || src.charAt(i) == '!')) {
          i++;
        }
        String word = src.substring(start, i);
        if (i + 1 < n && src.charAt(i) == ':' && src.charAt(i + 1) != ':' && (Character.isWhitespace(src.charAt(i + 1))
            || src.charAt(i + 1) == ']' || src.charAt(i + 1) == ')')) {
          t.add(new Tok(K.KEY, word, line, null, space, start));
          i++;
          continue;
        }
        t.add(new Tok(Character.isUpperCase(c) ? K.ALIAS : K.IDENT, word, line, null, space, start));
        continue;
      }
      if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_' || src.charAt(i) == '.'
            && i + 1 < n && Character.isDigit(src.charAt(i + 1)))) {
          i++;
        }
        t.add(new Tok(K.NUMBER, src.substring(start, i).replace("_", ""), line, null, space, start));
        continue;
      }
      if (c == ':' && i + 1 < n && (Character.isLetter(src.charAt(i + 1)) || src.charAt(i + 1) == '_')) {
        i++;
        int ws = i;
        while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_' || src.charAt(i) == '.'
            && i + 1 < n && Character.isUpperCase(src.charAt(i + 1)))) {
          i++;
        }
        if (i < n && (src.charAt(i) == '?' || src.charAt(i) == '!')) {
          i++;
        }
        t.add(new Tok(K.ATOM, src.substring(ws, i), line, List.of(src.substring(ws, i)), space, start));
        continue;
      }
      if (c == ':' && i + 1 < n && src.charAt(i + 1) == '"') {
        int[] end = new int[1];
        int[] lines = new int[1];
        List<String> parts = string(i + 1, "\"", end, lines, true);
        t.add(new Tok(K.ATOM, src.substring(start, end[0]), line, parts, space, start));
        line += lines[0];
        i = end[0];
        continue;
      }
      if (c == '"' || c == '\'') {
        String delim = src.startsWith("\"\"\"", i) ? "\"\"\"" : src.startsWith("'''", i) ? "'''" : String.valueOf(c);
        int[] end = new int[1];
        int[] lines = new int[1];
        List<String> parts = string(i, delim, end, lines, true);
        boolean key = end[0] + 1 < n && src.charAt(end[0]) == ':' && Character.isWhitespace(src.charAt(end[0] + 1));
        t.add(new Tok(key ? K.KEY : K.STRING, src.substring(start, end[0]), line, parts, space, start));
        line += lines[0];
        i = key ? end[0] + 1 : end[0];
        continue;
      }
      if (c == '~' && i + 2 < n && Character.isLetter(src.charAt(i + 1))) {
        char sigil = src.charAt(i + 1);
        char open = src.charAt(i + 2);
        String delim = src.startsWith("\"\"\"", i + 2) ? "\"\"\"" : src.startsWith("'''", i + 2) ? "'''"
            : String.valueOf(switch (open) {
              case '(' -> ')';
              case '[' -> ']';
              case '{' -> '}';
              case '<' -> '>';
              default -> open;
            });
        int[] end = new int[1];
        int[] lines = new int[1];
        List<String> parts = sigilString(i + 2, delim, end, lines, Character.isLowerCase(sigil));
        int j = end[0];
        while (j < n && Character.isLetter(src.charAt(j))) {
          j++; // modifiers
        }
        t.add(new Tok(K.STRING, src.substring(start, j), line, sigil == 'w' || sigil == 'W'
            ? List.of(String.join(" ", parts)) : parts, space, start));
        line += lines[0];
        i = j;
        continue;
      }
      if (c == '?' && i + 1 < n && !Character.isWhitespace(src.charAt(i + 1))) { // ?a character literal
        i += src.charAt(i + 1) == '\\' && i + 2 < n ? 3 : 2;
        t.add(new Tok(K.NUMBER, "0", line, null, space, start));
        continue;
      }
      String punct = String.valueOf(c);
      for (String cand : PUNCTS) {
        if (src.startsWith(cand, i)) {
          punct = cand;
          break;
        }
      }
      i += punct.length();
      t.add(new Tok(K.PUNCT, punct, line, null, space, start));
    }
    t.add(new Tok(K.EOF, "", line, null, true, n));
  }

  /** A quoted string from {@code i} (at the delimiter); escapes decoded, {@code #{}} holes kept apart. */
  private List<String> string(int i, String delim, int[] end, int[] lines, boolean interpolate) {
    int n = src.length();
    int j = i + delim.length();
    boolean heredoc = delim.length() == 3;
    if (heredoc) {
      int nl = src.indexOf('\n', j);
      if (nl < 0) {
        end[0] = n;
        return List.of("");
      }
      lines[0]++;
      j = nl + 1;
    }
    List<String> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    while (j < n) {
      if (src.startsWith(delim, j) && (!heredoc || lineBeforeIsBlank(j))) {
        j += delim.length();
        break;
      }
      char c = src.charAt(j);
      if (c == '\n') {
        lines[0]++;
      }
      if (c == '\\' && j + 1 < n) {
        char x = src.charAt(j + 1);
        lit.append(switch (x) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          default -> x;
        });
        if (x == '\n') {
          lines[0]++;
        }
        j += 2;
        continue;
      }
      if (interpolate && c == '#' && j + 1 < n && src.charAt(j + 1) == '{') {
        int d = 1;
        int k = j + 2;
        while (k < n && d > 0) {
          if (src.charAt(k) == '{') {
            d++;
          } else if (src.charAt(k) == '}') {
            d--;
          } else if (src.charAt(k) == '\n') {
            lines[0]++;
          }
          k++;
        }
        parts.add(lit.toString());
        lit.setLength(0);
        parts.add(src.substring(j + 2, Math.max(j + 2, k - 1)).strip());
        j = k;
        continue;
      }
      lit.append(c);
      j++;
    }
    end[0] = Math.min(j, n);
    String last = lit.toString();
    if (heredoc) {
      parts.add(last);
      return dedent(parts);
    }
    parts.add(last);
    return parts;
  }

  private boolean lineBeforeIsBlank(int j) {
    for (int k = j - 1; k >= 0; k--) {
      char c = src.charAt(k);
      if (c == '\n') {
        return true;
      }
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** A heredoc's lines lose the indentation of its closing delimiter (approximated by their common indentation). */
  private static List<String> dedent(List<String> parts) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String s = parts.get(i);
      if (i % 2 == 1) {
        out.add(s);
        continue;
      }
      out.add(s.replaceAll("(?m)^[ \\t]+", "").replaceAll("[ \\t]+$", ""));
    }
    return out;
  }

  private List<String> sigilString(int i, String delim, int[] end, int[] lines, boolean interpolate) {
    if (delim.length() == 3) {
      return string(i, delim, end, lines, interpolate);
    }
    int n = src.length();
    int j = i + 1;
    StringBuilder lit = new StringBuilder();
    char close = delim.charAt(0);
    char open = src.charAt(i);
    int d = 1;
    while (j < n) {
      char c = src.charAt(j);
      if (c == '\\' && j + 1 < n) {
        lit.append(src.charAt(j + 1));
        j += 2;
        continue;
      }
      if (c == open && open != close) {
        d++;
      } else if (c == close) {
        d--;
        if (d == 0) {
          j++;
          break;
        }
      }
      if (c == '\n') {
        lines[0]++;
      }
      lit.append(c);
      j++;
    }
    end[0] = Math.min(j, n);
    return List.of(lit.toString());
  }

  // ------------------------------------------------------------------------------------------------ parsing

  private Tok peek() {
    return t.get(Math.min(p, t.size() - 1));
  }

  private Tok peek(int k) {
    return t.get(Math.max(0, Math.min(p + k, t.size() - 1)));
  }

  private boolean eof() {
    return peek().kind() == K.EOF;
  }

  private void skipNewlines() {
    while (peek().kind() == K.NL || peek().is(";")) {
      p++;
    }
  }

  /** Statements up to {@code end} (or a section word) when {@code inDo}, else to the end of the file. */
  private List<Stmt> block(boolean inDo) {
    List<Stmt> out = new ArrayList<>();
    while (true) {
      skipNewlines();
      if (eof() || inDo && peek().kind() == K.IDENT && BLOCK_ENDS.contains(peek().text())
          || peek().is(")") || peek().is("]") || peek().is("}")) {
        if (!inDo && !eof()) {
          p++; // an unbalanced closer at the top level: skip it
          continue;
        }
        return out;
      }
      int before = p;
      int line = peek().line();
      Node e = expression();
      if (e != null) {
        out.add(new Expr(e, line));
      }
      if (p == before) {
        p++;
      }
    }
  }

  private Node expression() {
    if (++depth > MAX_DEPTH) {
      depth--;
      while (!eof() && peek().kind() != K.NL) {
        p++;
      }
      return new Other("...", peek().line());
    }
    try {
      return binary(0);
    } finally {
      depth--;
    }
  }

  private Node binary(int minPrec) {
    Node left = unary();
    while (true) {
      int save = p;
      // A pipe may start the next line: the expression continues there.
      if (peek().kind() == K.NL) {
        int k = p;
        while (t.get(k).kind() == K.NL) {
          k++;
        }
        if (t.get(k).is("|>")) {
          p = k;
        }
      }
      Tok x = peek();
      String op = x.text();
      Integer prec = x.kind() == K.PUNCT || x.kind() == K.IDENT && Set.of("in", "and", "or", "when").contains(op)
          ? BINARY.get(op) : null;
      if (prec == null || prec < minPrec) {
        p = save;
        return left;
      }
      p++;
      skipNewlines(); // an operator at a line's end continues on the next line
      Node right = binary(prec + (op.equals("|>") || op.equals("<>") || op.equals("++") || op.equals("=") ? 0 : 1));
      left = new Bin(op, left, right, x.line());
    }
  }

  private Node unary() {
    Tok x = peek();
    if (x.kind() == K.PUNCT && (x.is("!") || x.is("-") && !peek(1).spaceBefore() || x.is("^") || x.is("&"))
        || x.word("not")) {
      p++;
      return new Unary(x.text(), unary(), x.line());
    }
    return postfix(primary());
  }

  private Node postfix(Node n) {
    while (true) {
      Tok x = peek();
      if (x.is(".") && (peek(1).kind() == K.IDENT || peek(1).kind() == K.ALIAS)) {
        Tok name = peek(1);
        p += 2;
        if (name.kind() == K.ALIAS && n instanceof Name alias && Character.isUpperCase(alias.name().charAt(0))) {
          n = new Name(alias.name() + "." + name.text(), alias.line()); // MyApp.Repo
          continue;
        }
        n = new Member(n, name.text(), name.line());
        if (peek().is("(") && !peek().spaceBefore()) {
          n = callWithParens(n, name.line());
        } else if (startsArgument(peek()) && peek().spaceBefore() && peek().line() == name.line()) {
          n = callWithoutParens(n, name.line());
        }
        continue;
      }
      if (x.is(".") && peek(1).is("(")) { // fun.(args)
        p++;
        n = callWithParens(n, x.line());
        continue;
      }
      if (x.is("[") && !x.spaceBefore()) { // access: opts[:key]
        int line = x.line();
        List<Arg> items = items("]");
        n = new Code.Index(n, items.isEmpty() ? null : items.get(0).value(), line);
        continue;
      }
      return n;
    }
  }

  private static boolean startsArgument(Tok x) {
    return switch (x.kind()) {
      case ATOM, STRING, NUMBER, ALIAS, KEY -> true;
      case IDENT -> !OPERATOR_WORDS.contains(x.text()) || x.text().equals("fn") || x.text().equals("not");
      case PUNCT -> x.is("[") || x.is("{") || x.is("%{") || x.is("%") || x.is("@") || x.is("&") || x.is("^")
          || x.is("<<");
      default -> false;
    };
  }

  private Node primary() {
    Tok x = peek();
    int line = x.line();
    switch (x.kind()) {
      case STRING -> {
        p++;
        // A heredoc's text starts on the line after its opening quotes: SQL in it keeps the file's lines.
        String head = x.text().startsWith("~") && x.text().length() > 2 ? x.text().substring(2) : x.text();
        boolean heredoc = head.startsWith("\"\"\"") || head.startsWith("'''");
        return new Str(x.parts(), heredoc ? line + 1 : line, x.start(), x.start());
      }
      case ATOM -> {
        p++;
        return new Str(x.parts(), line, x.start(), x.start());
      }
      case NUMBER -> {
        p++;
        return new Num(x.text(), line);
      }
      case KEY -> {
        // A bare keyword list (the last argument without brackets): collected by the argument parser.
        List<Arg> kw = keywords();
        return new Obj(kw, line);
      }
      case ALIAS -> {
        p++;
        return new Name(x.text(), line);
      }
      case IDENT -> {
        return identifier();
      }
      case EOF, NL -> {
        return new Other("", line);
      }
      default -> { }
    }
    if (x.is("(")) {
      p++;
      skipNewlines();
      Node e = at(")") ? new Other("()", line) : expression();
      skipNewlines();
      while (!eof() && !at(")")) {
        int before = p;
        if (peek().kind() == K.NL || peek().is(";") || peek().is(",")) {
          p++;
        } else {
          expression();
        }
        if (p == before) {
          p++;
        }
      }
      accept(")");
      return e;
    }
    if (x.is("[")) {
      return new Arr(items("]"), line);
    }
    if (x.is("{")) {
      return new Arr(items("}"), line);
    }
    if (x.is("%{") || x.is("%") && (peek(1).kind() == K.ALIAS || peek(1).is("{"))) {
      if (x.is("%")) {
        p++;
        while (peek().kind() == K.ALIAS || peek().is(".")) {
          p++;
        }
        if (!at("{")) {
          return new Other("%", line);
        }
      }
      List<Arg> entries = items("}");
      return new Obj(entries, line);
    }
    if (x.is("<<")) {
      p++;
      while (!eof() && !at(">>")) {
        p++;
      }
      accept(">>");
      return new Other("<<>>", line);
    }
    if (x.is("@") && peek(1).kind() == K.IDENT) {
      p++;
      Tok name = peek();
      p++;
      List<Arg> args = new ArrayList<>();
      if (startsArgument(peek()) && peek().line() == name.line() || peek().is("(") && !peek().spaceBefore()) {
        Node v = peek().is("(") ? parenArgsFirst() : expression();
        args.add(new Arg(null, v));
      }
      return new Call(new Name("@" + name.text(), line), args, null, line, 0);
    }
    p++;
    return new Other(x.text(), line);
  }

  private Node parenArgsFirst() {
    List<Arg> a = items(")");
    return a.isEmpty() ? new Other("()", peek().line()) : a.get(0).value();
  }

  private boolean at(String punct) {
    return peek().is(punct);
  }

  private void accept(String punct) {
    if (at(punct)) {
      p++;
    }
  }

  private Node identifier() {
    Tok x = peek();
    int line = x.line();
    String w = x.text();
    p++;
    if (w.equals("fn")) {
      return function(line);
    }
    if (w.equals("true") || w.equals("false") || w.equals("nil")) {
      return new Name(w, line);
    }
    Name callee = new Name(w, line);
    if (peek().is("(") && !peek().spaceBefore()) {
      return callWithParens(callee, line);
    }
    if (startsArgument(peek()) && peek().line() == line && peek().spaceBefore()) {
      return callWithoutParens(callee, line);
    }
    if (peek().word("do") && outerDo == 0) {
      return doBlock(new Call(callee, new ArrayList<>(), null, line, 0));
    }
    return callee;
  }

  /** {@code fn x -> body end}: the clauses' bodies as one function. */
  private Node function(int line) {
    List<String> params = new ArrayList<>();
    while (!eof() && !at("->") && peek().kind() != K.NL) {
      if (peek().kind() == K.IDENT) {
        params.add(peek().text());
      }
      p++;
    }
    accept("->");
    int saved = outerDo;
    outerDo = 0;
    List<Stmt> body = block(true);
    outerDo = saved;
    int end = peek().line();
    if (peek().word("end")) {
      p++;
    }
    return new Fn(null, params, body, null, line, end);
  }

  private Node callWithParens(Node callee, int line) {
    List<Arg> args = items(")");
    Call c = new Call(callee, args, null, line, 0);
    if (peek().word("do") && outerDo == 0) {
      return doBlock(c);
    }
    return c;
  }

  private Node callWithoutParens(Node callee, int line) {
    List<Arg> args = new ArrayList<>();
    outerDo++;
    try {
      arguments(args);
    } finally {
      outerDo--;
    }
    Call c = new Call(callee, args, null, line, 0);
    if (peek().word("do") && outerDo == 0) {
      return doBlock(c);
    }
    return c;
  }

  private void arguments(List<Arg> args) {
    while (true) {
      if (peek().kind() == K.KEY) {
        args.addAll(keywords());
        break;
      }
      if (!startsArgument(peek()) && !(peek().is("(")) || peek().word("do")) {
        break;
      }
      args.add(new Arg(null, expression()));
      if (at(",")) {
        p++;
        skipNewlines();
        continue;
      }
      break;
    }
  }

  /** {@code key: value, key2: value2}: a keyword list without brackets. */
  private List<Arg> keywords() {
    List<Arg> out = new ArrayList<>();
    while (peek().kind() == K.KEY) {
      String key = peek().parts() != null && !peek().parts().isEmpty() ? peek().parts().get(0) : peek().text();
      p++;
      skipNewlines();
      out.add(new Arg(key, expression()));
      if (at(",") && peek(1).kind() != K.EOF) {
        int save = p;
        p++;
        skipNewlines();
        if (peek().kind() != K.KEY) {
          p = save;
          break;
        }
        continue;
      }
      break;
    }
    return out;
  }

  /** {@code do ... [else ...] end} after a call: sections as arguments named {@code do}, {@code else}, ... */
  private Node doBlock(Call c) {
    List<Arg> args = new ArrayList<>(c.args());
    String section = "do";
    int sectionLine = peek().line();
    p++; // do
    int saved = outerDo;
    outerDo = 0;
    while (true) {
      List<Stmt> body = block(true);
      args.add(new Arg(section, new Fn(null, List.of(), body, null, sectionLine, peek().line())));
      Tok x = peek();
      if (x.kind() == K.IDENT && BLOCK_ENDS.contains(x.text()) && !x.text().equals("end")) {
        section = x.text();
        sectionLine = x.line();
        p++;
        continue;
      }
      if (x.word("end")) {
        p++;
      }
      break;
    }
    outerDo = saved;
    return new Call(c.callee(), args, null, c.line(), peek(-1).line());
  }

  /** Items up to {@code close}: values, and keyword entries ({@code key: v}, {@code k => v}) as named arguments. */
  private List<Arg> items(String close) {
    int saved = outerDo;
    outerDo = 0; // inside brackets a do block is the inner call's
    try {
      return items0(close);
    } finally {
      outerDo = saved;
    }
  }

  private List<Arg> items0(String close) {
    List<Arg> out = new ArrayList<>();
    p++; // the opening bracket
    while (true) {
      skipNewlines();
      if (eof() || at(close)) {
        break;
      }
      if (peek().is(")") || peek().is("]") || peek().is("}")) {
        break; // a mismatched closer: stop here
      }
      int before = p;
      if (peek().kind() == K.KEY) {
        out.addAll(keywords());
      } else {
        Node v = expression();
        skipNewlines();
        if (at("=>")) {
          p++;
          skipNewlines();
          Node value = expression();
          out.add(new Arg(v instanceof Str s && s.plain() ? s.value() : "?", value));
        } else {
          out.add(new Arg(null, v));
        }
      }
      skipNewlines();
      if (at(",")) {
        p++;
      } else if (!at(close) && p == before) {
        p++;
      } else if (!at(close)) {
        // Something the parser does not model between items: skip to the next comma or the closer.
        int d = 0;
        while (!eof()) {
          if (peek().is("(") || peek().is("[") || peek().is("{") || peek().is("%{")) {
            d++;
          } else if (peek().is(")") || peek().is("]") || peek().is("}")) {
            if (d == 0) {
              break;
            }
            d--;
          } else if (peek().is(",") && d == 0) {
            break;
          }
          p++;
        }
        accept(",");
      }
    }
    accept(close);
    return out;
  }
}
