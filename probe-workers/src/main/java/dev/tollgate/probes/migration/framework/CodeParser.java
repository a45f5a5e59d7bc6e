package dev.tollgate.probes.migration.framework;

import dev.tollgate.probes.migration.framework.Code.Annotation;
import dev.tollgate.probes.migration.framework.Code.Arg;
import dev.tollgate.probes.migration.framework.Code.Arr;
import dev.tollgate.probes.migration.framework.Code.Bin;
import dev.tollgate.probes.migration.framework.Code.Block;
import dev.tollgate.probes.migration.framework.Code.Call;
import dev.tollgate.probes.migration.framework.Code.ClassDecl;
import dev.tollgate.probes.migration.framework.Code.ClassStmt;
import dev.tollgate.probes.migration.framework.Code.Cls;
import dev.tollgate.probes.migration.framework.Code.Cond;
import dev.tollgate.probes.migration.framework.Code.Decl;
import dev.tollgate.probes.migration.framework.Code.Expr;
import dev.tollgate.probes.migration.framework.Code.Fn;
import dev.tollgate.probes.migration.framework.Code.Index;
import dev.tollgate.probes.migration.framework.Code.Member;
import dev.tollgate.probes.migration.framework.Code.Name;
import dev.tollgate.probes.migration.framework.Code.New;
import dev.tollgate.probes.migration.framework.Code.Node;
import dev.tollgate.probes.migration.framework.Code.Num;
import dev.tollgate.probes.migration.framework.Code.Obj;
import dev.tollgate.probes.migration.framework.Code.Other;
import dev.tollgate.probes.migration.framework.Code.Return;
import dev.tollgate.probes.migration.framework.Code.Stmt;
import dev.tollgate.probes.migration.framework.Code.Str;
import dev.tollgate.probes.migration.framework.Code.Unary;
import dev.tollgate.probes.migration.framework.CodeLexer.Kind;
import dev.tollgate.probes.migration.framework.CodeLexer.Lang;
import dev.tollgate.probes.migration.framework.CodeLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A forgiving recursive-descent parser for the C-family languages migrations are written in (PHP, JavaScript and
 * TypeScript, C#, Java). It models statements, classes with their members, and expressions down to calls, literals,
 * closures and concatenation; what it does not model becomes an {@link Other}. It never throws and always advances,
 * so any input gives a tree (a file that is not code gives a tree with nothing recognizable in it).
 */
final class CodeParser {
  private static final int MAX_DEPTH = 150;
  private static final Set<String> MODIFIERS = Set.of("public", "private", "protected", "static", "readonly", "async",
      "abstract", "override", "virtual", "sealed", "final", "partial", "internal", "declare", "const", "var", "function",
      "export", "default", "new", "extern", "unsafe", "volatile", "transient", "synchronized", "native", "required");
  private static final Set<String> CLASS_WORDS = Set.of("class", "interface", "trait", "enum", "record", "struct");
  private static final Map<String, Integer> BINARY = Map.ofEntries(Map.entry("??", 1), Map.entry("||", 2),
      Map.entry("or", 2), Map.entry("&&", 3), Map.entry("and", 3), Map.entry("|", 4), Map.entry("^", 5),
      Map.entry("&", 6), Map.entry("==", 7), Map.entry("!=", 7), Map.entry("===", 7), Map.entry("!==", 7),
      Map.entry("<=>", 7), Map.entry("<", 8), Map.entry(">", 8), Map.entry("<=", 8), Map.entry(">=", 8),
      Map.entry("instanceof", 8), Map.entry("in", 8), Map.entry("is", 8), Map.entry("as", 8), Map.entry("<<", 9),
      Map.entry("+", 10), Map.entry("-", 10), Map.entry("*", 11), Map.entry("/", 11), Map.entry("%", 11));
  private static final Set<String> ASSIGN = Set.of("=", "+=", "-=", "*=", "/=", ".=", "%=", "??=", "|=", "&=");

  private final List<Token> t;
  private final Lang lang;
  private final String src;
  private int p;
  private int depth;
  private List<Annotation> pending = new ArrayList<>();

  private CodeParser(String src, Lang lang) {
    this.src = src;
    this.lang = lang;
    this.t = CodeLexer.lex(src, lang);
  }

  /** The statements of a whole file. */
  static List<Stmt> parse(String src, Lang lang) {
    CodeParser parser = new CodeParser(src, lang);
    return parser.statements(false);
  }

  // ------------------------------------------------------------------------------------------------ tokens

  private Token peek() {
    return t.get(Math.min(p, t.size() - 1));
  }

  private Token peek(int ahead) {
    return t.get(Math.max(0, Math.min(p + ahead, t.size() - 1)));
  }

  private boolean at(String punct) {
    return peek().is(punct);
  }

  private boolean atWord(String word) {
    return peek().isWord(word);
  }

  private boolean eof() {
    return peek().kind() == Kind.EOF;
  }

  private boolean accept(String punct) {
    if (at(punct)) {
      p++;
      return true;
    }
    return false;
  }

  /** The index of the token closing the bracket at {@code i}, else the last token. */
  private int matching(int i) {
    String open = t.get(i).text();
    String close = switch (open) {
      case "(" -> ")";
      case "[", "#[" -> "]";
      case "{" -> "}";
      default -> ">";
    };
    int d = 0;
    for (int k = i; k < t.size(); k++) {
      Token x = t.get(k);
      if (x.kind() != Kind.PUNCT) {
        continue;
      }
      if (x.text().equals(open) || open.equals("#[") && x.text().equals("[")) {
        d++;
      } else if (x.text().equals(close)) {
        d--;
        if (d == 0) {
          return k;
        }
      }
    }
    return t.size() - 1;
  }

  private void skipGroup() {
    p = matching(p) + 1;
  }

  private String text(int fromToken, int toTokenExclusive) {
    if (toTokenExclusive <= fromToken) {
      return "";
    }
    int s = t.get(fromToken).start();
    int e = t.get(Math.min(toTokenExclusive, t.size()) - 1).end();
    return src.substring(s, Math.max(s, e)).replaceAll("\\s+", " ").strip();
  }

  // ------------------------------------------------------------------------------------------------ statements

  private List<Stmt> statements(boolean braced) {
    List<Stmt> out = new ArrayList<>();
    while (!eof() && !(braced && at("}"))) {
      int before = p;
      Stmt s = statement();
      if (s != null) {
        out.add(s);
      }
      if (p == before) {
        p++;
      }
    }
    if (braced) {
      accept("}");
    }
    return out;
  }

  private List<Stmt> body() {
    if (accept("{")) {
      return statements(true);
    }
    Stmt s = statement();
    return s == null ? List.of() : List.of(s);
  }

  private Stmt statement() {
    if (++depth > MAX_DEPTH) {
      depth--;
      skipToStatementEnd();
      return null;
    }
    try {
      return statement0();
    } finally {
      depth--;
    }
  }

  private void skipToStatementEnd() {
    while (!eof() && !at(";") && !at("}")) {
      if (at("(") || at("[") || at("{")) {
        skipGroup();
      } else {
        p++;
      }
    }
    accept(";");
  }

  private Stmt statement0() {
    Token tok = peek();
    int line = tok.line();
    if (accept(";")) {
      return null;
    }
    if (at("{")) {
      p++;
      return new Block("{", null, statements(true), List.of(), null, line);
    }
    if (at("#[")) {
      annotations();
      return null;
    }
    if (at("@") && peek(1).kind() == Kind.IDENT && lang != Lang.PHP) {
      annotations();
      return null;
    }
    if (at("[") && lang == Lang.CSHARP) {
      annotations();
      return null;
    }
    if (tok.kind() != Kind.IDENT) {
      return expressionStatement(line);
    }
    String w = tok.text();
    switch (w) {
      case "if", "while", "for", "foreach", "switch", "lock", "catch", "with", "fixed" -> {
        p++;
        Node head = null;
        if (at("(")) {
          int close = matching(p);
          p++;
          head = expression();
          if (w.equals("for") && lang == Lang.JS && head instanceof Name decl
              && Set.of("const", "let", "var").contains(decl.name()) && peek().kind() == Kind.IDENT
              && peek(1).isWord("of")) {
            Name var = new Name(peek().text(), peek().line()); // for (const t of TABLES)
            p += 2;
            head = new Bin("as", expression(), var, line);
          } else if (w.equals("for") && lang == Lang.JS && head instanceof Name var0 && atWord("of")) {
            p++;
            head = new Bin("as", expression(), var0, line);
          }
          if (w.equals("foreach") && lang == Lang.PHP && atWord("as")) {
            p++; // foreach ($values as [$key =>] $value): the values and the loop variable
            Node var = expression();
            if (accept("=>")) {
              var = expression();
            }
            head = new Bin("as", head, var, line);
          }
          p = close + 1;
        }
        List<Stmt> b = body();
        List<Stmt> otherwise = List.of();
        if (w.equals("if") && atWord("else")) {
          p++;
          otherwise = body();
        }
        return new Block(w, head, b, otherwise, null, line);
      }
      case "else", "try", "finally", "do", "unsafe", "checked", "unchecked" -> {
        p++;
        Node head = null;
        if (w.equals("try") && at("(")) { // Java try-with-resources
          int close = matching(p);
          p++;
          head = expression();
          p = close + 1;
        }
        List<Stmt> b = body();
        if (w.equals("do") && atWord("while")) {
          p++;
          if (at("(")) {
            skipGroup();
          }
        }
        return new Block(w, head, b, List.of(), null, line);
      }
      case "return", "throw", "yield" -> {
        p++;
        if (atWord("return") || atWord("break")) {
          p++;
        }
        if (at(";") || at("}") || eof()) {
          accept(";");
          return w.equals("return") ? new Return(null, line) : null;
        }
        Node e = expression();
        accept(";");
        return w.equals("return") ? new Return(e, line) : new Expr(new Unary(w, e, line), line);
      }
      case "break", "continue", "goto" -> {
        skipToStatementEnd();
        return null;
      }
      case "import", "package" -> {
        if (w.equals("import") && peek(1).is("(")) {
          return expressionStatement(line); // dynamic import()
        }
        skipImport();
        return null;
      }
      case "use" -> {
        if (lang == Lang.PHP) {
          skipToStatementEnd();
          return null;
        }
        return expressionStatement(line);
      }
      case "namespace" -> {
        p++;
        while (!eof() && !at(";") && !at("{")) {
          p++;
        }
        if (accept("{")) {
          return new Block("namespace", null, statements(true), List.of(), null, line);
        }
        accept(";");
        return null;
      }
      case "using" -> {
        if (lang == Lang.CSHARP && !peek(1).is("(") && !peek(1).isWord("var")) {
          skipToStatementEnd();
          return null;
        }
        p++;
        if (atWord("var")) {
          return declaration(line);
        }
        Node head = null;
        if (at("(")) {
          int close = matching(p);
          p++;
          head = expression();
          p = close + 1;
        }
        return new Block("using", head, body(), List.of(), null, line);
      }
      case "const", "let", "var", "val" -> {
        if (peek(1).kind() == Kind.IDENT || peek(1).is("{") || peek(1).is("[")) {
          p++;
          return declaration(line);
        }
        return expressionStatement(line);
      }
      case "function" -> {
        if (peek(1).kind() == Kind.IDENT || peek(1).is("&") || peek(1).is("*")) {
          Fn fn = function();
          return new Block("function", null, List.of(), List.of(), fn, line);
        }
        return expressionStatement(line);
      }
      case "async" -> {
        if (peek(1).isWord("function")) {
          p++;
          return statement0();
        }
        return expressionStatement(line);
      }
      case "export" -> {
        p++;
        if (atWord("default")) {
          p++;
          if (at("{")) { // export default { up, down }: an object, not a block
            Node e = expression();
            accept(";");
            return new Expr(new Bin("=", new Name("default", line), e, line), line);
          }
        }
        if (at("=")) { // TypeScript export = X
          p++;
        }
        return statement0();
      }
      case "declare" -> {
        if (lang == Lang.PHP) { // declare(strict_types=1);
          skipToStatementEnd();
          return null;
        }
        return expressionStatement(line);
      }
      default -> {
        if (startsClassDeclaration()) {
          return new ClassStmt(classDecl());
        }
        if ((lang == Lang.CSHARP || lang == Lang.JAVA) && localDeclaration()) {
          return declaration(line);
        }
        return expressionStatement(line);
      }
    }
  }

  private void skipImport() {
    int line = peek().line();
    p++;
    while (!eof() && !at(";")) {
      if (peek().kind() == Kind.STRING) { // import ... from "x"; import "x"
        p++;
        break;
      }
      if (peek().line() > line && lang == Lang.JS && (peek().isWord("import") || peek().isWord("export"))) {
        return;
      }
      if (at("{")) {
        skipGroup();
      } else {
        p++;
      }
    }
    accept(";");
  }

  /** Modifiers then {@code class} (or interface, enum, ...). */
  private boolean startsClassDeclaration() {
    int k = p;
    while (k < t.size() && t.get(k).kind() == Kind.IDENT && (MODIFIERS.contains(t.get(k).text())
        || t.get(k).text().equals("abstract"))) {
      k++;
    }
    return k < t.size() && t.get(k).kind() == Kind.IDENT && CLASS_WORDS.contains(t.get(k).text())
        && k + 1 < t.size() && (t.get(k + 1).kind() == Kind.IDENT || t.get(k + 1).is("{"));
  }

  /** C#/Java {@code Type name = ...}: a type (with generics, arrays, nullable) then a name then {@code =} or {@code ;}. */
  private boolean localDeclaration() {
    int k = p;
    if (t.get(k).kind() != Kind.IDENT) {
      return false;
    }
    k++;
    while (k < t.size() && (t.get(k).is(".") || t.get(k).is("?") || t.get(k).is("[") || t.get(k).is("]"))) {
      k++;
      if (k < t.size() && t.get(k).kind() == Kind.IDENT && t.get(k - 1).is(".")) {
        k++;
      }
    }
    if (k < t.size() && t.get(k).is("<")) {
      int d = 0;
      for (; k < t.size(); k++) {
        if (t.get(k).is("<")) {
          d++;
        } else if (t.get(k).is(">")) {
          d--;
          if (d == 0) {
            k++;
            break;
          }
        } else if (!(t.get(k).kind() == Kind.IDENT || t.get(k).is(",") || t.get(k).is(".") || t.get(k).is("?")
            || t.get(k).is("[") || t.get(k).is("]"))) {
          return false;
        }
      }
    }
    return k + 1 < t.size() && t.get(k).kind() == Kind.IDENT && (t.get(k + 1).is("=") || t.get(k + 1).is(";"));
  }

  /** {@code name = value} after {@code const}/{@code let}/{@code var} or a C#/Java type. */
  private Stmt declaration(int line) {
    int nameAt = -1;
    int start = p;
    while (!eof() && !at("=") && !at(";") && !(at("}") && nameAt >= 0)) {
      if (peek().kind() == Kind.IDENT && nameAt < 0 && lang == Lang.JS) {
        nameAt = p;
      }
      if (peek().kind() == Kind.IDENT && lang != Lang.JS) {
        nameAt = p;
      }
      if (at("{") || at("[")) { // destructuring
        skipGroup();
        continue;
      }
      if (lang == Lang.JS && at(":")) { // TypeScript annotation: skip the type
        p++;
        skipType();
        continue;
      }
      if (at("<")) {
        skipAngles();
        continue;
      }
      if (peek().line() > t.get(start).line() && lang == Lang.JS && nameAt >= 0) {
        break; // let x (no initializer, no semicolon)
      }
      p++;
    }
    if (accept("=")) {
      Node value = expression();
      accept(";");
      String name = nameAt >= 0 ? t.get(nameAt).text() : "";
      Node target = new Name(name, line);
      return new Expr(new Bin("=", target, value, line), line);
    }
    accept(";");
    return null;
  }

  private void skipAngles() {
    int d = 0;
    while (!eof()) {
      if (at("<")) {
        d++;
      } else if (at(">")) {
        d--;
        if (d == 0) {
          p++;
          return;
        }
      } else if (at(";") || at("{") || at("=")) {
        return;
      }
      p++;
    }
  }

  /** A TypeScript type after {@code :}: up to {@code =}, {@code ,}, {@code )}, {@code ;}, {@code {} or {@code =>}. */
  private void skipType() {
    int line = peek().line();
    while (!eof()) {
      if (at("<") || at("(") || at("[")) {
        if (at("<")) {
          skipAngles();
        } else {
          skipGroup();
        }
        continue;
      }
      if (at("{") && (peek(-1).is(":") || peek(-1).is("|") || peek(-1).is("&"))) {
        skipGroup(); // an object type
        continue;
      }
      if (at("=") || at(",") || at(")") || at(";") || at("{") || at("=>") || at("}") || at("]")) {
        return;
      }
      if (peek().line() > line && (peek().kind() == Kind.IDENT || at("@"))
          && !(peek(-1).is("|") || peek(-1).is("&") || peek(-1).is(":"))) {
        return; // the next member or statement (no semicolon)
      }
      p++;
    }
  }

  private Stmt expressionStatement(int line) {
    Node e = expression();
    accept(";");
    return new Expr(e, line);
  }

  // ------------------------------------------------------------------------------------------------ classes

  private List<Annotation> annotations() {
    List<Annotation> out = new ArrayList<>();
    while (true) {
      if (at("@") && peek(1).kind() == Kind.IDENT && lang != Lang.PHP) {
        int line = peek().line();
        p++;
        StringBuilder name = new StringBuilder(peek().text());
        p++;
        while (at(".") && peek(1).kind() == Kind.IDENT) {
          name.append('.').append(peek(1).text());
          p += 2;
        }
        List<Arg> args = at("(") ? arguments(")") : List.of();
        out.add(new Annotation(name.toString(), args, line));
      } else if (at("[") && lang == Lang.CSHARP || at("#[")) {
        int close = matching(p);
        p++;
        while (p < close) {
          if (peek().kind() == Kind.IDENT) {
            int line = peek().line();
            String name = peek().text();
            p++;
            while (at(".") && peek(1).kind() == Kind.IDENT) {
              name = peek(1).text();
              p += 2;
            }
            if (at(":")) { // [return: Attr], [assembly: Attr]
              p++;
              continue;
            }
            List<Arg> args = at("(") ? arguments(")") : List.of();
            out.add(new Annotation(name.endsWith("Attribute") ? name.substring(0, name.length() - 9) : name, args, line));
          } else {
            p++;
          }
        }
        p = close + 1;
      } else {
        break;
      }
    }
    pending.addAll(out);
    return out;
  }

  private List<Annotation> takePending() {
    List<Annotation> a = pending;
    pending = new ArrayList<>();
    return a;
  }

  /** At modifiers then {@code class Name ... { members }} (or an anonymous PHP {@code class ... {}}). */
  private ClassDecl classDecl() {
    List<Annotation> anns = takePending();
    int line = peek().line();
    while (peek().kind() == Kind.IDENT && !CLASS_WORDS.contains(peek().text())) {
      p++;
    }
    p++; // class
    String name = "";
    if (peek().kind() == Kind.IDENT && !peek().isWord("extends") && !peek().isWord("implements")) {
      name = peek().text();
      p++;
    }
    if (at("(")) { // PHP anonymous class constructor arguments, C# primary constructor, Java record components
      skipGroup();
    }
    List<String> supertypes = new ArrayList<>();
    while (!eof() && !at("{") && !at(";")) {
      if (at("<")) {
        skipAngles();
        continue;
      }
      if (at("(")) {
        skipGroup();
        continue;
      }
      Token x = peek();
      if (x.kind() == Kind.IDENT && !Set.of("extends", "implements", "where", "new", "class", "struct", "notnull")
          .contains(x.text())) {
        String n = x.text();
        int bs = n.lastIndexOf('\\');
        String simple = bs >= 0 ? n.substring(bs + 1) : n;
        if (peek(-1).is(".") && !supertypes.isEmpty()) {
          supertypes.set(supertypes.size() - 1, simple);
        } else {
          supertypes.add(simple);
        }
      }
      p++;
    }
    List<Decl> members = new ArrayList<>();
    if (accept("{")) {
      while (!eof() && !at("}")) {
        int before = p;
        Decl m = member();
        if (m != null) {
          members.add(m);
        }
        if (p == before) {
          p++;
        }
      }
    }
    int endLine = peek().line();
    accept("}");
    return new ClassDecl(name, supertypes, anns, members, line, endLine);
  }

  private Decl member() {
    if (accept(";")) {
      return null;
    }
    if (at("@") && lang != Lang.PHP || at("#[") || at("[") && lang == Lang.CSHARP) {
      annotations();
      return null;
    }
    if (lang == Lang.PHP && atWord("use")) { // trait use
      skipToStatementEnd();
      return null;
    }
    if (startsClassDeclaration()) {
      ClassDecl nested = classDecl();
      return new Decl(nested.name(), List.of("class"), List.of(), null, null, new Cls(nested), nested.line());
    }
    int line = peek().line();
    List<String> modifiers = new ArrayList<>();
    List<Integer> head = new ArrayList<>(); // token indexes of the member's head (type and name)
    int typeColon = -1;
    int typeFrom = -1;
    int typeTo = -1;
    while (!eof()) {
      Token x = peek();
      if (x.is("(") || x.is("=") || x.is(";") || x.is("{") || x.is("}") || x.is("=>")) {
        break;
      }
      if (lang == Lang.JS && !head.isEmpty() && x.line() > t.get(head.get(head.size() - 1)).line()
          && (x.kind() == Kind.IDENT || x.is("@")) && typeColon >= 0) {
        break; // a TypeScript field without a semicolon; the next member starts on this line
      }
      if (x.is("<") && (lang != Lang.JS || typeColon < 0)) {
        skipAngles();
        continue;
      }
      if (x.is(":") && lang == Lang.JS && typeColon < 0) {
        typeColon = head.size();
        p++;
        typeFrom = p;
        skipTypeInMember();
        typeTo = p;
        continue;
      }
      if (x.is("[") && lang != Lang.JS) { // Java/C# array types
        skipGroup();
        continue;
      }
      if (x.kind() == Kind.IDENT && MODIFIERS.contains(x.text()) && head.isEmpty()) {
        modifiers.add(x.text());
        p++;
        continue;
      }
      head.add(p);
      p++;
    }
    if (head.isEmpty() && eof()) {
      return null;
    }
    if (at("}") && head.isEmpty()) {
      return null;
    }
    List<Annotation> anns = takePending();
    int nameAt = lastName(typeColon >= 0 ? head.subList(0, typeColon) : head);
    String name = nameAt < 0 ? "" : nameOf(t.get(nameAt));
    String type;
    if (typeColon >= 0) {
      type = text(typeFrom, typeTo);
    } else if (lang != Lang.JS && lang != Lang.PHP && nameAt > head.get(0)) {
      type = text(head.get(0), nameAt); // C#/Java: the type precedes the name
    } else {
      type = null;
    }
    if (at("(")) {
      Fn fn = methodRest(name, line);
      return new Decl(name, modifiers, anns, type, fn, null, line);
    }
    if (at("=>")) { // C# expression-bodied member
      p++;
      Node value = expression();
      accept(";");
      return new Decl(name, modifiers, anns, type, null, value, line);
    }
    if (at("{")) { // C# property { get; set; }, possibly with an initializer
      skipGroup();
      Node value = null;
      if (accept("=")) {
        value = expression();
      }
      accept(";");
      return new Decl(name, modifiers, anns, type, null, value, line);
    }
    Node value = null;
    if (accept("=")) {
      value = expression();
    }
    // Several PHP/Java fields in one declaration: $a = 1, $b = 2;
    while (accept(",")) {
      while (!eof() && !at(",") && !at(";") && !at("}")) {
        if (at("(") || at("[") || at("{")) {
          skipGroup();
        } else {
          p++;
        }
      }
    }
    accept(";");
    return new Decl(name, modifiers, anns, type, null, value, line);
  }

  /** In a TypeScript member head after {@code :}: the type, up to {@code =}, {@code ;} or the next line's member. */
  private void skipTypeInMember() {
    int line = peek(-1).line();
    while (!eof()) {
      if (at("<") || at("(") || at("[")) {
        if (at("<")) {
          skipAngles();
        } else {
          skipGroup();
        }
        continue;
      }
      if (at("{") && (peek(-1).is(":") || peek(-1).is("|"))) {
        skipGroup();
        continue;
      }
      if (at("=") || at(";") || at("}") || at("{") || at("=>")) {
        return;
      }
      if (peek().line() > line && !(peek(-1).is("|") || peek(-1).is("&") || peek(-1).is(":"))) {
        return;
      }
      p++;
    }
  }

  /** The token index of the last identifier, PHP variable or quoted name among {@code head}, else -1. */
  private int lastName(List<Integer> head) {
    for (int i = head.size() - 1; i >= 0; i--) {
      Token x = t.get(head.get(i));
      if (x.kind() == Kind.IDENT || x.kind() == Kind.VAR
          || x.kind() == Kind.STRING && x.parts() != null && x.parts().size() == 1) {
        return head.get(i);
      }
    }
    return -1;
  }

  private static String nameOf(Token x) {
    if (x.kind() == Kind.STRING) {
      return x.parts().get(0);
    }
    return x.text().startsWith("$") ? x.text().substring(1) : x.text();
  }

  /** At the parameter list of a method or function named {@code name}: parameters, return type, body. */
  private Fn methodRest(String name, int line) {
    List<String> params = parameters();
    // Return types, throws clauses, PHP use(...), C# where clauses, constructor initializers: up to the body.
    while (!eof() && !at("{") && !at(";") && !at("=>") && !at("}")) {
      if (lang == Lang.PHP && atWord("use") && peek(1).is("(")) {
        p++;
        skipGroup();
        continue;
      }
      if (at("(") || at("<")) {
        if (at("<")) {
          skipAngles();
        } else {
          skipGroup();
        }
        continue;
      }
      if (at("{") ) {
        break;
      }
      p++;
    }
    if (at("=>")) {
      p++;
      Node e = expression();
      accept(";");
      return new Fn(name, params, List.of(), e, line, peek(-1).line());
    }
    if (accept("{")) {
      List<Stmt> body = statements(true);
      return new Fn(name, params, body, null, line, peek(-1).line());
    }
    accept(";");
    return new Fn(name, params, List.of(), null, line, line);
  }

  /** At {@code (}: the parameter names, past the closing parenthesis. */
  private List<String> parameters() {
    List<String> out = new ArrayList<>();
    if (!at("(")) {
      return out;
    }
    int close = matching(p);
    p++;
    List<Token> seg = new ArrayList<>();
    while (p <= close) {
      Token x = peek();
      if (p == close || x.is(",")) {
        String n = paramName(seg);
        if (n != null) {
          out.add(n);
        }
        seg.clear();
        p++;
        continue;
      }
      if (x.is("(") || x.is("[") || x.is("{") || x.is("<")) {
        if (x.is("{") && seg.isEmpty()) {
          seg.add(x); // a destructured parameter
        }
        if (x.is("<")) {
          int k = p;
          skipAngles();
          if (p <= k) {
            p++;
          }
        } else {
          skipGroup();
        }
        continue;
      }
      if (x.is("@") && peek(1).kind() == Kind.IDENT) { // a parameter decorator
        p += 2;
        if (at("(")) {
          skipGroup();
        }
        continue;
      }
      seg.add(x);
      p++;
    }
    p = close + 1;
    return out;
  }

  private String paramName(List<Token> seg) {
    if (seg.isEmpty()) {
      return null;
    }
    if (seg.get(0).is("{")) {
      return "{}";
    }
    if (lang == Lang.PHP) {
      for (Token x : seg) {
        if (x.kind() == Kind.VAR) {
          return x.text();
        }
      }
      return null;
    }
    if (lang == Lang.JS) {
      for (Token x : seg) {
        if (x.kind() == Kind.IDENT && !MODIFIERS.contains(x.text())) {
          return x.text();
        }
      }
      return null;
    }
    String last = null;
    for (Token x : seg) {
      if (x.is("=")) {
        break;
      }
      if (x.kind() == Kind.IDENT && !Set.of("this", "params", "ref", "out", "in", "final").contains(x.text())) {
        last = x.text();
      }
    }
    return last;
  }

  // ------------------------------------------------------------------------------------------------ expressions

  Node expression() {
    if (++depth > MAX_DEPTH) {
      depth--;
      int line = peek().line();
      skipToStatementEnd();
      return new Other("...", line);
    }
    try {
      return assignment();
    } finally {
      depth--;
    }
  }

  private Node assignment() {
    Node left = ternary();
    Token x = peek();
    if (x.kind() == Kind.PUNCT && ASSIGN.contains(x.text())) {
      p++;
      Node right = expression();
      return new Bin(x.text(), left, right, x.line());
    }
    return left;
  }

  private Node ternary() {
    Node c = binary(1);
    if (at("?") && !(lang == Lang.JS && (peek(1).is(")") || peek(1).is(",") || peek(1).is(":")))) {
      int line = peek().line();
      p++;
      Node a = at(":") ? null : expression(); // PHP ?:
      accept(":");
      Node b = expression();
      return new Cond(c, a, b, line);
    }
    return c;
  }

  private Node binary(int minPrec) {
    Node left = unary();
    while (true) {
      Token x = peek();
      String op = x.text();
      Integer prec = null;
      if (x.kind() == Kind.PUNCT || x.kind() == Kind.IDENT && (op.equals("instanceof") || op.equals("in")
          && lang == Lang.JS || op.equals("as") && lang != Lang.PHP || op.equals("is") && lang == Lang.CSHARP
          || (op.equals("or") || op.equals("and")) && lang == Lang.PHP)) {
        prec = BINARY.get(op);
        if (op.equals(".") && lang == Lang.PHP) {
          prec = 10; // PHP concatenation
        }
      }
      if (prec == null || prec < minPrec) {
        return left;
      }
      p++;
      if (op.equals("as") || op.equals("is") || op.equals("instanceof")) {
        // A type follows: TypeScript `x as Foo`, C# `x as T`: keep the value.
        skipTypeAfterAs();
        continue;
      }
      Node right = binary(prec + 1);
      left = new Bin(op, left, right, x.line());
    }
  }

  private void skipTypeAfterAs() {
    if (peek().kind() == Kind.IDENT || peek().kind() == Kind.VAR) {
      p++;
      while (at(".") && peek(1).kind() == Kind.IDENT) {
        p += 2;
      }
      if (at("<")) {
        skipAngles();
      }
      while (at("[") && peek(1).is("]")) {
        p += 2;
      }
    } else if (at("(") || at("{")) {
      skipGroup();
    }
  }

  private Node unary() {
    if (depth > MAX_DEPTH) {
      p++;
      return new Other("...", peek(-1).line());
    }
    depth++;
    try {
      return unary0();
    } finally {
      depth--;
    }
  }

  private Node unary0() {
    Token x = peek();
    if (x.kind() == Kind.PUNCT && Set.of("!", "-", "+", "~", "...", "&", "@", "++", "--").contains(x.text())) {
      p++;
      return new Unary(x.text(), unary(), x.line());
    }
    if (x.kind() == Kind.IDENT && (Set.of("await", "typeof", "void", "delete", "yield", "throw").contains(x.text())
        || lang == Lang.PHP && Set.of("clone", "print", "require", "require_once", "include", "include_once")
            .contains(x.text()))
        && !peek(1).is(".") && !peek(1).is(")") && !peek(1).is(",") && !peek(1).is(";")) {
      p++;
      return new Unary(x.text(), unary(), x.line());
    }
    if (x.is("(") && castAhead()) {
      skipGroup();
      return unary();
    }
    return postfix(primary());
  }

  /** {@code (int) $x}, {@code (string)$x}, C# {@code (long)x}: a parenthesized type name before a value. */
  private boolean castAhead() {
    if (lang == Lang.JS) {
      return false;
    }
    Token a = peek(1);
    Token b = peek(2);
    Token c = peek(3);
    if (a.kind() != Kind.IDENT || !b.is(")")) {
      return false;
    }
    boolean typeWord = Set.of("int", "integer", "string", "bool", "boolean", "float", "double", "array", "object",
        "long", "short", "byte", "char", "decimal", "unset", "binary").contains(a.text())
        || Character.isUpperCase(a.text().charAt(0)) && lang != Lang.PHP;
    return typeWord && (c.kind() == Kind.IDENT || c.kind() == Kind.VAR || c.kind() == Kind.STRING
        || c.kind() == Kind.NUMBER || c.is("(") || c.is("$"));
  }

  private Node postfix(Node n) {
    while (true) {
      Token x = peek();
      if ((x.is(".") && lang != Lang.PHP || x.is("?.") || x.is("->") || x.is("?->") || x.is("::"))) {
        Token name = peek(1);
        if (name.kind() == Kind.IDENT || name.kind() == Kind.VAR) {
          p += 2;
          n = new Member(n, name.text(), name.line());
          continue;
        }
        if (x.is("?.") && (name.is("(") || name.is("["))) { // optional call/index
          p++;
          continue;
        }
        if (x.is("::") && name.kind() == Kind.IDENT) {
          p += 2;
          continue;
        }
        if (name.kind() == Kind.STRING || name.is("{")) { // PHP $obj->{'x'}
          p += 2;
          continue;
        }
        return n;
      }
      if (x.is("(")) {
        int line = x.line();
        List<Arg> args = arguments(")");
        n = new Call(n, args, null, callLine(n, line), peek(-1).end());
        continue;
      }
      if (x.is("<") && (lang != Lang.PHP) && genericCallAhead()) {
        int from = p;
        skipAngles();
        String typeArgs = text(from + 1, p - 1);
        int line = peek().line();
        List<Arg> args = arguments(")");
        n = new Call(n, args, typeArgs, callLine(n, line), peek(-1).end());
        continue;
      }
      if (x.is("[")) {
        int close = matching(p);
        p++;
        Node idx = at("]") ? null : expression();
        p = close + 1;
        n = new Index(n, idx, x.line());
        continue;
      }
      if (x.is("!") && lang == Lang.JS && (peek(1).is(".") || peek(1).is(")") || peek(1).is(",")
          || peek(1).is(";"))) {
        p++; // TypeScript non-null assertion
        continue;
      }
      if ((x.is("++") || x.is("--")) && x.line() == peek(-1).line()) {
        p++;
        continue;
      }
      if (x.kind() == Kind.STRING && lang == Lang.JS && x.text().startsWith("`") && x.line() == peek(-1).line()) {
        p++; // a tagged template: tag`...`
        n = new Call(n, List.of(new Arg(null, str(x))), null, x.line(), x.end());
        continue;
      }
      return n;
    }
  }

  /** The line a call is reported on: the line of its name (a chain spread over lines reports each call's own). */
  private static int callLine(Node callee, int parenLine) {
    if (callee instanceof Member m) {
      return m.line();
    }
    if (callee instanceof Name nm) {
      return nm.line();
    }
    return parenLine;
  }

  /** {@code <T>(} or {@code <A, B.C<D>>(} right here: generic arguments of a call. */
  private boolean genericCallAhead() {
    int d = 0;
    for (int k = p; k < Math.min(t.size(), p + 40); k++) {
      Token x = t.get(k);
      if (x.is("<")) {
        d++;
      } else if (x.is(">")) {
        d--;
        if (d == 0) {
          return k + 1 < t.size() && t.get(k + 1).is("(");
        }
      } else if (!(x.kind() == Kind.IDENT || x.is(",") || x.is(".") || x.is("?") || x.is("[") || x.is("]"))) {
        return false;
      }
    }
    return false;
  }

  private Str str(Token x) {
    return new Str(x.parts(), x.line(), x.start(), x.end());
  }

  private Node primary() {
    Token x = peek();
    int line = x.line();
    switch (x.kind()) {
      case STRING -> {
        p++;
        return str(x);
      }
      case NUMBER -> {
        p++;
        return new Num(x.text(), line);
      }
      case VAR -> {
        p++;
        return new Name(x.text(), line);
      }
      case EOF -> {
        return new Other("", line);
      }
      default -> { }
    }
    if (x.kind() == Kind.IDENT) {
      String w = x.text();
      if (w.equals("new")) {
        return newExpression();
      }
      if (w.equals("function") || w.equals("fn") && lang == Lang.PHP && peek(1).is("(")) {
        return function();
      }
      if ((w.equals("async") || w.equals("static")) && (peek(1).isWord("function") || peek(1).isWord("fn")
          || peek(1).is("(") || peek(1).kind() == Kind.IDENT && peek(2).is("=>"))) {
        p++;
        return primary();
      }
      if (w.equals("array") && lang == Lang.PHP && peek(1).is("(")) {
        p++;
        return new Arr(arguments(")"), line);
      }
      if (w.equals("class") && lang == Lang.JS) {
        return new Cls(classDecl());
      }
      if ((lang == Lang.JS || lang == Lang.CSHARP || lang == Lang.JAVA) && (peek(1).is("=>") || peek(1).is("->")
          && lang == Lang.JAVA)) {
        p += 2;
        return lambdaBody(List.of(w), line);
      }
      p++;
      return new Name(w, line);
    }
    if (x.is("(")) {
      int close = matching(p);
      if (arrowAfter(close)) {
        List<String> params = parameters();
        if (lang == Lang.JS && at(":")) { // (a): Promise<void> =>
          p++;
          skipType();
        }
        if (at("=>") || at("->")) {
          p++;
        }
        return lambdaBody(params, line);
      }
      p++;
      Node e = at(")") ? new Other("()", line) : expression();
      while (accept(",")) {
        if (at(")")) {
          break;
        }
        expression();
      }
      p = close + 1;
      return e;
    }
    if (x.is("[")) {
      return new Arr(arguments("]"), line);
    }
    if (x.is("{") && (lang == Lang.JS || lang == Lang.CSHARP)) {
      return object();
    }
    if (x.is("<") && lang == Lang.JS) { // JSX or an old-style cast: not modelled
      skipAngles();
      return new Other("<...>", line);
    }
    p++;
    return new Other(x.text(), line);
  }

  /** Whether the parenthesis group ending at {@code close} is an arrow function's parameters. */
  private boolean arrowAfter(int close) {
    if (close + 1 >= t.size()) {
      return false;
    }
    Token n = t.get(close + 1);
    if (n.is("=>") || lang == Lang.JAVA && n.is("->")) {
      return true;
    }
    if (lang == Lang.JS && n.is(":")) { // (a: T): R => ...
      for (int k = close + 2; k < Math.min(t.size(), close + 30); k++) {
        if (t.get(k).is("=>")) {
          return true;
        }
        if (t.get(k).is(";") || t.get(k).is("{") && !t.get(k - 1).is(":")) {
          return false;
        }
      }
    }
    return false;
  }

  private Fn lambdaBody(List<String> params, int line) {
    if (at("{")) {
      p++;
      List<Stmt> body = statements(true);
      return new Fn(null, params, body, null, line, peek(-1).line());
    }
    Node e = expression();
    return new Fn(null, params, List.of(), e, line, peek(-1).line());
  }

  /** {@code function [name](params) [use (...)] [: type] { body }} or PHP {@code fn(params) => expr}. */
  private Fn function() {
    int line = peek().line();
    boolean arrow = atWord("fn");
    p++;
    accept("&");
    accept("*");
    String name = null;
    if (peek().kind() == Kind.IDENT) {
      name = peek().text();
      p++;
    }
    if (arrow) {
      List<String> params = parameters();
      while (!eof() && !at("=>") && !at(";")) {
        p++; // return type
      }
      accept("=>");
      Node e = expression();
      return new Fn(name, params, List.of(), e, line, peek(-1).line());
    }
    return methodRest(name, line);
  }

  private Node newExpression() {
    int line = peek().line();
    p++;
    if (atWord("class")) { // PHP anonymous class
      return new Cls(classDecl());
    }
    StringBuilder type = new StringBuilder();
    while (peek().kind() == Kind.IDENT || at(".") && peek(1).kind() == Kind.IDENT) {
      if (at(".")) {
        type.append('.');
        p++;
      }
      type.append(peek().text());
      p++;
    }
    if (at("<")) {
      skipAngles();
    }
    while (at("[")) { // new[] { ... }, new int[3]
      skipGroup();
    }
    List<Arg> args = at("(") ? arguments(")") : List.of();
    Node init = null;
    if (at("{") && lang != Lang.PHP && lang != Lang.JS) {
      init = object();
    }
    String simple = type.toString();
    int bs = simple.lastIndexOf('\\');
    return new New(bs >= 0 ? simple.substring(bs + 1) : simple, args, init, line);
  }

  /** At an opening bracket: the items up to {@code close} (named: PHP {@code 'k' => v}, C#/PHP {@code name: v}). */
  private List<Arg> arguments(String close) {
    List<Arg> out = new ArrayList<>();
    int end = matching(p);
    p++;
    while (p < end) {
      if (accept(",")) {
        continue;
      }
      int before = p;
      String name = null;
      if ((lang == Lang.PHP || lang == Lang.CSHARP) && peek().kind() == Kind.IDENT && peek(1).is(":")
          && !peek(1).is("::")) {
        name = peek().text();
        p += 2;
      }
      if (lang == Lang.CSHARP && (atWord("out") || atWord("ref") || atWord("in")) && peek(1).kind() == Kind.IDENT) {
        p++;
      }
      Node v = expression();
      if (at("=>") && close.equals("]") || at("=>") && lang == Lang.PHP) {
        p++;
        Node value = expression();
        out.add(new Arg(keyOf(v), value));
      } else {
        out.add(new Arg(name, v));
      }
      if (p == before) {
        p++;
      }
      if (p > end) {
        break;
      }
      // Anything left before the next comma (an unmodelled operator) is skipped.
      while (p < end && !at(",")) {
        if (at("(") || at("[") || at("{")) {
          skipGroup();
        } else {
          p++;
        }
      }
    }
    p = end + 1;
    return out;
  }

  private static String keyOf(Node n) {
    if (n instanceof Str s && s.plain()) {
      return s.value();
    }
    if (n instanceof Num num) {
      return num.text();
    }
    if (n instanceof Name nm) {
      return nm.name();
    }
    return "?";
  }

  /** At {@code {}: a JavaScript object literal, or a C# object/collection initializer. */
  private Node object() {
    int line = peek().line();
    int end = matching(p);
    p++;
    List<Arg> entries = new ArrayList<>();
    while (p < end) {
      if (accept(",")) {
        continue;
      }
      int before = p;
      objectEntry(entries, end);
      if (p == before) {
        p++;
      }
      while (p < end && !at(",")) {
        if (at("(") || at("[") || at("{")) {
          skipGroup();
        } else {
          p++;
        }
      }
    }
    p = end + 1;
    return new Obj(entries, line);
  }

  private void objectEntry(List<Arg> entries, int end) {
    if (accept("...")) {
      entries.add(new Arg(null, new Unary("...", expression(), peek().line())));
      return;
    }
    int line = peek().line();
    // Method shorthand: [async] [get|set] name(params) { body }
    int k = p;
    while (t.get(k).kind() == Kind.IDENT && Set.of("async", "get", "set", "static").contains(t.get(k).text())
        && (t.get(k + 1).kind() == Kind.IDENT || t.get(k + 1).kind() == Kind.STRING)) {
      k++;
    }
    Token keyTok = t.get(k);
    if ((keyTok.kind() == Kind.IDENT || keyTok.kind() == Kind.STRING) && t.get(k + 1).is("(") && lang == Lang.JS) {
      String key = keyTok.kind() == Kind.STRING ? keyTok.parts().get(0) : keyTok.text();
      p = k + 1;
      Fn fn = methodRest(key, line);
      entries.add(new Arg(key, fn));
      return;
    }
    if (at("[") && lang == Lang.JS) { // [computed]: value
      skipGroup();
      if (accept(":")) {
        entries.add(new Arg("?", expression()));
      }
      return;
    }
    Token first = peek();
    if ((first.kind() == Kind.IDENT || first.kind() == Kind.STRING || first.kind() == Kind.NUMBER)
        && (peek(1).is(":") && lang == Lang.JS || peek(1).is("=") && lang == Lang.CSHARP)) {
      String key = first.kind() == Kind.STRING ? (first.parts().isEmpty() ? "" : first.parts().get(0)) : first.text();
      p += 2;
      entries.add(new Arg(key, expression()));
      return;
    }
    if (first.kind() == Kind.IDENT && (peek(1).is(",") || p + 1 == end) && lang == Lang.JS) {
      p++; // shorthand { a }
      entries.add(new Arg(first.text(), new Name(first.text(), line)));
      return;
    }
    entries.add(new Arg(null, expression()));
  }
}
