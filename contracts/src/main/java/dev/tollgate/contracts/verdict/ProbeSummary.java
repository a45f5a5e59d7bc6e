package dev.tollgate.contracts.verdict;

import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import java.time.Duration;

/**
 * One probe's part in a verdict.
 *
 * @param required whether the effective policy required this probe
 * @param status the probe's status, {@code TIMED_OUT} if it gave no result by its deadline
 * @param deadline the effective deadline (after the repository policy tightened it)
 * @param findings number of findings reported
 * @param blocking number of findings of severity BLOCK
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeSummary(ProbeId probe, boolean required, ProbeStatus status, String reason, Duration deadline,
    int findings, int blocking) {
  public ProbeSummary {
    requireValue(probe, "probeSummary.probe");
    requireValue(status, "probeSummary.status");
  }
}
