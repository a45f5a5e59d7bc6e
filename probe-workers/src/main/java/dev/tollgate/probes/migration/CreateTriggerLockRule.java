package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** CREATE TRIGGER on an existing table takes SHARE ROW EXCLUSIVE: brief, but it blocks writes and queues behind long queries. */
final class CreateTriggerLockRule extends MigrationRule {
  CreateTriggerLockRule() {
    super("create-trigger-lock", Severity.WARN,
        "CREATE TRIGGER takes a lock that blocks writes and queues behind long-running queries.",
        "Set lock_timeout before it, and review the per-row work the trigger adds to the running release's writes.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.CreateTrigger.class)) {
      if (s.dialect() == Dialect.POSTGRESQL && s.command() instanceof Command.CreateTrigger t && !s.isNewTable(t.table())) {
        out.add(at(s, "CREATE TRIGGER " + q(t.name()) + " on " + q(t.table()) + " takes SHARE ROW EXCLUSIVE: writes wait"
            + " while it waits behind any long query, and the trigger adds work to every write of the running release.",
            "SET lock_timeout = '2s' before it (retry on timeout), and keep the trigger function cheap."));
      }
    }
    return out;
  }
}
