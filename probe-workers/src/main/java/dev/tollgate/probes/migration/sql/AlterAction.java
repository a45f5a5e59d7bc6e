package dev.tollgate.probes.migration.sql;

/**
 * One action of an {@code ALTER TABLE} (which may carry several, comma-separated: {@code ALTER TABLE t ADD a int,
 * DROP b}). Column names are normalized like {@link Name}.
 */
public sealed interface AlterAction {
  /** {@code ADD [COLUMN] [IF NOT EXISTS] def}. */
  record AddColumn(ColumnDef column, boolean ifNotExists) implements AlterAction {}

  /** {@code DROP [COLUMN] [IF EXISTS] c [CASCADE]}. */
  record DropColumn(String column, boolean ifExists, boolean cascade) implements AlterAction {}

  /** PostgreSQL {@code ALTER [COLUMN] c [SET DATA] TYPE t [USING expr]}. */
  record AlterColumnType(String column, TypeName type, Expr using) implements AlterAction {}

  /**
   * MySQL {@code MODIFY [COLUMN] def} ({@code oldName} null) or {@code CHANGE [COLUMN] old def} (a rename when the
   * names differ). The whole definition is restated: type, nullability and default.
   */
  record ModifyColumn(String oldName, ColumnDef column) implements AlterAction {
    /** The column's name before this action. */
    public String before() {
      return oldName != null ? oldName : column.name();
    }

    /** True for CHANGE with a different name. */
    public boolean renames() {
      return oldName != null && !oldName.equals(column.name());
    }
  }

  /** {@code RENAME [COLUMN] a TO b}. */
  record RenameColumn(String from, String to) implements AlterAction {}

  /** {@code RENAME [TO|AS] new} (the table itself). */
  record RenameTo(Name newName) implements AlterAction {}

  /** {@code ALTER [COLUMN] c SET NOT NULL}. */
  record SetNotNull(String column) implements AlterAction {}

  /** {@code ALTER [COLUMN] c DROP NOT NULL}. */
  record DropNotNull(String column) implements AlterAction {}

  /** {@code ALTER [COLUMN] c SET DEFAULT expr}. */
  record SetDefault(String column, Expr value) implements AlterAction {}

  /** {@code ALTER [COLUMN] c DROP DEFAULT}. */
  record DropDefault(String column) implements AlterAction {}

  /** {@code ADD [CONSTRAINT n] ...}; MySQL {@code ADD PRIMARY KEY / UNIQUE / FOREIGN KEY / CHECK} too. */
  record AddConstraint(TableConstraint constraint) implements AlterAction {}

  /** PostgreSQL {@code VALIDATE CONSTRAINT n}. */
  record ValidateConstraint(String name) implements AlterAction {}

  /**
   * {@code DROP CONSTRAINT n}, MySQL {@code DROP FOREIGN KEY n / DROP CHECK n / DROP PRIMARY KEY}.
   *
   * @param kind {@code CONSTRAINT}, {@code FOREIGN KEY}, {@code CHECK} or {@code PRIMARY KEY}
   */
  record DropConstraint(String name, String kind, boolean ifExists, boolean cascade) implements AlterAction {}

  /**
   * MySQL {@code ADD [UNIQUE|FULLTEXT|SPATIAL] {INDEX|KEY} [name] (cols)}.
   *
   * @param kind {@code INDEX}, {@code UNIQUE}, {@code FULLTEXT} or {@code SPATIAL}
   */
  record AddIndex(String name, String kind, java.util.List<String> columns) implements AlterAction {
    public AddIndex {
      columns = java.util.List.copyOf(columns);
    }
  }

  /** MySQL {@code DROP {INDEX|KEY} name}. */
  record DropIndex(String name) implements AlterAction {}

  /** PostgreSQL {@code ATTACH PARTITION p FOR VALUES ...}. */
  record AttachPartition(Name partition) implements AlterAction {}

  /** PostgreSQL {@code DETACH PARTITION p [CONCURRENTLY | FINALIZE]}. */
  record DetachPartition(Name partition, boolean concurrently, boolean finalizeDetach) implements AlterAction {}

  /** PostgreSQL {@code SET LOGGED} / {@code SET UNLOGGED}. */
  record SetLogged(boolean logged) implements AlterAction {}

  /** PostgreSQL {@code SET TABLESPACE ts}. */
  record SetTablespace(String tablespace) implements AlterAction {}

  /** PostgreSQL 15+ {@code SET ACCESS METHOD m}. */
  record SetAccessMethod(String method) implements AlterAction {}

  /**
   * A table option or other named clause with its value, upper-case name: MySQL {@code ALGORITHM}, {@code LOCK},
   * {@code ENGINE}, {@code CONVERT TO CHARACTER SET}, {@code CHARACTER SET}, {@code ROW_FORMAT}, {@code FORCE},
   * {@code PARTITION BY}, {@code REMOVE PARTITIONING}, {@code REORGANIZE PARTITION}, {@code COALESCE PARTITION};
   * PostgreSQL {@code OWNER TO}, {@code SET}, {@code RESET}, {@code ENABLE TRIGGER}, {@code CLUSTER ON},
   * {@code SET SCHEMA}, {@code REPLICA IDENTITY}. Value is as written (may be empty).
   */
  record Option(String name, String value) implements AlterAction {}

  /** An action this model does not break down, kept as text. */
  record Other(String text) implements AlterAction {}
}
