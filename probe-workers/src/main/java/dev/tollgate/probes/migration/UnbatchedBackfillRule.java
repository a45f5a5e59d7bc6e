package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Command.RowFilter;
import dev.tollgate.probes.migration.sql.Name;
import java.util.ArrayList;
import java.util.List;

/** An UPDATE/DELETE over a whole existing table in one statement: row locks on every row until commit, WAL burst, replica lag. */
final class UnbatchedBackfillRule extends MigrationRule {
  UnbatchedBackfillRule() {
    super("unbatched-backfill", Severity.BLOCK,
        "An UPDATE/DELETE touches the whole table in one transaction: every row stays locked until commit.",
        "Backfill in batches by primary-key range, each batch its own transaction, outside the schema migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    List<MigrationStatement> dml = new ArrayList<>(set.statementsOf(Command.Update.class));
    dml.addAll(set.statementsOf(Command.Delete.class));
    dml.sort(java.util.Comparator.comparingInt(MigrationStatement::seq));
    for (MigrationStatement s : dml) {
      Command c = s.command();
      Name table;
      RowFilter filter;
      String verb;
      if (c instanceof Command.Update u) {
        table = u.table();
        filter = u.filter();
        verb = "UPDATE";
      } else if (c instanceof Command.Delete d) {
        table = d.table();
        filter = d.filter();
        verb = "DELETE";
      } else {
        continue;
      }
      if (s.isNewTable(table) || (filter != RowFilter.NONE && filter != RowFilter.OTHER)) {
        continue;
      }
      out.add(at(s, verb + " on " + q(table) + (filter == RowFilter.NONE ? " without WHERE" : " with a WHERE that is not a"
          + " key range or LIMIT") + " changes potentially every row in one transaction: the running release's writes to"
          + " those rows wait until commit, and the WAL/binlog burst lags replicas."
          + (s.unit().transactional() && s.unit().statements().size() > 1 ? " It also keeps the migration's other locks"
              + " held (" + s.unit().label() + ")." : ""),
          "Batch it by key range (e.g. WHERE id >= :lo AND id < :lo + 10000), one transaction per batch, throttled,"
              + " outside the schema migration (a job or repeated small migrations)."));
    }
    return out;
  }
}
