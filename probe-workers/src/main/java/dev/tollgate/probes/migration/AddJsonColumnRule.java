package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** A {@code json} column has no equality operator: the running release's SELECT DISTINCT / UNION / GROUP BY over * break. */
final class AddJsonColumnRule extends MigrationRule {
  AddJsonColumnRule() {
    super("add-json-column", Severity.WARN,
        "A json column has no equality operator, so existing DISTINCT/UNION/GROUP BY queries over * fail.",
        "Use jsonb.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      if (a.statement().dialect() == Dialect.POSTGRESQL && a.column().type() != null && a.column().type().name().equals("json")
          && a.column().type().arrayDims() == 0) {
        out.add(at(a.statement(), "ADD COLUMN " + q(a.alter().table() + "." + a.column().name()) + " json: json has no"
            + " equality operator, so the running release's SELECT DISTINCT, UNION and GROUP BY over " + q(a.alter().table())
            + ".* start failing (\"could not identify an equality operator for type json\").",
            "ALTER TABLE " + a.alter().table() + " ADD COLUMN " + a.column().name() + " jsonb"));
      }
    }
    return out;
  }
}
