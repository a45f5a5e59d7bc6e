package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** Renaming a schema breaks every query of the running release that qualifies names with it. */
final class RenameSchemaRule extends MigrationRule {
  RenameSchemaRule() {
    super("rename-schema", Severity.BLOCK,
        "Migration renames a schema: the running release's qualified names and search_path break.",
        "Create the new schema and move objects over with compatibility views, or keep the name.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.RENAME_SCHEMA) {
        out.add(at(c.statement(), "ALTER SCHEMA " + q(c.table()) + " RENAME TO " + q(c.newName()) + ": every query of the"
            + " running release that names " + q(c.table()) + " (or has it on its search_path) fails at once.",
            "Keep the schema name; if it must change, create " + c.newName() + ", move objects with views left behind in "
                + c.table() + ", and drop those in a later release."));
      }
    }
    return out;
  }
}
