package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import java.time.Instant;
import java.util.List;

/**
 * What running one probe gave: its status, a one-line reason, the (bounded) findings, and when its blocking
 * findings clear by themselves (null unless every blocking finding says so).
 */
public record ProbeOutcome(ProbeStatus status, String reason, List<Finding> findings, boolean findingsTruncated,
    Instant retryAt) {
  public ProbeOutcome {
    findings = List.copyOf(findings);
  }
}
