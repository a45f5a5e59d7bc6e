package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The ADD CONSTRAINT actions of the deploy on tables that existed before it: input of the constraint rules. */
final class AddedConstraints {
  private AddedConstraints() {}

  /** One added constraint with its statement. */
  record Added(MigrationStatement statement, Command.AlterTable alter, TableConstraint constraint) {}

  private static final Object KEY = new Object();

  static List<Added> onExistingTables(MigrationSet set, TableConstraint.Kind kind) {
    Map<TableConstraint.Kind, List<Added>> all = set.memo(KEY, () -> compute(set));
    return all.getOrDefault(kind, List.of());
  }

  /** Every added constraint, by kind, in one walk of the ALTER TABLE statements. */
  private static Map<TableConstraint.Kind, List<Added>> compute(MigrationSet set) {
    Map<TableConstraint.Kind, List<Added>> out = new EnumMap<>(TableConstraint.Kind.class);
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      Command.AlterTable at = (Command.AlterTable) s.command();
      for (AlterAction a : at.actions()) {
        if (a instanceof AlterAction.AddConstraint c && !s.isNewTable(at.table())) {
          out.computeIfAbsent(c.constraint().kind(), k -> new ArrayList<>()).add(new Added(s, at, c.constraint()));
        }
      }
    }
    return out;
  }
}
