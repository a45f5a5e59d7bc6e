package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import java.util.List;

/** What running one probe gave: its status, a one-line reason and the (bounded) findings. */
public record ProbeOutcome(ProbeStatus status, String reason, List<Finding> findings, boolean findingsTruncated) {
  public ProbeOutcome {
    findings = List.copyOf(findings);
  }
}
