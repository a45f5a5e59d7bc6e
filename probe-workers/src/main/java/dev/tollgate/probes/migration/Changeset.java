package dev.tollgate.probes.migration;

/**
 * A Liquibase changeset header: its identity and the attributes that change how it runs.
 *
 * @param author changeset author
 * @param id changeset id
 * @param line line of the header ({@code --changeset} or {@code <changeSet>})
 * @param runInTransaction false for {@code runInTransaction:false}
 * @param runOnChange true for {@code runOnChange:true} (editing it is expected)
 * @param rollback its rollback: the SQL/changes given, {@code ""} for an explicit empty rollback, null when none is
 *     given (Liquibase can still derive one for some change types)
 * @param body the changeset's content, whitespace-collapsed: two versions with the same body have the same checksum
 * @param derivedRollback true when Liquibase generates the rollback itself: an XML/YAML changeset whose every change is
 *     of a type Liquibase knows how to reverse (createTable, addColumn, renameColumn, createIndex, ...); never for
 *     formatted SQL or {@code <sql>} (the rollback probe reads it: such a changeset has its way back without
 *     {@code <rollback>})
 */
public record Changeset(String author, String id, int line, boolean runInTransaction, boolean runOnChange, String rollback,
    String body, boolean derivedRollback) {
  /** {@code author:id}, the key Liquibase records in DATABASECHANGELOG. */
  public String key() {
    return author + ":" + id;
  }
}
