package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolling back would take longer than the environment's budget: a rollback is a deploy of the previous release, and
 * this environment's recent deploys took longer than the budget allows.
 */
final class SlowRollbackRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/slow-rollback");

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
    return "Rolling back this environment is estimated to take longer than its rollback time budget.";
  }

  @Override
  public String help() {
    return "Make deploys faster (pre-pulled images, quicker readiness, fewer sequential steps) or keep the previous"
        + " release running (blue/green) so a rollback is a traffic switch.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    RollbackSettings settings = RollbackSettings.of(ctx);
    List<DeployRecord> succeeded = ctx.history().deploys().stream().filter(d -> d.status() == DeployStatus.SUCCEEDED).toList();
    if (succeeded.isEmpty()) {
      return List.of(); // no-rollback-target speaks for an environment with no successful deploy
    }
    List<Duration> durations = new ArrayList<>();
    for (DeployRecord d : succeeded) {
      Duration took = d.duration();
      if (took != null && !took.isNegative() && durations.size() < settings.estimateFrom()) {
        durations.add(took);
      }
    }
    String env = ctx.target().environment();
    if (durations.isEmpty()) {
      return List.of(RuleViolation.general("The time to roll back " + env + " cannot be estimated: none of its "
          + succeeded.size() + " recorded successful deploy" + (succeeded.size() == 1 ? "" : "s") + " has both a start and"
          + " a finish time.").withSeverity(Severity.INFO)
          .withFix("Report deploys with startedAt and finishedAt (POST /api/v1/deployments, or GitHub/GitLab deployment"
              + " statuses), so the rollback time is measured."));
    }
    Duration estimate = median(durations);
    Duration budget = settings.budget();
    if (estimate.compareTo(budget) <= 0) {
      return List.of();
    }
    List<Duration> sorted = durations.stream().sorted().toList();
    String basis = durations.size() == 1 ? "the one successful deploy with timings"
        : "the median of the last " + durations.size() + " successful deploys, " + Durations.format(sorted.get(0)) + " to "
            + Durations.format(sorted.get(sorted.size() - 1));
    return List.of(RuleViolation.general("Rolling back " + env + " would take about " + Durations.format(estimate) + " ("
        + basis + "), over its rollback budget of " + Durations.format(budget) + "."));
  }

  /** The middle value (the mean of the two middle ones for an even count): one slow outlier does not set the estimate. */
  static Duration median(List<Duration> values) {
    List<Duration> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
  }
}
