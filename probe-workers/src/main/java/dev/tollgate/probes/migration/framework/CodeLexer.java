package dev.tollgate.probes.migration.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of a C-family source file — PHP, JavaScript/TypeScript, C#, Java — for the framework readers: identifiers,
 * strings (decoded, with their interpolated holes kept apart), numbers and punctuation, each with its line. Comments
 * and whitespace are dropped. Never throws: an unterminated string or comment runs to the end of the file.
 */
final class CodeLexer {
  /** The languages it reads; they differ in strings, comments and variables. */
  enum Lang { PHP, JS, CSHARP, JAVA }

  enum Kind { IDENT, VAR, STRING, NUMBER, PUNCT, EOF }

  /**
   * One token.
   *
   * @param text the token as written (for a string: its source, quotes included)
   * @param parts for a string, its pieces: literal text at even indexes, the source of each interpolated expression
   *     ({@code ${table}}, {@code {$table}}, {@code {name}}) at odd indexes; null for other tokens
   */
  record Token(Kind kind, String text, int start, int end, int line, List<String> parts) {
    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }

    boolean isWord(String word) {
      return kind == Kind.IDENT && text.equals(word);
    }
  }

  private static final String[] PUNCTS = {"?->", "===", "!==", "...", "<=>", "??=", "->", "=>", "::", "?.", "??", "==",
      "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", ".=", "%=", "|=", "&=", "<<", "#["};

  private final String src;
  private final Lang lang;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int line = 1;

  private CodeLexer(String src, Lang lang) {
    this.src = src;
    this.lang = lang;
  }

  static List<Token> lex(String text, Lang lang) {
    CodeLexer l = new CodeLexer(text, lang);
    l.run();
    return l.out;
  }

  private void run() {
    if (lang == Lang.PHP && src.startsWith("<?php")) {
      pos = 5;
    }
    while (true) {
      skipSpaceAndComments();
      if (pos >= src.length()) {
        out.add(new Token(Kind.EOF, "", pos, pos, line, null));
        return;
      }
      int start = pos;
      int startLine = line;
      char c = src.charAt(pos);
      if (lang == Lang.PHP && c == '$' && pos + 1 < src.length() && isIdentStart(src.charAt(pos + 1))) {
        pos++;
        readIdentChars();
        out.add(new Token(Kind.VAR, src.substring(start, pos), start, pos, startLine, null));
      } else if (isIdentStart(c) && !(lang == Lang.PHP && c == '$') || (lang == Lang.PHP && c == '\\' && pos + 1 < src.length()
          && isIdentStart(src.charAt(pos + 1)))
          || (lang == Lang.CSHARP && c == '@' && pos + 1 < src.length() && isIdentStart(src.charAt(pos + 1)))) {
        if (c == '@') {
          pos++;
        }
        readIdentChars();
        if (lang == Lang.PHP) {
          // Qualified PHP names (\Illuminate\Support\Facades\DB) are one identifier.
          while (pos + 1 < src.length() && src.charAt(pos) == '\\' && isIdentStart(src.charAt(pos + 1))) {
            pos++;
            readIdentChars();
          }
        }
        if (pos == start) {
          pos++; // never stall on a character that only looked like an identifier's start
        }
        out.add(new Token(Kind.IDENT, src.substring(start, pos), start, pos, startLine, null));
      } else if (Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
        readNumber();
        out.add(new Token(Kind.NUMBER, src.substring(start, pos), start, pos, startLine, null));
      } else if (stringStart()) {
        List<String> parts = readString();
        out.add(new Token(Kind.STRING, src.substring(start, pos), start, pos, startLine, parts));
      } else {
        String p = punct();
        pos += p.length();
        out.add(new Token(Kind.PUNCT, p, start, pos, startLine, null));
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
      } else if (Character.isWhitespace(c) || c == '\uFEFF') {
        pos++;
      } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/'
          || lang == Lang.PHP && c == '#' && !(pos + 1 < src.length() && src.charAt(pos + 1) == '[')) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
        int end = src.indexOf("*/", pos + 2);
        end = end < 0 ? src.length() : end + 2;
        advanceTo(end);
      } else if (lang == Lang.CSHARP && c == '#' && atLineStart()) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++; // a preprocessor directive (#nullable disable, #region)
        }
      } else if (lang == Lang.PHP && src.startsWith("?>", pos)) {
        pos += 2; // closing tag; migrations have no inline HTML after it
      } else {
        return;
      }
    }
  }

  private boolean atLineStart() {
    for (int i = pos - 1; i >= 0; i--) {
      char c = src.charAt(i);
      if (c == '\n') {
        return true;
      }
      if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF') {
        return false;
      }
    }
    return true;
  }

  private void advanceTo(int end) {
    for (int i = pos; i < end && i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    pos = Math.min(end, src.length());
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '$';
  }

  private void readIdentChars() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || (c == '$' && lang != Lang.PHP)) {
        pos++;
      } else {
        return;
      }
    }
  }

  private void readNumber() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' && pos + 1 < src.length()
          && Character.isDigit(src.charAt(pos + 1))) {
        pos++;
      } else {
        return;
      }
    }
  }

  private String punct() {
    for (String p : PUNCTS) {
      if (src.startsWith(p, pos)) {
        if (p.equals("#[") && lang != Lang.PHP) {
          continue;
        }
        return p;
      }
    }
    return String.valueOf(src.charAt(pos));
  }

  // ------------------------------------------------------------------------------------------------ strings

  private boolean stringStart() {
    char c = src.charAt(pos);
    return switch (lang) {
      case PHP -> c == '\'' || c == '"' || src.startsWith("<<<", pos);
      case JS -> c == '\'' || c == '"' || c == '`' || c == '/' && regexAllowed();
      case CSHARP -> c == '"' || c == '\'' || (c == '@' || c == '$') && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '"' || (src.charAt(pos + 1) == '@' || src.charAt(pos + 1) == '$')
              && pos + 2 < src.length() && src.charAt(pos + 2) == '"');
      case JAVA -> c == '"' || c == '\'';
    };
  }

  /** A JavaScript {@code /} starts a regular expression after an operator or keyword, and divides after a value. */
  private boolean regexAllowed() {
    if (pos + 1 < src.length() && (src.charAt(pos + 1) == '/' || src.charAt(pos + 1) == '*')) {
      return false;
    }
    if (out.isEmpty()) {
      return true;
    }
    Token prev = out.get(out.size() - 1);
    return switch (prev.kind()) {
      case PUNCT -> !prev.is(")") && !prev.is("]") && !prev.is("}");
      case IDENT -> List.of("return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw")
          .contains(prev.text());
      default -> false;
    };
  }

  private List<String> readString() {
    char c = src.charAt(pos);
    if (lang == Lang.PHP && c == '<') {
      return phpHeredoc();
    }
    if (lang == Lang.JS && c == '/') {
      return regex();
    }
    if (lang == Lang.CSHARP && (c == '@' || c == '$')) {
      boolean verbatim = false;
      boolean interpolated = false;
      while (src.charAt(pos) != '"') {
        verbatim |= src.charAt(pos) == '@';
        interpolated |= src.charAt(pos) == '$';
        pos++;
      }
      if (src.startsWith("\"\"\"", pos)) {
        return csRaw(interpolated);
      }
      return quoted('"', !verbatim, interpolated ? Hole.BRACE : Hole.NONE, verbatim);
    }
    if ((lang == Lang.CSHARP || lang == Lang.JAVA) && src.startsWith("\"\"\"", pos)) {
      return lang == Lang.JAVA ? javaTextBlock() : csRaw(false);
    }
    return switch (c) {
      case '`' -> quoted('`', true, Hole.DOLLAR_BRACE, false);
      case '"' -> quoted('"', true, lang == Lang.PHP ? Hole.PHP : Hole.NONE, false);
      default -> quoted('\'', lang != Lang.PHP, Hole.NONE, false); // PHP '...' only escapes \' and \\
    };
  }

  private enum Hole { NONE, DOLLAR_BRACE, BRACE, PHP }

  /**
   * A quoted string from {@code pos} (at the opening quote).
   *
   * @param escapes backslash escapes are decoded (else PHP single quotes: only {@code \'} and {@code \\})
   * @param doubledQuote {@code ""} is a quote (C# verbatim strings)
   */
  private List<String> quoted(char quote, boolean escapes, Hole holes, boolean doubledQuote) {
    List<String> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    pos++;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == quote) {
        if (doubledQuote && pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
          lit.append(quote);
          pos += 2;
          continue;
        }
        pos++;
        break;
      }
      if (c == '\n') {
        line++;
        if (quote != '`' && !doubledQuote && lang != Lang.PHP) {
          pos++;
          break; // an unterminated one-line string ends at the line's end
        }
      }
      if (c == '\\' && !doubledQuote && pos + 1 < src.length()) {
        char n = src.charAt(pos + 1);
        if (escapes) {
          lit.append(switch (n) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '0' -> '\0';
            default -> n;
          });
          if (n == '\n') {
            line++;
          }
          pos += 2;
          continue;
        }
        if (n == quote || n == '\\') {
          lit.append(n);
          pos += 2;
          continue;
        }
      }
      if (holes == Hole.DOLLAR_BRACE && c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
        parts.add(lit.toString());
        lit.setLength(0);
        parts.add(balanced(pos + 2, '{', '}'));
        continue;
      }
      if (holes == Hole.BRACE && c == '{') {
        if (pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
          lit.append('{');
          pos += 2;
          continue;
        }
        parts.add(lit.toString());
        lit.setLength(0);
        parts.add(balanced(pos + 1, '{', '}'));
        continue;
      }
      if (holes == Hole.BRACE && c == '}' && pos + 1 < src.length() && src.charAt(pos + 1) == '}') {
        lit.append('}');
        pos += 2;
        continue;
      }
      if (holes == Hole.PHP && c == '$' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
        parts.add(lit.toString()); // "${name}": PHP's older interpolation syntax
        lit.setLength(0);
        parts.add(balanced(pos + 2, '{', '}'));
        continue;
      }
      if (holes == Hole.PHP && (c == '$' && pos + 1 < src.length() && isIdentStart(src.charAt(pos + 1))
          || c == '{' && pos + 1 < src.length() && src.charAt(pos + 1) == '$')) {
        parts.add(lit.toString());
        lit.setLength(0);
        parts.add(phpHole());
        continue;
      }
      lit.append(c);
      pos++;
    }
    parts.add(lit.toString());
    return parts;
  }

  /** The source between an opening bracket (just before {@code from}) and its match; {@code pos} moves past it. */
  private String balanced(int from, char open, char close) {
    int depth = 1;
    int i = from;
    while (i < src.length() && depth > 0) {
      char c = src.charAt(i);
      if (c == open) {
        depth++;
      } else if (c == close) {
        depth--;
      } else if (c == '\n') {
        line++;
      }
      i++;
    }
    String inner = src.substring(from, Math.max(from, depth == 0 ? i - 1 : i));
    pos = i;
    return inner.strip();
  }

  /** {@code $name}, {@code $obj->prop}, {@code $arr[key]} or {@code {$expr}} inside a PHP double-quoted string. */
  private String phpHole() {
    if (src.charAt(pos) == '{') {
      return balanced(pos + 1, '{', '}');
    }
    int start = pos;
    pos++;
    readIdentChars();
    if (src.startsWith("->", pos) && pos + 2 < src.length() && isIdentStart(src.charAt(pos + 2))) {
      pos += 2;
      readIdentChars();
    } else if (pos < src.length() && src.charAt(pos) == '[') {
      int close = src.indexOf(']', pos);
      if (close > 0 && close - pos < 40) {
        pos = close + 1;
      }
    }
    return src.substring(start, pos);
  }

  /** {@code <<<EOT ... EOT} (interpolated like double quotes) or {@code <<<'EOT' ... EOT} (nowdoc: literal). */
  private List<String> phpHeredoc() {
    int i = pos + 3;
    while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
      i++;
    }
    boolean nowdoc = i < src.length() && src.charAt(i) == '\'';
    boolean quotedLabel = nowdoc || i < src.length() && src.charAt(i) == '"';
    if (quotedLabel) {
      i++;
    }
    int ls = i;
    while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
      i++;
    }
    String label = src.substring(ls, i);
    if (label.isEmpty()) {
      pos += 3;
      return List.of("");
    }
    int bodyStart = src.indexOf('\n', i);
    if (bodyStart < 0) {
      pos = src.length();
      return List.of("");
    }
    bodyStart++;
    // The closing label: alone on a line, possibly indented (PHP 7.3+), possibly followed by ; or ).
    int close = -1;
    int lineStart = bodyStart;
    while (lineStart <= src.length()) {
      int e = src.indexOf('\n', lineStart);
      String l = src.substring(lineStart, e < 0 ? src.length() : e).stripLeading();
      if (l.startsWith(label) && (l.length() == label.length() || !Character.isLetterOrDigit(l.charAt(label.length()))
          && l.charAt(label.length()) != '_')) {
        close = lineStart;
        break;
      }
      if (e < 0) {
        break;
      }
      lineStart = e + 1;
    }
    int bodyEnd = close < 0 ? src.length() : Math.max(bodyStart, close - 1);
    String body = src.substring(bodyStart, Math.max(bodyStart, bodyEnd));
    advanceTo(bodyStart);
    List<String> parts;
    if (nowdoc) {
      parts = List.of(body);
      advanceTo(bodyEnd);
    } else {
      // The body reads like a double-quoted string's content (escapes, $holes) up to a sentinel quote.
      CodeLexer inner = new CodeLexer(body + "\"", Lang.PHP);
      inner.pos = -1; // quoted() steps over the opening quote first
      parts = inner.quoted('"', true, Hole.PHP, false);
      advanceTo(bodyEnd);
    }
    if (close >= 0) {
      int after = src.indexOf(label, close) + label.length();
      advanceTo(after);
    }
    return parts;
  }

  /** A JavaScript regular expression literal: kept as an opaque string. */
  private List<String> regex() {
    int start = pos;
    pos++;
    boolean inClass = false;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c == '\n') {
        break;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (c == '/' && !inClass) {
        pos++;
        break;
      }
      pos++;
    }
    while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
      pos++;
    }
    return List.of(src.substring(start, Math.min(pos, src.length())));
  }

  /** A Java text block: content lines with their common indentation removed. */
  private List<String> javaTextBlock() {
    int bodyStart = src.indexOf('\n', pos + 3);
    int end = src.indexOf("\"\"\"", bodyStart < 0 ? pos + 3 : bodyStart);
    if (bodyStart < 0 || end < 0) {
      advanceTo(src.length());
      return List.of("");
    }
    String body = src.substring(bodyStart + 1, end);
    advanceTo(end + 3);
    return List.of(stripIndent(body).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
  }

  /** A C# 11 raw string literal ({@code """ ... """}), optionally interpolated. */
  private List<String> csRaw(boolean interpolated) {
    int q = pos;
    while (q < src.length() && src.charAt(q) == '"') {
      q++;
    }
    String fence = src.substring(pos, q);
    int end = src.indexOf(fence, q);
    if (end < 0) {
      advanceTo(src.length());
      return List.of("");
    }
    String body = src.substring(q, end);
    advanceTo(end + fence.length());
    if (body.startsWith("\n") || body.startsWith("\r\n")) {
      body = stripIndent(body.substring(body.indexOf('\n') + 1));
    }
    if (!interpolated) {
      return List.of(body);
    }
    List<String> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '{') {
        int close = body.indexOf('}', i);
        if (close < 0) {
          lit.append(body.substring(i));
          break;
        }
        parts.add(lit.toString());
        lit.setLength(0);
        parts.add(body.substring(i + 1, close).strip());
        i = close;
      } else {
        lit.append(c);
      }
    }
    parts.add(lit.toString());
    return parts;
  }

  private static String stripIndent(String body) {
    String[] lines = body.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        int n = 0;
        while (n < l.length() && (l.charAt(n) == ' ' || l.charAt(n) == '\t')) {
          n++;
        }
        indent = Math.min(indent, n);
      }
    }
    if (indent == Integer.MAX_VALUE) {
      indent = 0;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      b.append(l.length() >= indent ? l.substring(indent) : l.strip());
      if (i < lines.length - 1) {
        b.append('\n');
      }
    }
    return b.toString();
  }
}
