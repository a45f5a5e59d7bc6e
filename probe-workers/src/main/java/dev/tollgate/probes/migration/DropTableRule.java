package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** Dropping a table (or view) the running release still uses breaks it and loses the data. */
final class DropTableRule extends MigrationRule {
  DropTableRule() {
    super("drop-table", Severity.BLOCK,
        "Migration drops a table or view that the running release may still use.",
        "Stop using the table in release N, drop it in release N+1.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.DROP_TABLE) {
        out.add(OldCodeJudgement.judge(set, c.statement(), c, "Drops table",
            "the running release's queries on it fail, the data is gone, and DROP also locks the tables linked to it by"
                + " foreign keys.",
            "Release N: stop reading and writing " + c.table() + "; release N+1: DROP TABLE " + c.table()
                + " (keep a backup if the data matters)."));
      }
    }
    return out;
  }
}
