package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.sql.Command;
import dev.tollgate.probes.migration.sql.Dialect;
import java.util.ArrayList;
import java.util.List;

/** A CHECK on a domain: ALTER DOMAIN ADD CONSTRAINT validates every column using the domain under locks. */
final class DomainConstraintRule extends MigrationRule {
  DomainConstraintRule() {
    super("domain-constraint", Severity.BLOCK,
        "A domain CHECK constraint is validated against every column of every table that uses the domain, under locks.",
        "Put CHECK constraints on the columns (NOT VALID, then VALIDATE) instead of on a domain.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    if (!set.has(Dialect.POSTGRESQL)) {
      return out;
    }
    for (MigrationStatement s : set.statementsOf(Command.CreateDomain.class, Command.AlterDomain.class)) {
      if (s.dialect() != Dialect.POSTGRESQL) {
        continue;
      }
      if (s.command() instanceof Command.CreateDomain d && d.hasCheck()) {
        out.add(at(s, "CREATE DOMAIN " + q(d.name()) + " with a CHECK: every later constraint change on the domain scans"
            + " all tables that use it, and coercing columns to it forces rewrites.",
            "Create the domain without CHECK and put CHECK constraints on the columns (NOT VALID, then VALIDATE)."));
      } else if (s.command() instanceof Command.AlterDomain d && d.addConstraint() && !d.notValid()) {
        out.add(at(s, "ALTER DOMAIN " + q(d.name()) + " ADD CONSTRAINT checks every column of every table using the domain"
            + " while holding locks on them.",
            "Add the constraint NOT VALID and VALIDATE it in a later migration, or move the CHECK to the columns."));
      }
    }
    return out;
  }
}
