package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import java.util.ArrayList;
import java.util.List;

/** An explicit LOCK=SHARED blocks writes, LOCK=EXCLUSIVE blocks reads and writes, for the whole ALTER. */
final class MysqlLockSharedExclusiveRule extends MigrationRule {
  MysqlLockSharedExclusiveRule() {
    super("mysql-lock-shared-exclusive", Severity.BLOCK,
        "LOCK=SHARED blocks writes and LOCK=EXCLUSIVE blocks reads and writes for the whole ALTER.",
        "Use LOCK=NONE (or leave LOCK at its default).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.MYSQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class, Command.CreateIndex.class, Command.DropIndex.class)) {
      if (s.dialect() != Dialect.MYSQL) {
        continue;
      }
      Name table = null;
      String lock = null;
      if (s.command() instanceof Command.AlterTable at) {
        table = at.table();
        lock = at.lock();
      } else if (s.command() instanceof Command.CreateIndex ci) {
        table = ci.table();
        lock = ci.lock();
      } else if (s.command() instanceof Command.DropIndex di && di.table() != null) {
        table = di.table();
        lock = di.lock();
      }
      if (("SHARED".equals(lock) || "EXCLUSIVE".equals(lock)) && !s.isNewTable(table)) {
        out.add(at(s, "LOCK=" + lock + " on " + q(table) + " blocks " + ("SHARED".equals(lock) ? "writes" : "reads and writes")
            + " for the whole operation.", "Use LOCK=NONE; if MySQL refuses, the operation needs an online schema-change tool."));
      }
    }
    return out;
  }
}
