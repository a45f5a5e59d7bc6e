package dev.tollgate.probes.migration.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of Ruby source, as much of Ruby as migrations, schema dumps and model classes use: identifiers, constants,
 * symbols and labels, strings (single, double with interpolation, {@code %q()}, {@code %w[]}/{@code %i[]} arrays,
 * heredocs {@code <<~SQL}), numbers, punctuation, keywords, newlines. Comments ({@code #}, {@code =begin}) are
 * skipped. Never throws: an unterminated construct ends the token stream with an {@link Kind#ERROR} token at its line.
 */
final class RubyLexer {
  enum Kind { IDENT, CONST, IVAR, SYMBOL, LABEL, STRING, WORDS, SYMBOLS, NUMBER, PUNCT, NEWLINE, ERROR, EOF }

  /**
   * One token.
   *
   * @param text the identifier, the symbol's or label's name, the operator, or a string's value (escapes resolved
   *     for plain strings; a heredoc's body as written)
   * @param start offset of the token in the source
   * @param end offset after it (for a heredoc: after the opener; the body is {@code bodyStart..bodyEnd})
   * @param interpolated a string with {@code #{...}}
   * @param bodyStart where the string's content starts in the source ({@code -1} when escapes changed it)
   * @param bodyEnd where it ends
   * @param bodyLine the line its content starts on
   * @param words the elements of a {@code %w[]}/{@code %i[]} array
   * @param spaceBefore whitespace separates it from the previous token
   */
  record Token(Kind kind, String text, int line, int start, int end, boolean interpolated, int bodyStart, int bodyEnd,
      int bodyLine, List<String> words, boolean spaceBefore) {
    boolean is(String s) {
      return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(s);
    }
  }

  private static final java.util.Set<String> VALUE_END_KEYWORDS = java.util.Set.of("end", "self", "true", "false", "nil");

  private final String src;
  private final List<Token> out = new ArrayList<>();
  private final List<int[]> pendingHeredocs = new ArrayList<>(); // {token index, squiggly/dash, interpolating}
  private final List<String> pendingIds = new ArrayList<>();
  private int pos;
  private int line = 1;
  private boolean space;

  private RubyLexer(String src) {
    this.src = src;
  }

  static List<Token> lex(String src) {
    RubyLexer l = new RubyLexer(src);
    l.run();
    return l.out;
  }

  private void run() {
    int n = src.length();
    while (pos < n) {
      char c = src.charAt(pos);
      if (c == '\n') {
        add(Kind.NEWLINE, "\n", pos, pos + 1);
        pos++;
        line++;
        if (!pendingHeredocs.isEmpty() && !readHeredocBodies()) {
          return;
        }
        if (src.startsWith("=begin", pos)) {
          int e = src.indexOf("\n=end", pos);
          if (e < 0) {
            return;
          }
          countLines(pos, e + 1);
          pos = e + 1;
          int nl = src.indexOf('\n', pos);
          pos = nl < 0 ? n : nl;
        }
        if (src.startsWith("__END__", pos) && (pos + 7 == n || src.charAt(pos + 7) == '\n')) {
          return;
        }
        space = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
        space = true;
        continue;
      }
      if (c == '\\' && pos + 1 < n && src.charAt(pos + 1) == '\n') {
        pos += 2; // line continuation
        line++;
        space = true;
        continue;
      }
      if (c == '#') {
        while (pos < n && src.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      int start = pos;
      if (c == '"' || c == '\'' || c == '`') {
        if (!string(c, c, c != '\'', start)) {
          return;
        }
      } else if (c == '%' && percentLiteral()) {
        if (error()) {
          return;
        }
      } else if (c == '<' && src.startsWith("<<", pos) && heredocOpener()) {
        continue;
      } else if (c == ':' && pos + 1 < n && src.charAt(pos + 1) == ':') {
        add(Kind.PUNCT, "::", start, pos + 2);
        pos += 2;
      } else if (c == ':' && pos + 1 < n && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '\'')) {
        pos++;
        char q = src.charAt(pos);
        if (!string(q, q, q == '"', start)) {
          return;
        }
        Token t = out.remove(out.size() - 1);
        out.add(new Token(Kind.SYMBOL, t.text(), t.line(), start, t.end(), t.interpolated(), -1, -1, t.line(), List.of(),
            t.spaceBefore()));
      } else if (c == ':' && pos + 1 < n && isIdentStart(src.charAt(pos + 1))) {
        pos++;
        String name = identifier();
        add(Kind.SYMBOL, name, start, pos);
      } else if (isIdentStart(c) || c == '@' || c == '$') {
        boolean ivar = c == '@' || c == '$';
        while (pos < n && (src.charAt(pos) == '@' || src.charAt(pos) == '$')) {
          pos++;
        }
        String name = identifier();
        if (!ivar && pos < n && src.charAt(pos) == ':' && (pos + 1 >= n || src.charAt(pos + 1) != ':')
            && !(previousIs("?"))) {
          pos++;
          add(Kind.LABEL, name, start, pos);
        } else {
          Kind k = ivar ? Kind.IVAR : Character.isUpperCase(name.charAt(0)) ? Kind.CONST : Kind.IDENT;
          add(k, name, start, pos);
        }
      } else if (Character.isDigit(c)) {
        while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
            || src.charAt(pos) == '.' && pos + 1 < n && Character.isDigit(src.charAt(pos + 1)))) {
          pos++;
        }
        add(Kind.NUMBER, src.substring(start, pos).replace("_", ""), start, pos);
      } else {
        String op = operator();
        add(Kind.PUNCT, op, start, pos);
      }
    }
    if (!pendingHeredocs.isEmpty()) {
      add(Kind.ERROR, "unterminated heredoc " + pendingIds.get(0), pos, pos);
    }
    add(Kind.EOF, "", pos, pos);
  }

  private boolean error() {
    return !out.isEmpty() && out.get(out.size() - 1).kind() == Kind.ERROR;
  }

  private boolean previousIs(String text) {
    return !out.isEmpty() && out.get(out.size() - 1).text().equals(text) && out.get(out.size() - 1).kind() == Kind.PUNCT;
  }

  private static final String[] OPERATORS = {"**=", "<=>", "===", "...", "<<=", ">>=", "&&=", "||=", "&.", "=>", "->",
      "==", "!=", ">=", "<=", "&&", "||", "<<", ">>", "**", "+=", "-=", "*=", "/=", "|=", "&=", "=~", "!~", ".."};

  private String operator() {
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    return String.valueOf(src.charAt(pos++));
  }

  private static boolean isIdentStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private String identifier() {
    int s = pos;
    while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    // Method names may end in ? or ! (column_exists?, disable_ddl_transaction!), not followed by = (a != b).
    if (pos < src.length() && (src.charAt(pos) == '?' || src.charAt(pos) == '!')
        && (pos + 1 >= src.length() || src.charAt(pos + 1) != '=')) {
      if (!(src.charAt(pos) == '?' && pos + 1 < src.length() && src.charAt(pos + 1) == ':')) {
        pos++;
      }
    }
    return src.substring(s, pos);
  }

  private void add(Kind k, String text, int start, int end) {
    out.add(new Token(k, text, line, start, end, false, -1, -1, line, List.of(), space));
    space = false;
  }

  private void countLines(int from, int to) {
    for (int i = from; i < to && i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
  }

  /** A quoted string from {@code pos} (at the opening quote); escapes resolved, interpolation skipped. */
  private boolean string(char open, char close, boolean interpolating, int tokenStart) {
    int startLine = line;
    pos++;
    int bodyStart = pos;
    StringBuilder b = new StringBuilder();
    boolean escaped = false;
    boolean interpolated = false;
    int depth = 0;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        line++;
      }
      if (c == '\\' && pos + 1 < src.length()) {
        char e = src.charAt(pos + 1);
        escaped = true;
        if (interpolating) {
          b.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 's' -> ' ';
            case '0' -> '\0';
            default -> e;
          });
        } else {
          b.append(e == close || e == '\\' || e == open ? String.valueOf(e) : "\\" + e);
        }
        if (e == '\n') {
          line++;
        }
        pos += 2;
        continue;
      }
      if (interpolating && c == '#' && pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
        interpolated = true;
        int end = skipInterpolation(pos + 2);
        if (end < 0) {
          add(Kind.ERROR, "unterminated interpolation", tokenStart, pos);
          return false;
        }
        b.append(src, pos, end);
        countLines(pos, end);
        pos = end;
        continue;
      }
      if (c == open && open != close) {
        depth++;
      } else if (c == close) {
        if (depth == 0) {
          int bodyEnd = pos;
          pos++;
          out.add(new Token(Kind.STRING, b.toString(), startLine, tokenStart, pos, interpolated,
              escaped ? -1 : bodyStart, escaped ? -1 : bodyEnd, startLine, List.of(), space));
          space = false;
          return true;
        }
        depth--;
      }
      b.append(c);
      pos++;
    }
    line = startLine;
    add(Kind.ERROR, "unterminated string", tokenStart, pos);
    return false;
  }

  /** From just after {@code #{}, the offset after its closing brace (strings inside skipped), or -1. */
  private int skipInterpolation(int from) {
    int depth = 1;
    int i = from;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth == 0) {
          return i + 1;
        }
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < src.length() && src.charAt(j) != c) {
          j += src.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      }
      i++;
    }
    return -1;
  }

  /** {@code %w[a b]}, {@code %i(a b)}, {@code %q{...}}, {@code %Q[...]}, {@code %(...)}; false for the operator. */
  private boolean percentLiteral() {
    if (pos + 1 >= src.length()) {
      return false;
    }
    Token prev = out.isEmpty() ? null : out.get(out.size() - 1);
    boolean valuePosition = prev == null || prev.kind() == Kind.PUNCT && !prev.text().equals(")") && !prev.text().equals("]")
        && !prev.text().equals("}") || prev.kind() == Kind.NEWLINE || prev.kind() == Kind.LABEL
        || (prev.kind() == Kind.IDENT && !VALUE_END_KEYWORDS.contains(prev.text()) && space);
    if (!valuePosition) {
      return false;
    }
    char t = src.charAt(pos + 1);
    int delimAt = "wWiIqQ".indexOf(t) >= 0 ? pos + 2 : pos + 1;
    if (delimAt >= src.length()) {
      return false;
    }
    char open = src.charAt(delimAt);
    char close = switch (open) {
      case '(' -> ')';
      case '[' -> ']';
      case '{' -> '}';
      case '<' -> '>';
      default -> Character.isLetterOrDigit(open) || Character.isWhitespace(open) ? 0 : open;
    };
    if (close == 0) {
      return false;
    }
    int tokenStart = pos;
    pos = delimAt;
    boolean words = t == 'w' || t == 'W' || t == 'i' || t == 'I';
    if (!string(open, close, t == 'Q' || t == 'W' || t == 'I' || delimAt == pos && "wWiIqQ".indexOf(t) < 0, tokenStart)) {
      return true;
    }
    Token s = out.remove(out.size() - 1);
    if (words) {
      List<String> items = new ArrayList<>();
      for (String w : s.text().strip().split("\\s+")) {
        if (!w.isEmpty()) {
          items.add(w);
        }
      }
      out.add(new Token(t == 'i' || t == 'I' ? Kind.SYMBOLS : Kind.WORDS, s.text(), s.line(), tokenStart, s.end(), false,
          -1, -1, s.line(), List.copyOf(items), s.spaceBefore()));
    } else {
      out.add(new Token(Kind.STRING, s.text(), s.line(), tokenStart, s.end(), s.interpolated(), s.bodyStart(),
          s.bodyEnd(), s.bodyLine(), List.of(), s.spaceBefore()));
    }
    return true;
  }

  /** {@code <<~ID}, {@code <<-ID}, {@code <<ID}, quoted ids: the token now, the body after this line. */
  private boolean heredocOpener() {
    int i = pos + 2;
    boolean squiggly = false;
    if (i < src.length() && (src.charAt(i) == '~' || src.charAt(i) == '-')) {
      squiggly = true;
      i++;
    }
    if (i >= src.length()) {
      return false;
    }
    char q = src.charAt(i);
    boolean interpolating = true;
    String id;
    int end;
    if (q == '\'' || q == '"' || q == '`') {
      int close = src.indexOf(q, i + 1);
      if (close < 0 || src.substring(i + 1, close).contains("\n")) {
        return false;
      }
      id = src.substring(i + 1, close);
      interpolating = q != '\'';
      end = close + 1;
    } else if (Character.isUpperCase(q) || q == '_' || squiggly && Character.isLetter(q)) {
      int j = i;
      while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
        j++;
      }
      id = src.substring(i, j);
      end = j;
    } else {
      return false;
    }
    int start = pos;
    out.add(new Token(Kind.STRING, "", line, start, end, false, -1, -1, line, List.of(), space));
    space = false;
    pendingHeredocs.add(new int[] {out.size() - 1, squiggly ? 1 : 0, interpolating ? 1 : 0});
    pendingIds.add(id);
    pos = end;
    return true;
  }

  /** At the start of a line after heredoc openers: reads their bodies in order. */
  private boolean readHeredocBodies() {
    for (int k = 0; k < pendingHeredocs.size(); k++) {
      int[] h = pendingHeredocs.get(k);
      String id = pendingIds.get(k);
      int bodyStart = pos;
      int bodyLine = line;
      while (true) {
        if (pos >= src.length()) {
          add(Kind.ERROR, "unterminated heredoc " + id, bodyStart, pos);
          pendingHeredocs.clear();
          pendingIds.clear();
          return false;
        }
        int nl = src.indexOf('\n', pos);
        int lineEnd = nl < 0 ? src.length() : nl;
        String l = src.substring(pos, lineEnd);
        if ((h[1] == 1 ? l.strip() : l.stripTrailing()).equals(id)) {
          Token t = out.get(h[0]);
          String body = src.substring(bodyStart, pos);
          boolean interpolated = h[2] == 1 && body.contains("#{");
          out.set(h[0], new Token(Kind.STRING, body, t.line(), t.start(), t.end(), interpolated, bodyStart, pos, bodyLine,
              List.of(), t.spaceBefore()));
          pos = nl < 0 ? src.length() : nl + 1;
          line++;
          break;
        }
        pos = nl < 0 ? src.length() : nl + 1;
        line++;
      }
    }
    pendingHeredocs.clear();
    pendingIds.clear();
    return true;
  }
}
