package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * Renaming a table the running release uses breaks it at once, unless the same migration re-creates the old name as
 * a view ({@code CREATE VIEW old AS SELECT * FROM new}, Atlas's exemption: simple views are updatable).
 */
final class RenameTableRule extends MigrationRule {
  RenameTableRule() {
    super("rename-table", Severity.BLOCK,
        "Migration renames a table: the running release still uses the old name.",
        "Rename and CREATE VIEW old_name AS SELECT * FROM new_name in one transaction; drop the view in the next release.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() != BreakingChange.Kind.RENAME_TABLE || compatibilityView(set, c)) {
        continue;
      }
      out.add(OldCodeJudgement.judge(set, c.statement(), c, "Renames table",
          "the rename is instant and the running release's queries on the old name fail straight away (renamed to `"
              + c.newName() + "`).",
          "In the same transaction: ALTER TABLE " + c.table() + " RENAME TO " + c.newName() + "; CREATE VIEW "
              + c.table() + " AS SELECT * FROM " + c.newName() + "; drop the view once no release uses the old name."));
    }
    return out;
  }

  private static boolean compatibilityView(MigrationSet set, BreakingChange c) {
    for (MigrationStatement s : set.statementsOf(Command.CreateView.class)) {
      if (s.migration() == c.statement().migration() && s.seq() > c.statement().seq()
          && s.command() instanceof Command.CreateView v && !v.materialized() && v.name().sameAs(c.table())) {
        return true;
      }
    }
    return false;
  }
}
