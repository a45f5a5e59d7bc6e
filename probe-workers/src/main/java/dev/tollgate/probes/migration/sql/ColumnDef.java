package dev.tollgate.probes.migration.sql;

/**
 * A column definition (CREATE TABLE, ADD COLUMN, MySQL MODIFY/CHANGE).
 *
 * @param name normalized column name
 * @param type its type, null when none was given (never in valid SQL)
 * @param nullable TRUE for an explicit NULL, FALSE for NOT NULL (or PRIMARY KEY), null when unspecified
 * @param defaultValue DEFAULT expression, null when none
 * @param primaryKey inline PRIMARY KEY
 * @param unique inline UNIQUE
 * @param references inline REFERENCES table, null when none
 * @param check inline CHECK expression, null when none
 * @param generated NONE, STORED, VIRTUAL or IDENTITY
 * @param autoIncrement MySQL AUTO_INCREMENT
 * @param position MySQL FIRST / AFTER col, null when at the end
 */
public record ColumnDef(String name, TypeName type, Boolean nullable, Expr defaultValue, boolean primaryKey, boolean unique,
    Name references, Expr check, Generated generated, boolean autoIncrement, String position) {
  /** How the column's values come about. */
  public enum Generated {
    NONE,
    /** GENERATED ALWAYS AS (expr) STORED: computed and written for every row. */
    STORED,
    /** Computed on read (MySQL VIRTUAL, PostgreSQL 18 VIRTUAL). */
    VIRTUAL,
    /** GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY: numbered from a sequence. */
    IDENTITY
  }

  /** NOT NULL given (explicitly or by an inline PRIMARY KEY). */
  public boolean notNull() {
    return Boolean.FALSE.equals(nullable);
  }

  /** A DEFAULT other than NULL, or a value source (serial, identity, generated, auto-increment). */
  public boolean hasValueSource() {
    return (defaultValue != null && !defaultValue.isNull()) || generated != Generated.NONE || autoIncrement
        || (type != null && type.isSerial());
  }
}
