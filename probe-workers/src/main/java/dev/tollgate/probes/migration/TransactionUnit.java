package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.Statement;
import java.util.List;

/**
 * Statements that commit together. When {@code transactional} is false each statement commits on its own
 * (autocommit), so locks are released after every statement.
 *
 * @param label what the unit is, for messages: {@code file}, {@code changeset alice:42}, {@code BEGIN block at line 7}
 * @param line first line of the unit
 * @param transactional the framework (or an explicit BEGIN) wraps the statements in one transaction
 * @param statements the executed statements, in order
 * @param changeset the Liquibase changeset this unit is, else null
 */
public record TransactionUnit(String label, int line, boolean transactional, List<Statement> statements, Changeset changeset) {
  public TransactionUnit {
    statements = List.copyOf(statements);
  }

  /**
   * Identity, not value, equality: rules key maps by unit, and a value hash would walk every statement (a 50,000
   * statement file made that quadratic). Two units are the same unit only if they are the same object.
   */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
