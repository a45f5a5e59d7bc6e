package dev.tollgate.probes.migration;

/**
 * Something in a framework migration its reader could not turn into statements: a method it does not know, a string
 * built at run time, application code. Never dropped: {@code migration/unreadable-migration} reports each one.
 *
 * @param line 1-based line in the migration file
 * @param excerpt the expression as written (first line, shortened)
 * @param reason why it could not be read, e.g. {@code a Rails method the probe does not know}
 * @param kind whether it may change the schema (blocks) or only runs application code on the data (warns)
 */
public record Unread(int line, String excerpt, String reason, Kind kind) {
  /** What an unread expression may do. */
  public enum Kind {
    /** It may change the schema (an unknown migration method, SQL built at run time): nothing proves it safe. */
    SCHEMA,
    /**
     * Application code on the data (a model's {@code update_all}, {@code RunPython}): it cannot drop or lock what the
     * rules look for by itself, but may be a slow backfill inside the migration's transaction.
     */
    DATA
  }

  public Unread {
    if (line < 1) {
      line = 1;
    }
    excerpt = shorten(excerpt);
  }

  private static String shorten(String text) {
    String t = text == null ? "" : text.strip();
    int nl = t.indexOf('\n');
    if (nl >= 0) {
      t = t.substring(0, nl).strip() + " ...";
    }
    return t.length() > 100 ? t.substring(0, 97) + "..." : t;
  }
}
