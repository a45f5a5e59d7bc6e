package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.Name;
import java.util.ArrayList;
import java.util.List;

/** An explicit ALGORITHM=COPY copies the table with writes blocked. */
final class MysqlAlgorithmCopyRule extends MigrationRule {
  MysqlAlgorithmCopyRule() {
    super("mysql-algorithm-copy", Severity.BLOCK,
        "ALGORITHM=COPY copies the whole table while writes are blocked.",
        "Remove it or use ALGORITHM=INPLACE/INSTANT; MySQL then refuses instead of copying.");
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
      String algorithm = null;
      if (s.command() instanceof Command.AlterTable at) {
        table = at.table();
        algorithm = at.algorithm();
      } else if (s.command() instanceof Command.CreateIndex ci) {
        table = ci.table();
        algorithm = ci.algorithm();
      } else if (s.command() instanceof Command.DropIndex di && di.table() != null) {
        table = di.table();
        algorithm = di.algorithm();
      }
      if ("COPY".equals(algorithm) && !s.isNewTable(table)) {
        out.add(at(s, "ALGORITHM=COPY on " + q(table) + " copies the whole table; INSERT/UPDATE/DELETE wait until the copy"
            + " ends.", "Drop ALGORITHM=COPY and write ALGORITHM=INPLACE, LOCK=NONE (or INSTANT); if MySQL refuses, use"
            + " gh-ost/pt-online-schema-change."));
      }
    }
    return out;
  }
}
