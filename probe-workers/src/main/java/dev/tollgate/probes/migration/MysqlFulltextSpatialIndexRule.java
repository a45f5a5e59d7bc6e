package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.AlterAction;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** ADD FULLTEXT/SPATIAL INDEX takes LOCK=SHARED (writes blocked); the first FULLTEXT index rebuilds the table. */
final class MysqlFulltextSpatialIndexRule extends MigrationRule {
  MysqlFulltextSpatialIndexRule() {
    super("mysql-fulltext-spatial-index", Severity.BLOCK,
        "A FULLTEXT or SPATIAL index build blocks writes (and the first FULLTEXT index rebuilds the table).",
        "Build it with an online schema-change tool (gh-ost, pt-online-schema-change).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.MYSQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.CreateIndex.class, Command.AlterTable.class)) {
      if (s.dialect() != Dialect.MYSQL) {
        continue;
      }
      if (s.command() instanceof Command.CreateIndex ci && (ci.kind().equals("FULLTEXT") || ci.kind().equals("SPATIAL"))
          && !s.isNewTable(ci.table())) {
        out.add(violation(s, ci.kind(), ci.table().toString()));
      } else if (s.command() instanceof Command.AlterTable at && !s.isNewTable(at.table())) {
        for (AlterAction a : at.actions()) {
          if (a instanceof AlterAction.AddIndex ix && (ix.kind().equals("FULLTEXT") || ix.kind().equals("SPATIAL"))) {
            out.add(violation(s, ix.kind(), at.table().toString()));
          }
        }
      }
    }
    return out;
  }

  private static RuleViolation violation(MigrationStatement s, String kind, String table) {
    return at(s, "Adding a " + kind + " index on " + q(table) + " runs with LOCK=SHARED: writes wait for the whole build"
        + (kind.equals("FULLTEXT") ? ", and the first FULLTEXT index rebuilds the table to add FTS_DOC_ID." : "."),
        "Build it with gh-ost or pt-online-schema-change" + (kind.equals("FULLTEXT")
            ? "; for later FULLTEXT indexes, add an FTS_DOC_ID column with the table." : "."));
  }
}
