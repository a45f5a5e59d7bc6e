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

  /**
   * The later statement of the deploy that drops the default {@code a} was added with (Django adds a NOT NULL column
   * with a one-off default to fill existing rows, then drops it), else null: the column then ends NOT NULL without a
   * default, as if added without one.
   */
  static MigrationStatement defaultDroppedLater(MigrationSet set, Added a) {
    if (a.column().defaultValue() == null) {
      return null;
    }
    MigrationStatement dropped = null;
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.seq() <= a.statement().seq() || !(s.command() instanceof Command.AlterTable at)
          || !at.table().sameAs(a.alter().table())) {
        continue;
      }
      for (AlterAction x : at.actions()) {
        if (x instanceof AlterAction.DropDefault d && d.column().equals(a.column().name())) {
          dropped = s;
        } else if (x instanceof AlterAction.SetDefault d && d.column().equals(a.column().name())) {
          dropped = null;
        } else if (x instanceof AlterAction.DropColumn d && d.column().equals(a.column().name())) {
          return null;
        }
      }
    }
    return dropped;
  }

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
