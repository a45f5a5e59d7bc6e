package dev.tollgate.contracts.verdict;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import java.time.Duration;
import java.util.List;

/**
 * One probe's part in a verdict.
 *
 * @param required whether the effective policy required this probe
 * @param status the probe's status, {@code TIMED_OUT} if it gave no result by its deadline
 * @param deadline the effective deadline (after the repository policy tightened it)
 * @param findings number of findings reported
 * @param blocking number of findings of severity BLOCK
 * @param ruleIds the distinct rule ids of the findings, sorted (never their content); added without a version bump,
 *     empty in verdicts of older gates
 * @param findingsTruncated the probe reported more findings than it sent, so {@code ruleIds} may be incomplete
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeSummary(ProbeId probe, boolean required, ProbeStatus status, String reason, Duration deadline,
    int findings, int blocking, List<String> ruleIds, boolean findingsTruncated) {
  public ProbeSummary {
    requireValue(probe, "probeSummary.probe");
    requireValue(status, "probeSummary.status");
    ruleIds = listOf(ruleIds);
  }

  /** Without rule ids (a probe that found nothing, or a caller that does not know them). */
  public ProbeSummary(ProbeId probe, boolean required, ProbeStatus status, String reason, Duration deadline, int findings,
      int blocking) {
    this(probe, required, status, reason, deadline, findings, blocking, List.of(), false);
  }
}
