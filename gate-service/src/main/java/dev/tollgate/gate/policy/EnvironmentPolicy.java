package dev.tollgate.gate.policy;

import dev.tollgate.contracts.probe.ProbeId;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server policy of one environment.
 *
 * @param probes every probe dispatched for this environment and how it counts
 * @param defaultDeadline deadline of a probe added by a request or by the repository policy
 * @param warningsBlock whether WARN results of required probes block
 * @param holdFor how long a NO_GO caused only by calendar windows is held and re-evaluated when the window ends;
 *     zero means such a NO_GO is final (the "reject" policy)
 * @param overrides who may override a NO_GO here
 * @param admission who may lock the environment, and its deploy queue
 */
public record EnvironmentPolicy(String name, Map<ProbeId, ProbeRequirement> probes, Duration defaultDeadline,
    boolean warningsBlock, Duration holdFor, OverridePolicy overrides, AdmissionPolicy admission) {
  public EnvironmentPolicy {
    probes = Collections.unmodifiableMap(new TreeMap<>(probes));
    admission = admission == null ? AdmissionPolicy.DEFAULT : admission;
  }

  /** An environment with the default locks and no queue. */
  public EnvironmentPolicy(String name, Map<ProbeId, ProbeRequirement> probes, Duration defaultDeadline,
      boolean warningsBlock, Duration holdFor, OverridePolicy overrides) {
    this(name, probes, defaultDeadline, warningsBlock, holdFor, overrides, AdmissionPolicy.DEFAULT);
  }

  /** True when {@code identity} with {@code role} may lock this environment. */
  public boolean mayLock(String identity, dev.tollgate.gate.auth.Role role) {
    return role.includes(admission.lockRole()) || overrides.isApprover(identity);
  }
}
