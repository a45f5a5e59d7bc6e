package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** The ADD CONSTRAINT actions of the deploy on tables that existed before it: input of the constraint rules. */
final class AddedConstraints {
  private AddedConstraints() {}

  /** One added constraint with its statement. */
  record Added(MigrationStatement statement, Command.AlterTable alter, TableConstraint constraint) {}

  static List<Added> onExistingTables(MigrationSet set, TableConstraint.Kind kind) {
    return set.memo(kind, () -> compute(set, kind));
  }

  private static List<Added> compute(MigrationSet set, TableConstraint.Kind kind) {
    List<Added> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.command() instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
        for (AlterAction a : at.actions()) {
          if (a instanceof AlterAction.AddConstraint c && c.constraint().kind() == kind) {
            out.add(new Added(s, at, c.constraint()));
          }
        }
      }
    }
    return out;
  }
}
