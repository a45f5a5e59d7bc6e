package dev.tollgate.probes.migration.sql;

/**
 * A possibly schema-qualified object name, normalized the way the database compares it: PostgreSQL folds unquoted
 * names to lower case and keeps quoted ones as written ({@code "Orders"} differs from {@code orders}); MySQL names
 * are compared case-insensitively here (lower-cased).
 *
 * @param schema schema (or MySQL database), null when not qualified
 * @param name the object's own name
 */
public record Name(String schema, String name) {
  public Name {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: expected a non-empty name");
    }
  }

  /** An unqualified name. */
  public static Name of(String name) {
    return new Name(null, name);
  }

  /**
   * True when both name the same object as far as a migration can tell: same name, and same schema when both
   * give one ({@code public.users} matches {@code users}).
   */
  public boolean sameAs(Name other) {
    return other != null && name.equals(other.name)
        && (schema == null || other.schema == null || schema.equals(other.schema));
  }

  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
