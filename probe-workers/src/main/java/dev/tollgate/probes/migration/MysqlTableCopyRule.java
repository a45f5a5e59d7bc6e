package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL operations that silently fall back to ALGORITHM=COPY (writes blocked): CONVERT TO CHARACTER SET, DROP PRIMARY
 * KEY without ADD, an ENGINE change, partitioning changes. Statements that assert INSTANT or INPLACE+LOCK=NONE are
 * refused by MySQL instead, so they are not flagged.
 */
final class MysqlTableCopyRule extends MigrationRule {
  MysqlTableCopyRule() {
    super("mysql-table-copy", Severity.BLOCK,
        "This ALTER TABLE falls back to a table copy (ALGORITHM=COPY) that blocks writes.",
        "Use gh-ost or pt-online-schema-change, or redesign the change (keep the charset, append ENUM members).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.MYSQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.AlterTable.class)) {
      if (s.dialect() != Dialect.MYSQL || !(s.command() instanceof Command.AlterTable at) || s.isNewTable(at.table())
          || at.mysqlAssertedOnline()) {
        continue;
      }
      boolean addsPk = at.actions().stream().anyMatch(a -> a instanceof AlterAction.AddConstraint c
          && c.constraint().kind() == TableConstraint.Kind.PRIMARY_KEY);
      for (AlterAction a : at.actions()) {
        String what = null;
        if (a instanceof AlterAction.Option o) {
          switch (o.name()) {
            case "CONVERT TO CHARACTER SET" -> what = "CONVERT TO CHARACTER SET " + o.value() + " rewrites every text column";
            case "ENGINE" -> what = o.value().toLowerCase(Locale.ROOT).equals("innodb") ? null
                : "ENGINE=" + o.value() + " changes the storage engine";
            case "PARTITION BY", "REMOVE PARTITIONING", "REORGANIZE PARTITION", "COALESCE PARTITION" ->
                what = o.name() + " repartitions the table";
            default -> { }
          }
        } else if (a instanceof AlterAction.DropConstraint d && "PRIMARY KEY".equals(d.kind()) && !addsPk) {
          what = "DROP PRIMARY KEY without a new one rebuilds the clustered index";
        }
        if (what != null) {
          out.add(at(s, what + ": MySQL copies " + q(at.table()) + " (ALGORITHM=COPY) with writes blocked, and replicas"
              + " lag for the whole copy.",
              "Run it with gh-ost or pt-online-schema-change; write ALGORITHM=INPLACE, LOCK=NONE to make MySQL refuse a"
                  + " silent copy."));
        }
      }
    }
    return out;
  }
}
