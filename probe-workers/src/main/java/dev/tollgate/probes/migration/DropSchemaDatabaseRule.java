package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import java.util.ArrayList;
import java.util.List;

/** DROP SCHEMA / DROP DATABASE removes everything in it at once. */
final class DropSchemaDatabaseRule extends MigrationRule {
  DropSchemaDatabaseRule() {
    super("drop-schema-database", Severity.BLOCK,
        "Migration drops a schema or database: every object in it, and its data, is gone.",
        "Move what is still used elsewhere first; drop the schema in a later release after a backup.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (BreakingChange c : BreakingChange.of(set)) {
      if (c.kind() == BreakingChange.Kind.DROP_SCHEMA) {
        String type = ((Command.Drop) c.statement().command()).type();
        out.add(at(c.statement(), "DROP " + type + " " + q(c.table()) + " removes every table, view and function in it,"
            + " with their data: the running release fails on any of them.",
            "Release N: stop using everything in " + c.table() + "; release N+1: drop it, after a backup."));
      }
    }
    return out;
  }
}
