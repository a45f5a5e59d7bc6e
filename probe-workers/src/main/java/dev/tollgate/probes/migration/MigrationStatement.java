package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import dev.tollgate.probes.migration.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * One statement a deploy applies, with where it runs (migration, transaction unit, position in the deploy) and what
 * the schema looked like just before it.
 */
public final class MigrationStatement {
  private final Migration migration;
  private final TransactionUnit unit;
  private final Statement statement;
  private final int seq;
  private final Map<String, ColumnInfo> columnsBefore;
  private final MigrationSet set;
  private final Name primaryTable;
  private final boolean primaryTableNew;

  MigrationStatement(Migration migration, TransactionUnit unit, Statement statement, int seq,
      Map<String, ColumnInfo> columnsBefore, MigrationSet set, Name primaryTable) {
    this.migration = migration;
    this.unit = unit;
    this.statement = statement;
    this.seq = seq;
    this.columnsBefore = columnsBefore;
    this.set = set;
    // Most rules ask about the statement's own table, many times: answer that one from a field.
    this.primaryTable = primaryTable;
    this.primaryTableNew = primaryTable != null && set.createdBefore(primaryTable, seq);
  }

  public Migration migration() {
    return migration;
  }

  public TransactionUnit unit() {
    return unit;
  }

  public Statement statement() {
    return statement;
  }

  public Command command() {
    return statement.command();
  }

  /** Position in the deploy: statements run in increasing order. */
  public int seq() {
    return seq;
  }

  public Dialect dialect() {
    return migration.dialect();
  }

  /** The file's path. */
  public String path() {
    return migration.path();
  }

  /** Values of the statement's string literals. */
  public java.util.List<String> literals() {
    return statement.literals();
  }

  /** The statement's first line. */
  public int line() {
    return statement.line();
  }

  /**
   * For an ALTER TABLE: the columns it touches as they were before it, by name (the old name for renames). Empty
   * when the migration history does not know them.
   */
  public Optional<ColumnInfo> columnBefore(String column) {
    return Optional.ofNullable(columnsBefore.get(column));
  }

  /**
   * True when {@code table} was created earlier in this deploy (or CLI file): no instance of the running release
   * knows it and it holds no traffic yet, so locks and compatibility do not matter for it.
   */
  public boolean isNewTable(Name table) {
    return table == primaryTable ? primaryTableNew : set.createdBefore(table, seq);
  }

  /** True when index {@code index} was created earlier in this deploy, or its table was. */
  public boolean isNewIndex(Name index) {
    return set.indexNewBefore(index, seq);
  }

  @Override
  public String toString() {
    return migration.path() + ":" + statement.line() + " " + statement.command();
  }
}
