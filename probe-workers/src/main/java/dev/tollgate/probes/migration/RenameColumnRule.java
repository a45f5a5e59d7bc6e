package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** Renaming a column is instant, and instances of the running release that use the old name fail at once. */
final class RenameColumnRule extends MigrationRule {
  RenameColumnRule() {
    super("rename-column", Severity.BLOCK,
        "Migration renames a column: the running release still uses the old name.",
        "Expand/contract: add the new column, dual-write, backfill, switch reads, drop the old one; or rename only in the ORM.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.RENAME_COLUMN) {
        out.add(OldCodeJudgement.judge(set, c.statement(), c, "Renames column",
            "the rename is instant and every instance of the running release using the old name fails straight away"
                + " (renamed to `" + c.newName() + "`).",
            "Keep the database name and rename only the mapping (@Column(name = \"" + c.column() + "\")), or"
                + " expand/contract: add " + c.newName() + ", write both, backfill, switch reads, drop " + c.column()
                + " in a later release."));
      }
    }
    return out;
  }
}
