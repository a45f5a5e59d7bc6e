package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of the deploy looks like a migration of a framework the probe does not read: it was not checked, and a gate
 * must say so rather than pass it silently. Blocking (not read is not checked), a warning where the operators say
 * {@code migrations.notChecked: warn} (a repository cannot: it may only tighten); files the repository declares are
 * not migrations are shown with the reason it gives.
 */
final class UncheckedFrameworkRule extends MigrationRule {
  UncheckedFrameworkRule() {
    super("unchecked-framework", Severity.BLOCK,
        "A file looks like a migration of a framework the probe does not read, so it was not checked.",
        "Review it by hand; or, if it is not a migration, declare it in .tollgate.yml migrations.notMigrations with the"
            + " reason in a deploy of its own before the file (a range cannot exempt what it ships), or ask an approver"
            + " to override.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    Severity severity = set.settings().notCheckedBlocks() ? Severity.BLOCK : Severity.WARN;
    for (MigrationSet.Unchecked u : set.unchecked()) {
      out.add(RuleViolation.at(u.path(), 1, u.path() + " looks like a migration of " + u.framework() + ", which the"
          + " migrations probe does not read: not checked (locks, columns the running release still uses, transactions)"
          + (severity == Severity.BLOCK ? "; Tollgate does not deploy what it cannot check (operators may downgrade"
          + " this to a warning: migrations.notChecked: warn in the server's tollgate.yml)." : "."))
          .withSeverity(severity)
          .withFix("Before deploying, " + u.howToCheck() + ". If it is not a migration, declare it in .tollgate.yml"
              + " in a deploy of its own before the file (a range cannot exempt what it ships):"
              + " `migrations: {notMigrations: {\"" + u.path() + "\": \"<why it is not a migration>\"}}`;"
              + " or ask an approver to override."));
    }
    for (MigrationSet.Declared d : set.declared()) {
      out.add(RuleViolation.at(d.path(), 1, d.path() + " is declared not a migration in .tollgate.yml: \"" + d.reason()
          + "\". Not checked.").withSeverity(Severity.INFO)
          .withFix("If it is run against a database after all, remove it from migrations.notMigrations."));
    }
    return out;
  }
}
