package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import java.util.ArrayList;
import java.util.List;

/** TRUNCATE takes ACCESS EXCLUSIVE and deletes data the running application uses (CASCADE: of every referencing table too). */
final class TruncateRule extends MigrationRule {
  TruncateRule() {
    super("truncate", Severity.BLOCK,
        "TRUNCATE locks the table and deletes data the running release uses.",
        "Delete in batches, or leave the data; never TRUNCATE ... CASCADE in a migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.Truncate.class)) {
      if (s.command() instanceof Command.Truncate t && t.tables().stream().anyMatch(n -> !s.isNewTable(n))) {
        out.add(at(s, "TRUNCATE " + q(t.tables().get(0)) + (t.tables().size() > 1 ? " (and " + (t.tables().size() - 1)
            + " more)" : "") + " takes ACCESS EXCLUSIVE and deletes every row the running release reads"
            + (t.cascade() ? "; CASCADE also empties every table that references it, recursively." : "."),
            "Delete the rows that must go in batches (DELETE ... WHERE id >= :lo AND id < :hi), or keep the data."));
      }
    }
    return out;
  }
}
