package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** DETACH PARTITION without CONCURRENTLY locks the whole partitioned table (ACCESS EXCLUSIVE on the parent). */
final class DetachPartitionNotConcurrentRule extends MigrationRule {
  DetachPartitionNotConcurrentRule() {
    super("detach-partition-not-concurrent", Severity.BLOCK,
        "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table.",
        "Use DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in a non-transactional migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    boolean can = set.settings().postgresVersion() >= 14;
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.dialect() != Dialect.POSTGRESQL || !(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())) {
        continue;
      }
      for (AlterAction a : at.actions()) {
        if (a instanceof AlterAction.DetachPartition d && !d.concurrently() && !d.finalizeDetach()) {
          out.add(at(s, "DETACH PARTITION " + q(d.partition()) + " takes ACCESS EXCLUSIVE on " + q(at.table())
              + ": every query on the partitioned table waits.",
              can ? "ALTER TABLE " + at.table() + " DETACH PARTITION " + d.partition() + " CONCURRENTLY, alone in a"
                  + " non-transactional migration (not possible with a default partition)."
                  : "PostgreSQL " + set.settings().postgresVersion() + " has no concurrent detach: upgrade to 14+ or"
                      + " schedule a maintenance window."));
        }
      }
    }
    return out;
  }
}
