package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.TypeName;

/**
 * What the migration history says about a column just before a statement: the schema knowledge that lets rules tell
 * a widening from a narrowing, a nullable column from a NOT NULL one, and PostgreSQL 12's validated-check shortcut.
 *
 * @param name column name
 * @param type its type, null when unknown (e.g. added by a tool the probe cannot read)
 * @param notNull NOT NULL
 * @param hasDefault has a default or another value source
 * @param notNullCheckValidated a validated {@code CHECK (c IS NOT NULL)} exists: SET NOT NULL skips its scan (PG 12+)
 */
public record ColumnInfo(String name, TypeName type, boolean notNull, boolean hasDefault, boolean notNullCheckValidated) {
  ColumnInfo withType(TypeName t) {
    return new ColumnInfo(name, t, notNull, hasDefault, notNullCheckValidated);
  }

  ColumnInfo withNotNull(boolean nn) {
    return new ColumnInfo(name, type, nn, hasDefault, notNullCheckValidated);
  }

  ColumnInfo withDefault(boolean d) {
    return new ColumnInfo(name, type, notNull, d, notNullCheckValidated);
  }

  ColumnInfo withCheck(boolean validated) {
    return new ColumnInfo(name, type, notNull, hasDefault, validated);
  }

  ColumnInfo renamed(String newName) {
    return new ColumnInfo(newName, type, notNull, hasDefault, notNullCheckValidated);
  }
}
