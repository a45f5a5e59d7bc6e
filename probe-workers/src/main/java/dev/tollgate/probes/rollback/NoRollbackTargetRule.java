package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.util.List;
import java.util.Optional;

/** Nothing is known to have run successfully in the environment, so there is no release to roll back to. */
final class NoRollbackTargetRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/no-rollback-target");

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
    return "No previous successful deploy of this environment is known: there is no release to roll back to.";
  }

  @Override
  public String help() {
    return "Report deploys to Tollgate (POST /api/v1/deployments with the artifact digest, or GitHub/GitLab deployment"
        + " statuses) so the next deploy has a rollback target.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    String env = ctx.target().environment();
    DeployHistory history = ctx.history();
    Optional<DeployRecord> last = history.lastSuccessful();
    String baseline = ctx.target().baseline();
    if (baseline == null) {
      if (last.isPresent()) {
        return List.of(); // the gate fills the baseline from this record; a caller that did not is still covered
      }
      RuleViolation first = RuleViolation.general("First deploy to " + env + ": nothing has run here successfully before,"
          + " so there is no release to roll back to. If this deploy goes wrong, the way back is to remove it."
          + (history.deploys().isEmpty() ? "" : " (" + history.deploys().size() + " deploy" + plural(history.deploys().size())
              + " recorded, none succeeded.)"))
          .withFix("Deploy it to a lower environment first, and have a removal plan ready; report this deploy to"
              + " Tollgate when it succeeds (POST /api/v1/deployments with its artifactDigest) so the next one has a"
              + " rollback target.");
      // Every environment's very first deploy is one of these: by nature, not a risk this deploy adds, so information
      // (a WARN here made production's warningsBlock refuse every first deploy). Recorded deploys that all failed
      // are something to look at first: a warning.
      return List.of(history.deploys().isEmpty() ? first.withSeverity(Severity.INFO) : first);
    }
    String shortBaseline = baseline.substring(0, 7);
    if (last.isEmpty()) {
      if (!history.deploys().isEmpty()) {
        return List.of(RuleViolation.general("This deploy goes over " + shortBaseline + ", but none of the "
            + history.deploys().size() + " recorded deploy" + plural(history.deploys().size()) + " of " + env
            + " succeeded, so nothing shows a release that can be rolled back to."));
      }
      // The caller named what runs (the CLI, or an API caller with its own baseline) but Tollgate holds no record.
      return List.of(RuleViolation.general("The rollback target is " + shortBaseline + ", as the request says; Tollgate"
          + " has no deploy record of " + env + ", so which artifact it ran is unknown.").withSeverity(Severity.INFO));
    }
    DeployRecord d = last.get();
    if (!d.commit().equals(baseline)) {
      return List.of(RuleViolation.general("This deploy goes over " + shortBaseline + ", but the last successful deploy"
          + " of " + env + " on record is " + d.commit().substring(0, 7) + describe(d) + ": which release a rollback"
          + " returns to is ambiguous.")
          .withFix("Evaluate over the release that runs (omit the baseline and Tollgate uses its record), or report the"
              + " deploy of " + shortBaseline + " if it was made outside Tollgate's view."));
    }
    if (d.artifactDigest() == null) {
      return List.of(RuleViolation.general("The rollback target is " + shortBaseline + describe(d) + ", but no artifact"
          + " digest was recorded with it: a rollback can name the commit, not the exact image that ran.")
          .withSeverity(Severity.INFO)
          .withFix("Send artifactDigest (sha256:…) with each deployment record, so a rollback redeploys the exact image."));
    }
    return List.of();
  }

  private static String describe(DeployRecord d) {
    return d.finishedAt() != null ? " (deployed " + d.finishedAt() + ")" : "";
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }
}
