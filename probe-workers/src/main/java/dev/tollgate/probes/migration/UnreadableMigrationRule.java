package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of a framework migration the probe could not read (an unknown method, SQL built at run time): it may do anything
 * to the schema, so it fails closed; application code run on the data only warns.
 */
final class UnreadableMigrationRule extends MigrationRule {
  UnreadableMigrationRule() {
    super("unreadable-migration", Severity.BLOCK,
        "Part of a migration cannot be read, so what it does to the schema was not checked.",
        "Write the change with the framework's own schema operations (or SQL in a literal string), or review it by hand"
            + " and have an approver override the verdict.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (Migration m : set.pending()) {
      for (Unread u : m.unread()) {
        String name = m.framework().displayName();
        if (u.kind() == Unread.Kind.DATA) {
          out.add(RuleViolation.at(m.path(), u.line(), "Runs application code `" + u.excerpt() + "` (" + u.reason()
              + "): the probe cannot see what it does to the data or how long it holds the migration's locks.")
              .withSeverity(Severity.WARN)
              .withFix("Keep data changes out of schema migrations (a batched job after the deploy), or make sure this"
                  + " one touches few rows."));
        } else {
          out.add(RuleViolation.at(m.path(), u.line(), "Cannot read `" + u.excerpt() + "` (" + u.reason() + "): what it"
              + " does to the schema was not checked, so the probe cannot call this " + name + " migration safe.")
              .withFix("Use " + name + "'s own schema operations or SQL in a literal string, so the change can be checked;"
                  + " or review it by hand and have an approver override the verdict."));
        }
      }
    }
    return out;
  }
}
