package dev.tollgate.probes.migration.sql;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tokens of one piece of SQL source, as parallel arrays (a 50,000-statement file has about a million tokens;
 * one object per token would dominate the cost). Offsets index the original source string, so statement text and
 * token text are slices of it. Comments and whitespace are not tokens.
 */
final class Tokens {
  static final byte WORD = 1;          // unquoted identifier or keyword
  static final byte QIDENT = 2;        // "ident" (PostgreSQL) or `ident` (MySQL)
  static final byte STRING = 3;        // 'x', E'x', N'x', X'..', B'..', U&'..', MySQL "x"
  static final byte DOLLAR = 4;        // $tag$ ... $tag$ (PostgreSQL)
  static final byte NUMBER = 5;
  static final byte PARAM = 6;         // $1, ?, :name
  static final byte OP = 7;            // operator characters, e.g. = :: <> ||
  static final byte LPAREN = 8;
  static final byte RPAREN = 9;
  static final byte COMMA = 10;
  static final byte SEMI = 11;         // ';' (a statement end unless a custom DELIMITER is active)
  static final byte DOT = 12;
  static final byte LBRACKET = 13;
  static final byte RBRACKET = 14;
  static final byte END = 15;          // the active custom delimiter (MySQL DELIMITER //)
  static final byte META = 16;         // psql backslash command or MySQL DELIMITER line: not SQL

  final String src;
  byte[] type = new byte[64];
  int[] start = new int[64];
  int[] end = new int[64];
  int[] line = new int[64];
  int size;

  Tokens(String src) {
    this.src = src;
  }

  void add(byte t, int s, int e, int ln) {
    if (size == type.length) {
      int n = size * 2;
      type = Arrays.copyOf(type, n);
      start = Arrays.copyOf(start, n);
      end = Arrays.copyOf(end, n);
      line = Arrays.copyOf(line, n);
    }
    type[size] = t;
    start[size] = s;
    end[size] = e;
    line[size] = ln;
    size++;
  }

  String text(int i) {
    return src.substring(start[i], end[i]);
  }

  /** True when token {@code i} is the unquoted word {@code upperKeyword} (case-insensitive). */
  boolean isWord(int i, String upperKeyword) {
    if (type[i] != WORD) {
      return false;
    }
    int len = end[i] - start[i];
    return len == upperKeyword.length() && src.regionMatches(true, start[i], upperKeyword, 0, len);
  }

  /** The parser keyword this token is (canonical upper case), or null for other words and non-words. */
  String keyword(int i) {
    return type[i] == WORD ? Keywords.lookup(src, start[i], end[i]) : null;
  }

  /** Upper-case text of a word token (keywords are compared this way). */
  String upper(int i) {
    return text(i).toUpperCase(Locale.ROOT);
  }
}
