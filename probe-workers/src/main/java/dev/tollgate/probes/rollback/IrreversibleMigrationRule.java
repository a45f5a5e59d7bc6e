package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.BreakingChange;
import dev.tollgate.probes.migration.Changeset;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.MigrationKind;
import dev.tollgate.probes.migration.MigrationSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A new migration has no way back (no undo file, down migration or Liquibase rollback) and is not declared
 * forward-only: rolling the schema back would mean writing one during the incident.
 */
final class IrreversibleMigrationRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/irreversible-migration");

  /** Changes whose data a down migration cannot bring back. */
  static final Set<BreakingChange.Kind> DESTRUCTIVE = EnumSet.of(BreakingChange.Kind.DROP_COLUMN,
      BreakingChange.Kind.DROP_TABLE, BreakingChange.Kind.DROP_SCHEMA, BreakingChange.Kind.TRUNCATE,
      BreakingChange.Kind.DELETE_ROWS, BreakingChange.Kind.CHANGE_COLUMN_TYPE);

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.WARN;
  }

  @Override
  public String summary() {
    return "A new migration has no way back and is not declared forward-only (a destructive one blocks).";
  }

  @Override
  public String help() {
    return "Add its down/undo migration (or Liquibase rollback); or declare it in .tollgate.yml rollback.forwardOnly"
        + " with the reason in a deploy of its own before the file (a range cannot waive what it ships), or ask an"
        + " approver to override.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    if (ctx.changes().firstDeploy()) {
      return List.of(); // nothing runs yet, so there is nothing to roll the schema back to
    }
    RollbackSettings settings = RollbackSettings.of(ctx);
    MigrationSet set = MigrationSet.of(ctx);
    List<BreakingChange> destructive = BreakingChange.of(set).stream().filter(c -> DESTRUCTIVE.contains(c.kind())).toList();
    List<RuleViolation> out = new ArrayList<>();
    for (Migration m : set.pending()) {
      if (m.kind() != MigrationKind.UP) {
        continue; // down/undo files are the way back; Flyway R__ files are re-applied, not undone
      }
      if (m.framework() == Framework.LIQUIBASE) {
        for (Changeset cs : m.changesets()) {
          boolean wayBack = cs.rollback() != null || cs.derivedRollback();
          List<BreakingChange> lost = destructive.stream().filter(c -> c.statement().unit().changeset() == cs).toList();
          String subject = "Changeset `" + cs.key() + "` of " + m.path();
          judge(m, cs.line(), subject, wayBack, null, lost, declared(settings, m.path() + "#" + cs.key(), m.path()),
              m.path() + "#" + cs.key(), out);
        }
        continue;
      }
      Optional<Migration> counterpart = set.counterpart(m);
      String emptyCounterpart = null;
      boolean wayBack = switch (m.framework()) {
        case FLYWAY, GOLANG_MIGRATE -> counterpart.isPresent() && !counterpart.get().statements().isEmpty();
        case DBMATE -> m.downSection().map(s -> !s.statements().isEmpty()).orElse(false);
        case PLAIN -> false;
        // Frameworks read by migration.framework say how they reverse a migration (def down, downgrade()).
        default -> m.wayBack().isPresent();
      };
      if (counterpart.isPresent() && counterpart.get().statements().isEmpty()) {
        emptyCounterpart = counterpart.get().path();
      }
      List<BreakingChange> lost = destructive.stream().filter(c -> c.statement().migration() == m).toList();
      judge(m, 1, m.path(), wayBack, emptyCounterpart, lost, declared(settings, m.path(), null), m.path(), out);
    }
    return out;
  }

  private static Optional<String> declared(RollbackSettings settings, String key, String fallback) {
    Optional<String> reason = settings.forwardOnly(key);
    return reason.isPresent() || fallback == null ? reason : settings.forwardOnly(fallback);
  }

  private static void judge(Migration m, int line, String subject, boolean wayBack, String emptyCounterpart,
      List<BreakingChange> lost, Optional<String> reason, String declareKey, List<RuleViolation> out) {
    String losing = lost.isEmpty() ? "" : describe(lost);
    if (wayBack) {
      if (!lost.isEmpty()) {
        // The way back restores the schema, not the data: worth knowing before the incident, not a reason to stop.
        out.add(RuleViolation.at(m.path(), line, subject + " " + losing + "; its " + wayBackName(m.framework())
            + " can restore the schema but not the data.").withSeverity(Severity.INFO)
            .withFix("Before deploying, back up or archive what it removes, so a rollback can restore the data too."));
      }
      return;
    }
    if (reason.isPresent()) {
      // Declared and reviewed: shown with its reason. Only data loss stays a warning, so it is seen at every deploy.
      out.add(RuleViolation.at(m.path(), line, subject + (lost.isEmpty() ? "" : " " + losing) + " is declared forward-only:"
          + " \"" + reason.get() + "\". Rolling back this deploy leaves its schema change in place"
          + (lost.isEmpty() ? "." : ", and the data it removes is gone."))
          .withSeverity(lost.isEmpty() ? Severity.INFO : Severity.WARN)
          .withFix("Make sure the release you would roll back to works on the new schema (expand/contract), and keep"
              + " the backup or restore plan the reason refers to at hand."));
      return;
    }
    String missing = emptyCounterpart != null ? "its " + wayBackName(m.framework()) + " " + emptyCounterpart + " is empty"
        : "it has no " + wayBackName(m.framework());
    String declare = "declare it forward-only in .tollgate.yml in a deploy of its own before the file (a range cannot"
        + " waive what it ships): `rollback: {forwardOnly: {\"" + declareKey + "\": \"<why there is no way back>\"}}`;"
        + " or ask an approver to override";
    if (!lost.isEmpty()) {
      out.add(RuleViolation.at(m.path(), line, subject + " " + losing + " and " + missing + ": once it runs, a rollback"
          + " can bring back neither the schema nor the data.").withSeverity(Severity.BLOCK)
          .withFix("Back up or archive the data it removes and add " + howToAdd(m) + "; if losing it is intended, " + declare
              + "."));
      return;
    }
    out.add(RuleViolation.at(m.path(), line, subject + ": " + missing + ", so rolling the schema back means writing one"
        + " during the incident.").withSeverity(Severity.WARN)
        .withFix("Add " + howToAdd(m) + ", or " + declare + "."));
  }

  private static String describe(List<BreakingChange> lost) {
    BreakingChange c = lost.get(0);
    String what = switch (c.kind()) {
      case DROP_COLUMN -> "drops column `" + c.subject() + "`";
      case DROP_TABLE -> "drops table `" + c.subject() + "`";
      case DROP_SCHEMA -> "drops schema `" + c.subject() + "`";
      case TRUNCATE -> "truncates `" + c.subject() + "`";
      case DELETE_ROWS -> "deletes rows of `" + c.subject() + "`";
      default -> "changes the type of `" + c.subject() + "`";
    };
    return what + " (line " + c.statement().line() + ")" + (lost.size() > 1 ? " and " + (lost.size() - 1) + " more" : "");
  }

  private static String wayBackName(Framework f) {
    return switch (f) {
      case FLYWAY -> "undo migration";
      case GOLANG_MIGRATE -> "down migration";
      case DBMATE -> "`-- migrate:down` section";
      case LIQUIBASE -> "rollback";
      case PLAIN -> "way back (plain SQL files have no down convention)";
      default -> "way back (" + f.displayName() + " cannot reverse it)";
    };
  }

  private static String howToAdd(Migration m) {
    String file = m.path().substring(m.path().lastIndexOf('/') + 1);
    return switch (m.framework()) {
      case FLYWAY -> "`" + file.replaceFirst("^V", "U") + "` beside it that reverses it";
      case GOLANG_MIGRATE -> "`" + file.replaceFirst("\\.up\\.sql$", ".down.sql") + "` beside it";
      case DBMATE -> "a `-- migrate:down` section that reverses it";
      case LIQUIBASE -> "a `--rollback` line or `<rollback>` element to the changeset";
      case PLAIN -> "a reversing script and move the migrations to a tool with down migrations";
      default -> "the " + m.framework().displayName() + " way back to the migration (see docs/rules/migration/"
          + m.framework().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".md)";
    };
  }
}
