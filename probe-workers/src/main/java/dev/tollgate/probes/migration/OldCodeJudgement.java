package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;

/**
 * Turns an old-code search into the finding of a compatibility rule: referenced by the running release → the rule's
 * severity with the references as evidence; not referenced → INFO (the contract step of expand/contract); no old code
 * to search (CLI) → the rule's severity, as a plain linter would.
 */
final class OldCodeJudgement {
  private OldCodeJudgement() {}

  /**
   * Why a model counts as a use even where no code names the column: ActiveRecord reads every column of its table
   * when the application boots and writes them all.
   */
  private static String modelNote(OldCode old, BreakingChange change) {
    if (change.column() == null) {
      return "";
    }
    for (OrmModel m : old.modelsOf(change.table().name())) {
      if (m.mapsEveryColumn() && m.maps(change.column())) {
        return " (" + m.framework().displayName() + " model `" + m.name() + "` maps every column of `" + change.table().name()
            + "` it is not told to ignore)";
      }
    }
    return "";
  }

  static RuleViolation judge(MigrationSet set, MigrationStatement s, BreakingChange change, String action, String risk,
      String fix) {
    OldCode old = set.oldCode();
    String subject = "`" + change.subject() + "`";
    if (!old.available()) {
      if (old.unavailableReason() != null && old.unavailableReason().startsWith("first deploy")) {
        return RuleViolation.at(s.path(), s.line(), action + " " + subject + " on a first deploy: no release is running"
            + " that could still use it.").withFix(fix).withSeverity(Severity.INFO);
      }
      return RuleViolation.at(s.path(), s.line(), action + " " + subject + ": " + risk).withFix(fix);
    }
    if (old.filesSearched() == 0) {
      return RuleViolation.at(s.path(), s.line(), action + " " + subject + ": " + risk + " (The running release has no"
          + " application code in this repository to search, so nothing shows it stopped using it.)").withFix(fix);
    }
    OldCode.Usage usage = change.usage(old);
    if (usage.used()) {
      return RuleViolation.at(s.path(), s.line(), action + " " + subject + ", but the running release still uses it at "
          + usage.evidence(3) + modelNote(old, change) + ": " + risk).withFix(fix);
    }
    if (usage.ignoredBy() != null) {
      return RuleViolation.at(s.path(), s.line(), action + " " + subject + ": the running release's model no longer maps"
          + " it (" + usage.ignoredBy().text() + " at " + usage.ignoredBy() + "), so this is the contract step of an"
          + " expand/contract change and allowed.").withFix(fix).withSeverity(Severity.INFO);
    }
    if (old.filesNotSearched() > 0) {
      // Fail closed: a reference may sit in a file the search could not read, so absence is not shown.
      int n = old.filesNotSearched();
      return RuleViolation.at(s.path(), s.line(), action + " " + subject + ": " + risk + " (No reference was found in the "
          + usage.filesSearched() + " files searched, but " + n + (n == 1 ? " file" : " files") + " of the running release"
          + " could not be searched: over worker.maxFileBytes or past the search's bounds.)").withFix(fix);
    }
    return RuleViolation.at(s.path(), s.line(), action + " " + subject + ": the running release's code does not reference"
        + " it (" + usage.filesSearched() + (usage.filesSearched() == 1 ? " file" : " files") + " searched, migrations and tests excluded), so this is the contract step"
        + " of an expand/contract change and allowed.").withFix(fix).withSeverity(Severity.INFO);
  }
}
