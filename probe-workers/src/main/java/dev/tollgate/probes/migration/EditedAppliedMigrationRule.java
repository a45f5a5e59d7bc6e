package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration the running release already applied is modified, deleted or renamed: Flyway and Liquibase fail
 * validation at start-up (checksum mismatch / missing migration), and other tools silently never run the edit.
 */
final class EditedAppliedMigrationRule extends MigrationRule {
  EditedAppliedMigrationRule() {
    super("edited-applied-migration", Severity.BLOCK,
        "An already-applied migration was changed: the framework refuses to start or the change never runs.",
        "Revert the edit and put the change in a new migration.");
  }

  @Override
  List<RuleViolation> check(MigrationSet set) {
    List<RuleViolation> out = new ArrayList<>();
    for (MigrationSet.Edited e : set.edited()) {
      String effect = switch (e.framework()) {
        case FLYWAY -> e.change().equals("modified")
            ? "Flyway's validate fails on the checksum mismatch and the new release does not start"
            : "Flyway's validate fails (applied migration not resolved locally) and the new release does not start";
        case LIQUIBASE -> "Liquibase fails with a checksum validation error and the new release does not start";
        default -> "the database already ran the old version, so the edit never runs and environments drift apart";
      };
      out.add(RuleViolation.at(e.path(), Math.max(e.line(), 1), e.subject() + " was applied by the running release and is "
          + e.change() + " in this deploy: " + effect + ".")
          .withFix("Restore " + e.subject() + " as it was and make the change in a new migration"
              + (e.framework() == Framework.LIQUIBASE ? " (a new changeset; runOnChange:true only for repeatable logic)." : ".")));
    }
    return out;
  }
}
