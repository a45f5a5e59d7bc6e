package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import dev.tollgate.probes.migration.sql.TableConstraint;
import java.util.ArrayList;
import java.util.List;

/** ADD UNIQUE on an existing PostgreSQL table builds its index under ACCESS EXCLUSIVE. */
final class AddUniqueConstraintRule extends MigrationRule {
  AddUniqueConstraintRule() {
    super("add-unique-constraint", Severity.BLOCK,
        "Adding a UNIQUE constraint builds its index while the table is locked against reads and writes.",
        "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (AddedConstraints.Added a : AddedConstraints.onExistingTables(set, TableConstraint.Kind.UNIQUE)) {
      if (a.statement().dialect() == Dialect.POSTGRESQL && a.constraint().usingIndex() == null) {
        String table = a.alter().table().toString();
        String name = a.constraint().name() == null ? table + "_key" : a.constraint().name();
        out.add(at(a.statement(), "ADD UNIQUE " + q(name) + " on " + q(table) + " builds a unique index under ACCESS"
            + " EXCLUSIVE: reads and writes wait for the whole build.", fix(table, name, a.constraint().columns())));
      }
    }
    for (AddedColumns.Added a : AddedColumns.onExistingTables(set)) {
      if (a.statement().dialect() == Dialect.POSTGRESQL && a.column().unique()) {
        String table = a.alter().table().toString();
        out.add(at(a.statement(), "ADD COLUMN " + q(table + "." + a.column().name()) + " UNIQUE builds a unique index"
            + " under ACCESS EXCLUSIVE.", fix(table, a.column().name() + "_key", List.of(a.column().name()))));
      }
    }
    return out;
  }

  private static String fix(String table, String name, List<String> cols) {
    return "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + String.join(", ", cols) + ") in a"
        + " non-transactional migration; then ALTER TABLE " + table + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX "
        + name + ". Deduplicate first: the running release may still insert duplicates.";
  }
}
