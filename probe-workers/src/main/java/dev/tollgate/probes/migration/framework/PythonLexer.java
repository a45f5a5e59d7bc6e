package dev.tollgate.probes.migration.framework;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of Python source, as much as Django and Alembic migrations and ORM models use: names, numbers, strings (any
 * prefix, triple quotes, escapes, f-strings noticed), operators, and the logical lines with INDENT/DEDENT that blocks
 * need ({@code def upgrade():}, {@code with op.batch_alter_table(...) as batch_op:}). Comments are skipped; brackets
 * join lines. Never throws: an unterminated string ends the stream with an ERROR token.
 */
final class PythonLexer {
  enum Kind { NAME, NUMBER, STRING, OP, NEWLINE, INDENT, DEDENT, ERROR, EOF }

  /**
   * One token.
   *
   * @param text a name, number or operator; a string's value (escapes resolved unless raw)
   * @param bodyStart where a string's content starts in the source, -1 when escapes make the value differ from it
   * @param bodyEnd where it ends
   * @param formatted an f-string with a {@code {...}} field
   */
  record Token(Kind kind, String text, int line, int start, int end, int bodyStart, int bodyEnd, boolean formatted) {
    boolean is(String s) {
      return (kind == Kind.OP || kind == Kind.NAME) && text.equals(s);
    }
  }

  private final String src;
  private final List<Token> out = new ArrayList<>();
  private final List<Integer> indents = new ArrayList<>(List.of(0));
  private int pos;
  private int line = 1;
  private int depth;

  private PythonLexer(String src) {
    this.src = src;
  }

  static List<Token> lex(String src) {
    PythonLexer l = new PythonLexer(src);
    l.run();
    return l.out;
  }

  private void run() {
    boolean lineStart = true;
    while (pos < src.length()) {
      if (lineStart && depth == 0) {
        int col = 0;
        int p = pos;
        while (p < src.length() && (src.charAt(p) == ' ' || src.charAt(p) == '\t')) {
          col += src.charAt(p) == '\t' ? 8 - col % 8 : 1;
          p++;
        }
        if (p >= src.length() || src.charAt(p) == '\n' || src.charAt(p) == '#' || src.charAt(p) == '\r') {
          // blank or comment-only line: no indentation change
          pos = p;
          while (pos < src.length() && src.charAt(pos) != '\n') {
            pos++;
          }
          if (pos < src.length()) {
            pos++;
            line++;
          }
          continue;
        }
        pos = p;
        int top = indents.get(indents.size() - 1);
        if (col > top) {
          indents.add(col);
          add(Kind.INDENT, "", pos, pos);
        } else {
          while (col < indents.get(indents.size() - 1)) {
            indents.remove(indents.size() - 1);
            add(Kind.DEDENT, "", pos, pos);
          }
        }
        lineStart = false;
      }
      char c = src.charAt(pos);
      if (c == '\n') {
        if (depth == 0) {
          add(Kind.NEWLINE, "\n", pos, pos + 1);
          lineStart = true;
        }
        pos++;
        line++;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
        continue;
      }
      if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
        pos += 2;
        line++;
        continue;
      }
      if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
        continue;
      }
      int start = pos;
      if (Character.isLetter(c) || c == '_') {
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        String word = src.substring(start, pos);
        if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'') && word.length() <= 2
            && word.toLowerCase(java.util.Locale.ROOT).matches("[rbuf]{1,2}")) {
          if (!string(start, word.toLowerCase(java.util.Locale.ROOT))) {
            return;
          }
          continue;
        }
        add(Kind.NAME, word, start, pos);
      } else if (Character.isDigit(c) || c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1))) {
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
            || src.charAt(pos) == '_')) {
          pos++;
        }
        add(Kind.NUMBER, src.substring(start, pos).replace("_", ""), start, pos);
      } else if (c == '"' || c == '\'') {
        if (!string(start, "")) {
          return;
        }
      } else {
        String op = operator();
        if (op.equals("(") || op.equals("[") || op.equals("{")) {
          depth++;
        } else if ((op.equals(")") || op.equals("]") || op.equals("}")) && depth > 0) {
          depth--;
        }
        add(Kind.OP, op, start, pos);
      }
    }
    if (!out.isEmpty() && out.get(out.size() - 1).kind() != Kind.NEWLINE) {
      add(Kind.NEWLINE, "\n", pos, pos);
    }
    while (indents.size() > 1) {
      indents.remove(indents.size() - 1);
      add(Kind.DEDENT, "", pos, pos);
    }
    add(Kind.EOF, "", pos, pos);
  }

  private static final String[] OPERATORS = {"**=", "//=", ">>=", "<<=", "->", "**", "//", "==", "!=", ">=", "<=", "<<",
      ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ":=", "..."};

  private String operator() {
    for (String op : OPERATORS) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    return String.valueOf(src.charAt(pos++));
  }

  private void add(Kind k, String text, int start, int end) {
    out.add(new Token(k, text, line, start, end, -1, -1, false));
  }

  /** A string literal at {@code pos} (after its prefix). */
  private boolean string(int tokenStart, String prefix) {
    int startLine = line;
    char q = src.charAt(pos);
    boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
    String close = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
    pos += close.length();
    int bodyStart = pos;
    boolean raw = prefix.contains("r");
    boolean formatted = false;
    boolean escaped = false;
    StringBuilder b = new StringBuilder();
    while (pos < src.length()) {
      if (src.startsWith(close, pos)) {
        int bodyEnd = pos;
        pos += close.length();
        boolean fields = prefix.contains("f") && formatted;
        out.add(new Token(Kind.STRING, b.toString(), startLine, tokenStart, pos, escaped ? -1 : bodyStart,
            escaped ? -1 : bodyEnd, fields));
        return true;
      }
      char c = src.charAt(pos);
      if (c == '\n') {
        if (!triple) {
          break;
        }
        line++;
      }
      if (c == '\\' && pos + 1 < src.length()) {
        char e = src.charAt(pos + 1);
        if (e == '\n') {
          line++;
        }
        if (raw) {
          b.append(c).append(e);
        } else {
          escaped = true;
          if (e != '\n') {
            b.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          }
        }
        pos += 2;
        continue;
      }
      if (c == '{' && prefix.contains("f")) {
        if (pos + 1 < src.length() && src.charAt(pos + 1) == '{') {
          b.append('{');
          pos += 2;
          continue;
        }
        formatted = true;
      }
      b.append(c);
      pos++;
    }
    out.add(new Token(Kind.ERROR, "unterminated string", startLine, tokenStart, pos, -1, -1, false));
    return false;
  }
}
