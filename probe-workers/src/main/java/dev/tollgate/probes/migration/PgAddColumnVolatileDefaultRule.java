package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** ADD COLUMN with a volatile DEFAULT (or any default before PostgreSQL 11) rewrites the whole table under ACCESS EXCLUSIVE. */
final class PgAddColumnVolatileDefaultRule extends MigrationRule {
  PgAddColumnVolatileDefaultRule() {
    super("pg-add-column-volatile-default", Severity.BLOCK,
        "ADD COLUMN with a volatile DEFAULT rewrites the table while reads and writes wait.",
        "Add the column without a default, SET DEFAULT for new rows, backfill existing rows in batches.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    int version = set.settings().postgresVersion();
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      ColumnDef c = a.column();
      if (a.statement().dialect() != Dialect.POSTGRESQL || c.defaultValue() == null || c.defaultValue().isNull()
          || c.generated() != ColumnDef.Generated.NONE || (c.type() != null && c.type().isSerial())) {
        continue;
      }
      String fn = RuleSupport.volatileFunction(c.defaultValue());
      String why;
      if (version < 11) {
        why = "before PostgreSQL 11 every non-NULL DEFAULT";
      } else if (fn != null) {
        why = (RuleSupport.KNOWN_VOLATILE.contains(fn) ? "the volatile function " : "the function of unknown volatility ")
            + fn + "() gives every row its own value, which";
      } else {
        continue;
      }
      out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + c.name()) + " DEFAULT "
          + c.defaultValue().text() + ": " + why + " rewrites all of " + q(a.alter().table())
          + " under an ACCESS EXCLUSIVE lock (reads and writes wait for the whole rewrite).",
          "ALTER TABLE " + a.alter().table() + " ADD COLUMN " + c.name() + " " + (c.type() == null ? "" : c.type().text())
              + "; then ALTER COLUMN " + c.name() + " SET DEFAULT " + c.defaultValue().text()
              + " (new rows only); backfill old rows in batches; add NOT NULL later via a validated CHECK."));
    }
    return out;
  }
}
