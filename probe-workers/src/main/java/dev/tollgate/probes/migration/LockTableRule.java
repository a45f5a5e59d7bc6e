package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** An explicit LOCK TABLE holds a table lock to the end of the transaction (ACCESS EXCLUSIVE by default in PostgreSQL). */
final class LockTableRule extends MigrationRule {
  LockTableRule() {
    super("lock-table", Severity.BLOCK,
        "LOCK TABLE holds a table lock for the rest of the migration: reads and writes wait.",
        "Rely on row locks or batched updates; if a lock is needed, take the weakest mode with lock_timeout.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (MigrationStatement s : set.statementsOf(Command.LockTables.class)) {
      if (s.command() instanceof Command.LockTables l && l.tables().stream().anyMatch(t -> !s.isNewTable(t))) {
        boolean my = s.dialect() == Dialect.MYSQL;
        String mode = l.mode() == null ? (my ? "" : "ACCESS EXCLUSIVE") : l.mode();
        out.add(at(s, (my ? "LOCK TABLES " : "LOCK TABLE ") + q(l.tables().get(0)) + (mode.isEmpty() ? "" : " (" + mode + ")")
            + " holds the lock until " + (my ? "UNLOCK TABLES" : "the transaction ends")
            + ": the running release's queries on it wait for the rest of the migration.",
            "Remove the explicit lock; use batched updates and row locks. If one is unavoidable, use the weakest mode"
                + " and set lock_timeout first."));
      }
    }
    return out;
  }
}
