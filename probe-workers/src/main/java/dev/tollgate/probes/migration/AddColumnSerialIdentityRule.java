package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.ColumnDef;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** Adding a serial/identity/AUTO_INCREMENT column numbers every existing row: a rewrite under a lock that blocks writes. */
final class AddColumnSerialIdentityRule extends MigrationRule {
  AddColumnSerialIdentityRule() {
    super("add-column-serial-identity", Severity.BLOCK,
        "ADD COLUMN serial/identity/AUTO_INCREMENT numbers every row: the table is rewritten while writes wait.",
        "Add a nullable bigint, give new rows a sequence default, backfill in batches, then add constraints.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      ColumnDef c = a.column();
      String kind = c.type() != null && c.type().isSerial() ? c.type().name()
          : c.generated() == ColumnDef.Generated.IDENTITY ? "GENERATED AS IDENTITY" : c.autoIncrement() ? "AUTO_INCREMENT" : null;
      if (kind == null) {
        continue;
      }
      boolean my = a.statement().dialect() == Dialect.MYSQL;
      out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + c.name()) + " " + kind
          + " gives every existing row a value from a sequence: " + (my
              ? "MySQL rebuilds the table with writes blocked (and statement-based replicas may number rows differently)."
              : "PostgreSQL rewrites " + q(a.alter().table()) + " under ACCESS EXCLUSIVE."),
          "Add " + c.name() + " as a nullable bigint, attach a sequence default for new rows, backfill existing rows in"
              + " batches, then add NOT NULL/PRIMARY KEY the safe way (or copy into a new table)."));
    }
    return out;
  }
}
