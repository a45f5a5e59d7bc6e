package dev.tollgate.probes.migration.sql;

import java.util.List;

/**
 * A table constraint (CREATE TABLE or ALTER TABLE ADD).
 *
 * @param name constraint name, null when unnamed
 * @param kind what it enforces
 * @param columns its columns as written (normalized names), empty for CHECK/EXCLUDE
 * @param usingIndex PostgreSQL {@code UNIQUE/PRIMARY KEY USING INDEX idx}: built from an existing index, else null
 * @param references referenced table of a FOREIGN KEY, else null
 * @param check CHECK expression, else null
 * @param notValid PostgreSQL NOT VALID: existing rows are not checked now
 * @param notEnforced MySQL NOT ENFORCED
 */
public record TableConstraint(String name, Kind kind, List<String> columns, String usingIndex, Name references, Expr check,
    boolean notValid, boolean notEnforced) {
  /** Kind of constraint. */
  public enum Kind { PRIMARY_KEY, UNIQUE, FOREIGN_KEY, CHECK, EXCLUDE }

  public TableConstraint {
    columns = List.copyOf(columns);
  }

  /**
   * The column a {@code CHECK (c IS NOT NULL)} constraint proves non-null, else null. PostgreSQL 12+ skips the
   * SET NOT NULL scan when such a check is validated.
   */
  public String notNullColumn() {
    if (kind != Kind.CHECK || check == null) {
      return null;
    }
    String t = check.text().strip();
    while (t.startsWith("(") && t.endsWith(")")) {
      t = t.substring(1, t.length() - 1).strip();
    }
    // "<column> IS NOT NULL", any whitespace between the words (no regex: this runs for every CHECK of a deploy).
    java.util.List<String> parts = new java.util.ArrayList<>(4);
    int i = 0;
    while (i < t.length() && parts.size() < 5) {
      while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      int s = i;
      while (i < t.length() && !Character.isWhitespace(t.charAt(i))) {
        i++;
      }
      if (i > s) {
        parts.add(t.substring(s, i));
      }
    }
    if (parts.size() == 4 && parts.get(1).equalsIgnoreCase("is") && parts.get(2).equalsIgnoreCase("not")
        && parts.get(3).equalsIgnoreCase("null")) {
      String c = parts.get(0);
      return c.startsWith("\"") ? c.substring(1, c.length() - 1) : c.toLowerCase(java.util.Locale.ROOT);
    }
    return null;
  }
}
