package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD: full table rewrites under ACCESS EXCLUSIVE. */
final class TableRewriteMaintenanceRule extends MigrationRule {
  TableRewriteMaintenanceRule() {
    super("table-rewrite-maintenance", Severity.BLOCK,
        "A maintenance command rewrites the whole table under ACCESS EXCLUSIVE.",
        "Run pg_repack outside the deploy (or REPACK CONCURRENTLY on PostgreSQL 19+).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    String fix = set.settings().postgresVersion() >= 19
        ? "Use REPACK (CONCURRENTLY) outside the deploy, or pg_repack."
        : "Use pg_repack outside the deploy; plain VACUUM/ANALYZE are fine (VACUUM outside a transaction).";
    for (MigrationStatement s : set.statementsOf(Command.Vacuum.class, Command.Cluster.class, Command.AlterTable.class)) {
      if (s.dialect() != Dialect.POSTGRESQL) {
        continue;
      }
      Command c = s.command();
      if (c instanceof Command.Vacuum v && v.full()) {
        out.add(at(s, "VACUUM FULL" + (v.tables().isEmpty() ? " (every table)" : " " + q(v.tables().get(0)))
            + " rewrites the table under ACCESS EXCLUSIVE: reads and writes wait for the whole copy.", fix));
      } else if (c instanceof Command.Cluster cl) {
        out.add(at(s, "CLUSTER" + (cl.table() == null ? " (every clustered table)" : " " + q(cl.table()))
            + " rewrites the table under ACCESS EXCLUSIVE.", fix));
      } else if (c instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
        for (AlterAction a : at.actions()) {
          String what = a instanceof AlterAction.SetLogged l ? (l.logged() ? "SET LOGGED" : "SET UNLOGGED")
              : a instanceof AlterAction.SetTablespace t ? "SET TABLESPACE " + t.tablespace()
              : a instanceof AlterAction.SetAccessMethod m ? "SET ACCESS METHOD " + m.method() : null;
          if (what != null) {
            out.add(at(s, "ALTER TABLE " + q(at.table()) + " " + what + " rewrites the table under ACCESS EXCLUSIVE.",
                "Create the table as wanted from the start, or copy the data into a new table and switch over; " + fix));
          }
        }
      }
    }
    return out;
  }
}
