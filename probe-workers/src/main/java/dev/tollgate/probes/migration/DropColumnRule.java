package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/** Dropping a column the running release still reads or writes breaks its instances during the rollout. */
final class DropColumnRule extends MigrationRule {
  DropColumnRule() {
    super("drop-column", Severity.BLOCK,
        "Migration drops a column that the running release may still read.",
        "Stop using the column in release N (JPA: remove the mapping), make it nullable, drop it in release N+1.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.DROP_COLUMN) {
        out.add(OldCodeJudgement.judge(set, c.statement(), c, "Drops column",
            "instances of the running release that select, insert or map it fail as soon as it is gone"
                + " (ORMs such as Hibernate name every mapped column).",
            "Release N: stop using " + c.column() + " (JPA: remove the field or mark it @Transient) and make it nullable;"
                + " release N+1: ALTER TABLE " + c.table() + " DROP COLUMN " + c.column() + "."));
      }
    }
    return out;
  }
}
