package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** DROP NOT NULL lets new code write NULLs that old code (Java primitives, @NotNull) may not expect when it reads them. */
final class DropNotNullRule extends MigrationRule {
  DropNotNullRule() {
    super("drop-not-null", Severity.WARN,
        "Dropping NOT NULL lets NULLs in that the running release may not handle when it reads them.",
        "Fine as the expand step before dropping a column; make sure old code tolerates NULL (no primitives).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (!(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())) {
        continue;
      }
      for (AlterAction a : at.actions()) {
        String col = null;
        if (s.dialect() == Dialect.POSTGRESQL && a instanceof AlterAction.DropNotNull d) {
          col = d.column();
        } else if (s.dialect() == Dialect.MYSQL && a instanceof AlterAction.ModifyColumn m && !m.column().notNull()
            && s.columnBefore(m.before()).map(ColumnInfo::notNull).orElse(false)) {
          col = m.column().name();
        }
        if (col != null) {
          out.add(at(s, "Drops NOT NULL on " + q(at.table() + "." + col) + ": rows written with NULL by the new release"
              + " can break the running one when it reads them (primitive fields, @NotNull, non-null assertions).",
              "Make sure the running release reads " + col + " as nullable; as the expand step before dropping the column,"
                  + " this is the safe order."));
        }
      }
    }
    return out;
  }
}
