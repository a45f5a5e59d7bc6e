package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** Adding a STORED generated column computes it for every existing row: a rewrite (PostgreSQL) or table copy (MySQL). */
final class AddColumnStoredGeneratedRule extends MigrationRule {
  AddColumnStoredGeneratedRule() {
    super("add-column-stored-generated", Severity.BLOCK,
        "ADD COLUMN ... GENERATED ... STORED rewrites or copies the whole table while writes wait.",
        "Add a plain column, maintain it from the application or a trigger, backfill in batches (or use VIRTUAL).");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      if (a.column().generated() != ColumnDef.Generated.STORED) {
        continue;
      }
      boolean my = a.statement().dialect() == Dialect.MYSQL;
      if (my && a.alter().mysqlAssertedOnline()) {
        continue; // ALGORITHM=INSTANT/INPLACE,LOCK=NONE: MySQL refuses instead of copying.
      }
      out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + a.column().name())
          + " GENERATED ... STORED computes the value for every existing row: " + (my
              ? "MySQL copies the table (ALGORITHM=COPY) and blocks writes."
              : "PostgreSQL rewrites " + q(a.alter().table()) + " under ACCESS EXCLUSIVE."),
          my ? "Use a VIRTUAL generated column (INSTANT), or a plain column filled by the application and a batched backfill."
              : set.settings().postgresVersion() >= 18
                  ? "Use a VIRTUAL generated column (PostgreSQL 18+, no rewrite), or a plain column, a trigger and a batched backfill."
                  : "Add a plain column, keep it filled with a trigger or from the application, backfill in batches."));
    }
    return out;
  }
}
