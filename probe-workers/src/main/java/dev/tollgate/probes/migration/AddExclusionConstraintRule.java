package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** ADD EXCLUDE on an existing table: cannot be NOT VALID nor concurrent, so it builds and checks under ACCESS EXCLUSIVE. */
final class AddExclusionConstraintRule extends MigrationRule {
  AddExclusionConstraintRule() {
    super("add-exclusion-constraint", Severity.BLOCK,
        "Adding an EXCLUDE constraint builds and checks it under ACCESS EXCLUSIVE, with no online alternative.",
        "Create it with a new table and migrate the data, or schedule a maintenance window.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (AddedConstraints.Added a : AddedConstraints.onExistingTables(set, TableConstraint.Kind.EXCLUDE)) {
      if (a.statement().dialect() == Dialect.POSTGRESQL) {
        out.add(at(a.statement(), "ADD EXCLUDE constraint on " + q(a.alter().table()) + " builds its index and checks every"
            + " row under ACCESS EXCLUSIVE; it can be neither NOT VALID nor built concurrently.",
            "Create a new table with the constraint and move the data over, or run it in a maintenance window."));
      }
    }
    return out;
  }
}
