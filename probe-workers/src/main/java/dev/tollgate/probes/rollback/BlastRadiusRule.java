package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.migration.Framework;
import dev.tollgate.probes.migration.Migration;
import dev.tollgate.probes.migration.MigrationKind;
import dev.tollgate.probes.migration.MigrationSet;
import dev.tollgate.probes.repo.ChangeSet;
import java.util.ArrayList;
import java.util.List;

/** The deploy ships more commits, files or migrations than the environment's thresholds: a rollback would undo them all. */
final class BlastRadiusRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/blast-radius");

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
    return "The deploy ships more commits, files or migrations since the last deploy than this environment's thresholds.";
  }

  @Override
  public String help() {
    return "Consider smaller releases: deploy in smaller batches, so a rollback undoes one change rather than many.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    ChangeSet changes = ctx.changes();
    if (changes.firstDeploy()) {
      return List.of(); // the whole history is not "since the last deploy"; no-rollback-target speaks for it
    }
    RollbackSettings settings = RollbackSettings.of(ctx);
    // Merge commits carry no change of their own; counting them would double every pull request.
    long commits = changes.commits().stream().filter(c -> c.parents().size() <= 1).count();
    int files = changes.files().size();
    int migrations = 0;
    for (Migration m : MigrationSet.of(ctx).pending()) {
      if (m.kind() == MigrationKind.UP) {
        migrations += m.framework() == Framework.LIQUIBASE ? m.changesets().size() : 1;
      }
    }
    List<String> over = new ArrayList<>();
    if (commits > settings.maxCommits()) {
      over.add((changes.commitsTruncated() ? "at least " : "") + commits + " commits (threshold " + settings.maxCommits() + ")");
    }
    if (files > settings.maxFiles()) {
      over.add(files + " changed files (threshold " + settings.maxFiles() + ")");
    }
    if (migrations > settings.maxMigrations()) {
      over.add(migrations + " migrations (threshold " + settings.maxMigrations() + ")");
    }
    if (over.isEmpty()) {
      return List.of();
    }
    String list = over.size() == 1 ? over.get(0)
        : String.join(", ", over.subList(0, over.size() - 1)) + " and " + over.get(over.size() - 1);
    return List.of(RuleViolation.general(list + " since the last " + ctx.target().environment() + " deploy ("
        + changes.baseline().orElseThrow().substring(0, 7) + "): if it goes wrong, finding the change at fault is harder"
        + " and a rollback undoes all of them.").withFix("Consider smaller releases: deploy in smaller batches (or"
        + " behind feature flags), so a rollback undoes one change rather than " + (commits > 1 ? commits : "many") + "."));
  }
}
