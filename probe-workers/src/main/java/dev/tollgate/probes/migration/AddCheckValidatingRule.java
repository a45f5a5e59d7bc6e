package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** Adding a CHECK constraint that is validated at once scans the table under ACCESS EXCLUSIVE (PostgreSQL) or copies it (MySQL). */
final class AddCheckValidatingRule extends MigrationRule {
  AddCheckValidatingRule() {
    super("add-check-validating", Severity.BLOCK,
        "Adding a validated CHECK constraint scans (or copies) the whole table while it is locked.",
        "PostgreSQL: ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (AddedConstraints.Added a : AddedConstraints.onExistingTables(set, TableConstraint.Kind.CHECK)) {
      TableConstraint c = a.constraint();
      String table = a.alter().table().toString();
      String name = c.name() == null ? table + "_check" : c.name();
      if (a.statement().dialect() == Dialect.MYSQL) {
        if (a.alter().mysqlAssertedOnline()) {
          continue;
        }
        out.add(at(a.statement(), "ADD CHECK " + q(name) + " on " + q(table) + " (MySQL 8.0.16+) copies the table with"
            + " writes blocked, even NOT ENFORCED.",
            "Enforce the rule in the application, or add the constraint with an online schema-change tool."));
      } else if (!c.notValid()) {
        out.add(at(a.statement(), "ADD CONSTRAINT " + q(name) + " CHECK (" + (c.check() == null ? "..." : c.check().text())
            + ") without NOT VALID scans all of " + q(table) + " under an ACCESS EXCLUSIVE lock: reads and writes wait.",
            "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " CHECK (...) NOT VALID; then VALIDATE CONSTRAINT "
                + name + " in a later migration (SHARE UPDATE EXCLUSIVE: traffic continues)."));
      }
    }
    return out;
  }
}
