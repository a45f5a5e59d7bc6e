package dev.tollgate.probes.migration;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What an in-code acknowledgement (Rails strong_migrations' {@code safety_assured { ... }}) does to a finding inside it.
 *
 * <p>Tollgate's own acknowledgement of a blocking finding is an approver's override of the NO_GO (a named approver who
 * is not the deploy's author, with a reason, in the audit log). An in-code marker is the author's own word, so by
 * default it hides nothing: the finding keeps its severity and says it was acknowledged in code, so the approver sees
 * what the author claimed. Operators who trust their code review may set {@code migrations.acknowledgements: warn} in
 * tollgate.yml: blocking findings about risks (locks, old code) inside the marker then become warnings (still shown,
 * and still blocking where {@code warningsBlock} is set). Findings about a migration that will fail or cannot be
 * read never change: no acknowledgement makes them work.
 */
final class Acknowledgements {
  /** Rules whose findings say the migration fails at deploy time or was not read: no acknowledgement applies. */
  private static final Set<String> NOT_ACKNOWLEDGEABLE = Set.of("migration/pg-concurrent-in-transaction",
      "migration/enum-add-value-in-transaction", "migration/unparseable-sql", "migration/unreadable-migration",
      "migration/edited-applied-migration", "migration/invalid-config", "migration/unchecked-framework");

  private Acknowledgements() {}

  static List<RuleViolation> apply(MigrationSet set, MigrationRule rule, List<RuleViolation> violations) {
    if (violations.isEmpty() || !set.hasAcknowledgements()) {
      return violations;
    }
    List<RuleViolation> out = new ArrayList<>(violations.size());
    for (RuleViolation v : violations) {
      Acknowledgement ack = v.file() == null ? null : set.acknowledgementAt(v.file(), v.line());
      if (ack == null || NOT_ACKNOWLEDGEABLE.contains(rule.id().value())) {
        out.add(v);
        continue;
      }
      Severity severity = v.severity() != null ? v.severity() : rule.severity();
      String message = v.message() != null ? v.message() : rule.summary();
      if (severity == Severity.BLOCK && set.settings().acknowledgementsWarn()) {
        out.add(new RuleViolation(v.file(), v.line(), message + " Acknowledged in the migration with `" + ack.marker()
            + "` (line " + ack.line() + "), which the operators' policy accepts as a warning"
            + " (migrations.acknowledgements: warn).", v.fix(), Severity.WARN, v.commit(), v.fingerprint(), v.clearsAt()));
      } else if (severity == Severity.BLOCK || severity == Severity.WARN) {
        out.add(new RuleViolation(v.file(), v.line(), message + " Acknowledged in the migration with `" + ack.marker()
            + "` (line " + ack.line() + "): Tollgate reports it anyway; an approver's override accepts it.", v.fix(),
            v.severity(), v.commit(), v.fingerprint(), v.clearsAt()));
      } else {
        out.add(v);
      }
    }
    return out;
  }
}
