package dev.tollgate.probes.migration.sql;

import java.util.List;

/**
 * Hand-written SQL tokenizer for PostgreSQL and MySQL/MariaDB. It knows what a regex over raw text gets wrong:
 * {@code --}, {@code #} and (nested, in PostgreSQL) block comments; strings with doubled quotes, {@code E''} and
 * MySQL backslash escapes; quoted identifiers; dollar-quoted bodies ({@code $$}, {@code $fn$}); MySQL executable
 * comments ({@code /*!80000 ... *&#47;}, whose content runs) and {@code DELIMITER} lines; psql meta-commands.
 * Line numbers are counted as it goes.
 */
final class Lexer {
  private final String s;
  private final int limit;
  private final boolean mysql;
  private final Tokens out;
  private final List<Problem> problems;
  private int pos;
  private int line;
  private int openExecutableComments;
  private String delimiter;           // MySQL custom delimiter, null while it is ';'
  private boolean atStatementStart = true;

  private Lexer(String src, int from, int to, int firstLine, Dialect dialect, List<Problem> problems) {
    this.s = src;
    this.pos = from;
    this.limit = to;
    this.line = firstLine;
    this.mysql = dialect == Dialect.MYSQL;
    this.out = new Tokens(src);
    this.problems = problems;
  }

  /** Tokenizes {@code src[from, to)} whose first character is on line {@code firstLine}. */
  static Tokens lex(String src, int from, int to, int firstLine, Dialect dialect, List<Problem> problems) {
    Lexer lexer = new Lexer(src, from, to, firstLine, dialect, problems);
    lexer.run();
    return lexer.out;
  }

