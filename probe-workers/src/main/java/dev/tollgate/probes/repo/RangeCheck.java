package dev.tollgate.probes.repo;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.Severity;
import java.util.Optional;

/**
 * Whether a range says what a deploy ships: the candidate must descend from the baseline. Otherwise (a baseline from
 * another branch, or a newer commit than the candidate) the commits in (baseline, candidate] are not the change, and
 * the probes would judge the wrong thing, so every probe blocks with {@value #RULE_ID}. The one exception is a rollback
 * to a commit that Tollgate decided GO or OVERRIDDEN for in this environment, as the deploy history the gate attached
 * says: it was checked when it first went out.
 */
public final class RangeCheck {
  /** The finding's rule id (docs/rules/range/baseline-not-ancestor.md). */
  public static final String RULE_ID = "range/baseline-not-ancestor";

  private RangeCheck() {}

  /** The blocking finding when the range is not the deploy's change, else empty. */
  public static Optional<Finding> problem(ChangeSet changes, String environment, DeployHistory history) {
    if (changes.firstDeploy() || changes.baselineIsAncestor() || history.candidateIn(environment).go()) {
      return Optional.empty();
    }
    String baseline = changes.baseline().orElseThrow();
    return Optional.of(new Finding(RULE_ID, Severity.BLOCK, null, 0, "baseline " + baseline + " is not an ancestor of "
        + "candidate " + changes.candidate() + ", and the candidate is not a commit Tollgate decided GO for in " + environment
        + ": the range between them is not what this deploy ships",
        "Deploy a descendant of what runs in " + environment + " (leave the baseline out: Tollgate starts from the last "
            + "deploy it decided GO for), or roll back to a commit it decided GO for there",
        RULE_ID + ":" + baseline + ":" + changes.candidate(), changes.candidate()));
  }
}
