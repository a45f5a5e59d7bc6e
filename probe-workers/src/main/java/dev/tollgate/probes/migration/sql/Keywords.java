package dev.tollgate.probes.migration.sql;

/**
 * Case-insensitive keyword lookup without allocation: maps a word token to its canonical upper-case constant (or
 * null for any other word), so the parser can {@code switch} on keywords without building a String per token.
 * Matters at 50,000 statements: {@code substring().toUpperCase()} per word was a measurable share of the parse.
 */
final class Keywords {
  private static final String[] WORDS = {
      "ABORT", "ADD", "AFTER", "ALTER", "ANALYZE", "AS", "ATTACH", "AUTOINCREMENT", "AUTO_INCREMENT", "BEGIN", "CASE",
      "CHANGE", "CHARACTER", "CHARSET", "CHECK", "CLUSTER", "COALESCE", "COLLATE", "COLUMN_FORMAT", "COMMENT", "COMMIT",
      "COMPRESSION", "CONSTRAINT", "CONTINUE", "CONVERT", "CREATE", "DATABASE", "DECLARE", "DEFAULT", "DEFERRABLE",
      "DELETE", "DETACH", "DISABLE", "DISCARD", "DOMAIN", "DROP", "ELSE", "ELSEIF", "ELSIF", "ENABLE", "END", "EVENT",
      "EXCEPTION", "EXCHANGE", "EXCLUDE", "EXECUTE", "EXTENSION", "FIRST", "FOR", "FOREACH", "FOREIGN", "FUNCTION",
      "GENERATED", "GRANT", "IF", "IMPORT", "INDEX", "INHERIT", "INITIALLY", "INSERT", "INVISIBLE", "KEY", "LOCK",
      "LOOP", "MERGE", "MODIFY", "NO", "NOT", "NULL", "OF", "ON", "OPTIMIZE", "OWNER", "PARTITION", "PERFORM",
      "PRIMARY", "PROCEDURE", "REBUILD", "REFERENCES", "REFRESH", "REINDEX", "RELEASE", "REMOVE", "RENAME",
      "REORGANIZE", "REPAIR", "REPLACE", "REPLICA", "RESET", "REVOKE", "ROLLBACK", "RULE", "SAVEPOINT", "SCHEMA",
      "SELECT", "SEQUENCE", "SET", "SRID", "START", "STORAGE", "TABLE", "THEN", "TRIGGER", "TRUNCATE", "TYPE",
      "UNIQUE", "UPDATE", "VACUUM", "VALIDATE", "VIEW", "VISIBLE", "WHEN", "WHILE", "WITH", "COMMENT", "DO", "CALL"};
  private static final int MASK = 511;
  private static final String[] TABLE = new String[MASK + 1];

  static {
    for (String w : WORDS) {
      int i = hash(w, 0, w.length()) & MASK;
      while (TABLE[i] != null && !TABLE[i].equals(w)) {
        i = (i + 1) & MASK;
      }
      TABLE[i] = w;
    }
  }

  private Keywords() {}

  /** The canonical keyword for {@code src[start, end)}, or null when it is not one of the parser's keywords. */
  static String lookup(String src, int start, int end) {
    int len = end - start;
    if (len < 2 || len > 14) {
      return null;
    }
    int h = hash(src, start, end);
    if (h == -1) {
      return null;
    }
    int i = h & MASK;
    String w;
    while ((w = TABLE[i]) != null) {
      if (w.length() == len && src.regionMatches(true, start, w, 0, len)) {
        return w;
      }
      i = (i + 1) & MASK;
    }
    return null;
  }

  /** Hash of the upper-cased ASCII word; -1 for a non-ASCII one (never a keyword). */
  private static int hash(String s, int start, int end) {
    int h = 0;
    for (int k = start; k < end; k++) {
      char c = s.charAt(k);
      if (c >= 'a' && c <= 'z') {
        c -= 32;
      } else if (c > 127) {
        return -1;
      }
      h = 31 * h + c;
    }
    h ^= h >>> 16;
    return h == -1 ? 0 : h;
  }
}