  private void run() {
    while (pos < limit) {
      char c = s.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B || c == '\uFEFF') {
        pos++;
        continue;
      }
      if (delimiter != null && s.startsWith(delimiter, pos)) {
        out.add(Tokens.END, pos, pos + delimiter.length(), line);
        pos += delimiter.length();
        atStatementStart = true;
        continue;
      }
      if (c == '-' && at(pos + 1) == '-' && (!mysql || isSpaceOrEnd(pos + 2))) {
        skipLineComment();
        continue;
      }
      if (c == '#' && mysql) {
        skipLineComment();
        continue;
      }
      if (c == '/' && at(pos + 1) == '*') {
        if (mysql && at(pos + 2) == '!') {
          // Executable comment: MySQL runs its content (e.g. /*!50503 SET NAMES utf8mb4 */), so lex it as code.
          pos += 3;
          while (pos < limit && Character.isDigit(s.charAt(pos))) {
            pos++;
          }
          openExecutableComments++;
          continue;
        }
        blockComment();
        continue;
      }
      if (c == '*' && at(pos + 1) == '/' && openExecutableComments > 0) {
        openExecutableComments--;
        pos += 2;
        continue;
      }
      if (c == '\\' && !mysql && lineStartsHere()) {
        // psql meta-command (\connect, \set, \i): a client instruction, not SQL.
        int st = pos;
        skipToEol();
        out.add(Tokens.META, st, pos, line);
        continue;
      }
      int startLine = line;
      int st = pos;
      if (mysql && atStatementStart && isDelimiterCommand()) {
        continue;
      }
      atStatementStart = false;
      switch (c) {
        case '\'' -> quoted(st, '\'', mysql, Tokens.STRING, startLine);
        case '"' -> quoted(st, '"', mysql, mysql ? Tokens.STRING : Tokens.QIDENT, startLine);
        case '`' -> quoted(st, '`', false, Tokens.QIDENT, startLine);
        case '(' -> single(Tokens.LPAREN);
        case ')' -> single(Tokens.RPAREN);
        case ',' -> single(Tokens.COMMA);
        case '[' -> single(Tokens.LBRACKET);
        case ']' -> single(Tokens.RBRACKET);
        case ';' -> {
          // Under a custom DELIMITER a ';' is part of a routine body, not a statement end.
          single(delimiter == null ? Tokens.SEMI : Tokens.OP);
          atStatementStart = delimiter == null;
        }
        case '.' -> {
          if (Character.isDigit(at(pos + 1))) {
            number();
          } else {
            single(Tokens.DOT);
          }
        }
        case '$' -> dollar(startLine);
        case '?' -> single(Tokens.PARAM);
        default -> {
          if (Character.isDigit(c)) {
            number();
          } else if (isIdentStart(c)) {
            word(startLine);
          } else if (c == ':' && isIdentStart(at(pos + 1)) && at(pos - 1) != ':') {
            pos++;
            while (pos < limit && isIdentPart(s.charAt(pos))) {
              pos++;
            }
            out.add(Tokens.PARAM, st, pos, line);
          } else {
            operator();
          }
        }
      }
    }
    if (openExecutableComments > 0) {
      problems.add(new Problem(line, "unterminated MySQL executable comment /*! ... */"));
    }
  }

  private boolean isDelimiterCommand() {
    // DELIMITER // : a mysql-client (and Flyway) directive that changes the statement terminator until the next one.
    if (!s.regionMatches(true, pos, "DELIMITER", 0, 9) || !(isSpace(at(pos + 9)))) {
      return false;
    }
    int st = pos;
    int eol = s.indexOf('\n', pos);
    if (eol < 0 || eol > limit) {
      eol = limit;
    }
    String d = s.substring(pos + 9, eol).strip();
    pos = eol;
    out.add(Tokens.META, st, eol, line);
    delimiter = d.isEmpty() || d.equals(";") ? null : d;
    atStatementStart = true;
    return true;
  }

  private void single(byte type) {
    out.add(type, pos, pos + 1, line);
    pos++;
  }

  private void word(int startLine) {
    int st = pos;
    char c = s.charAt(pos);
    // E'..' escape string, N'..' national, B'..'/X'..' bit strings, U&'..' unicode (PostgreSQL), _utf8mb4'..' (MySQL)
    if (at(pos + 1) == '\'' && "eEnNbBxX".indexOf(c) >= 0) {
      pos++;
      quoted(st, '\'', mysql || c == 'e' || c == 'E', Tokens.STRING, startLine);
      return;
    }
    if ((c == 'u' || c == 'U') && at(pos + 1) == '&' && (at(pos + 2) == '\'' || at(pos + 2) == '"')) {
      char q = at(pos + 2);
      pos += 2;
      quoted(st, q, false, q == '\'' ? Tokens.STRING : Tokens.QIDENT, startLine);
      return;
    }
    pos++;
    while (pos < limit && isIdentPart(s.charAt(pos))) {
      pos++;
    }
    out.add(Tokens.WORD, st, pos, startLine);
  }

  private void number() {
    int st = pos;
    if (s.charAt(pos) == '0' && (at(pos + 1) == 'x' || at(pos + 1) == 'X')) {
      pos += 2;
      while (pos < limit && Character.digit(s.charAt(pos), 16) >= 0) {
        pos++;
      }
    } else {
      while (pos < limit && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (at(pos) == '.' && at(pos + 1) != '.') {
        pos++;
        while (pos < limit && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
      }
      if ((at(pos) == 'e' || at(pos) == 'E')
          && (Character.isDigit(at(pos + 1)) || ((at(pos + 1) == '+' || at(pos + 1) == '-') && Character.isDigit(at(pos + 2))))) {
        pos += 2;
        while (pos < limit && Character.isDigit(s.charAt(pos))) {
          pos++;
        }
      }
    }
    // MySQL allows identifiers that start with digits (1st_table); keep them one token.
    if (mysql && pos < limit && isIdentStart(s.charAt(pos))) {
      while (pos < limit && isIdentPart(s.charAt(pos))) {
        pos++;
      }
      out.add(Tokens.WORD, st, pos, line);
      return;
    }
    out.add(Tokens.NUMBER, st, pos, line);
  }

  private void dollar(int startLine) {
    int st = pos;
    if (Character.isDigit(at(pos + 1))) {
      pos++;
      while (pos < limit && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      out.add(Tokens.PARAM, st, pos, line);
      return;
    }
    if (mysql) {
      operator();
      return;
    }
    int tagEnd = pos + 1;
    while (tagEnd < limit && isIdentPart(s.charAt(tagEnd)) && s.charAt(tagEnd) != '$') {
      tagEnd++;
    }
    if (at(tagEnd) != '$' || (tagEnd > pos + 1 && Character.isDigit(s.charAt(pos + 1)))) {
      operator();
      return;
    }
    String tag = s.substring(pos, tagEnd + 1);
    int close = s.indexOf(tag, tagEnd + 1);
    if (close < 0 || close + tag.length() > limit) {
      problems.add(new Problem(startLine, "unterminated dollar-quoted string " + tag));
      countLines(pos, limit);
      pos = limit;
      out.add(Tokens.DOLLAR, st, limit, startLine);
      return;
    }
    countLines(pos, close);
    pos = close + tag.length();
    out.add(Tokens.DOLLAR, st, pos, startLine);
  }

  private void quoted(int st, char q, boolean backslashEscapes, byte type, int startLine) {
    pos++; // opening quote
    while (pos < limit) {
      char c = s.charAt(pos);
      if (c == '\\' && backslashEscapes && pos + 1 < limit) {
        if (s.charAt(pos + 1) == '\n') {
          line++;
        }
        pos += 2;
        continue;
      }
      if (c == q) {
        if (at(pos + 1) == q) {
          pos += 2;
          continue;
        }
        pos++;
        out.add(type, st, pos, startLine);
        return;
      }
      if (c == '\n') {
        line++;
      }
      pos++;
    }
    problems.add(new Problem(startLine, "unterminated " + (type == Tokens.QIDENT ? "quoted identifier" : "string literal")
        + " (opened with " + q + " on line " + startLine + ")"));
    out.add(type, st, limit, startLine);
  }

  private void blockComment() {
    int startLine = line;
    int depth = 0;
    while (pos < limit) {
      char c = s.charAt(pos);
      if (c == '/' && at(pos + 1) == '*') {
        depth++;
        pos += 2;
        if (mysql && depth > 1) {
          depth = 1; // MySQL comments do not nest
        }
        continue;
      }
      if (c == '*' && at(pos + 1) == '/') {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
        continue;
      }
      if (c == '\n') {
        line++;
      }
      pos++;
    }
    problems.add(new Problem(startLine, "unterminated block comment /* ..."));
  }

  private void operator() {
    int st = pos;
    pos++;
    while (pos < limit && isOpChar(s.charAt(pos))
        && !(s.charAt(pos) == '-' && at(pos + 1) == '-') && !(s.charAt(pos) == '/' && at(pos + 1) == '*')) {
      pos++;
    }
    out.add(Tokens.OP, st, pos, line);
  }

  /**
   * Skips a {@code --} or {@code #} comment. PostgreSQL ends one at a carriage return as at a line feed, so what
   * follows a lone CR runs and is read here too (an author could otherwise hide a statement behind one); MySQL ends it
   * at a line feed only.
   */
  private void skipLineComment() {
    while (pos < limit && s.charAt(pos) != '\n' && (mysql || s.charAt(pos) != '\r')) {
      pos++;
    }
  }

  private void skipToEol() {
    while (pos < limit && s.charAt(pos) != '\n') {
      pos++;
    }
  }

  private void countLines(int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
  }

  private boolean lineStartsHere() {
    for (int i = pos - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c == '\n') {
        return true;
      }
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private char at(int i) {
    return i >= 0 && i < limit ? s.charAt(i) : '\0';
  }

  private boolean isSpaceOrEnd(int i) {
    return i >= limit || isSpace(s.charAt(i));
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80 && Character.isLetter(c);
  }

  static boolean isIdentPart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
        || c >= 0x80 && Character.isLetterOrDigit(c);
  }

  private static boolean isOpChar(char c) {
    return "+-*/<>=~!@#%^&|`?:".indexOf(c) >= 0;
  }
}
