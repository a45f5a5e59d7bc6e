package dev.tollgate.probes.migration;

import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Command;
import java.util.ArrayList;
import java.util.List;

/** The ADD COLUMN actions of the deploy on tables that existed before it: the input of the add-column rules. */
final class AddedColumns {
  private AddedColumns() {}

  /** One added column with its statement. */
  record Added(MigrationStatement statement, Command.AlterTable alter, ColumnDef column) {}

  private static final Object KEY = new Object();

  static List<Added> onExistingTables(MigrationSet set) {
    return set.memo(KEY, () -> compute(set));
  }

  private static List<Added> compute(MigrationSet set) {
    List<Added> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.command() instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
        for (AlterAction a : at.actions()) {
          if (a instanceof AlterAction.AddColumn add) {
            out.add(new Added(s, at, add.column()));
          }
        }
      }
    }
    return out;
  }
}
