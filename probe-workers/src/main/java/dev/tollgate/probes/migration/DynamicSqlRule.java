package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** A DO block that runs dynamic SQL (EXECUTE of an expression): what it does cannot be checked statically. */
final class DynamicSqlRule extends MigrationRule {
  DynamicSqlRule() {
    super("dynamic-sql", Severity.WARN,
        "A DO block runs dynamic SQL (EXECUTE of an expression) that cannot be checked before the deploy.",
        "Write the statements out, or review the generated SQL by hand for locks and compatibility.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.DoBlock.class)) {
      if (s.command() instanceof Command.DoBlock d && d.dynamicSql()) {
        out.add(at(s, "This " + (d.language().equals("plpgsql") ? "DO block runs EXECUTE with a computed string"
            : "DO block is written in " + d.language()) + ": the SQL it runs is only known at deploy time, so its locks"
            + " and compatibility were not checked.",
            "Write the statements out in the migration, or review what the block generates for every rule."));
      }
    }
    return out;
  }
}
