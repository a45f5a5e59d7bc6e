package dev.tollgate.gate.policy;

import dev.tollgate.contracts.probe.ProbeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who may override an environment's NO_GO, and how (the {@code overrides:} section of an environment).
 *
 * <pre>
 * overrides:
 *   approvers: [alice, bob, carol]   # identities: token names, VCS logins (Slack users are mapped to these)
 *   required: 2                      # N of M distinct approvers
 *   expiresAfter: 4h                 # an override not used by then lapses; a new commit needs a new evaluation
 *   notOverridable: [secrets]        # probes whose failures nobody can override (default: secrets)
 * </pre>
 *
 * @param approvers empty: nobody may override this environment
 */
public record OverridePolicy(List<String> approvers, int required, Duration expiresAfter, Set<ProbeId> notOverridable) {
  /** The default: nobody may override; a leaked secret never can. */
  public static final OverridePolicy NONE = new OverridePolicy(List.of(), 1, Duration.ofHours(4), Set.of(ProbeId.SECRETS));

  public OverridePolicy {
    approvers = List.copyOf(approvers);
    notOverridable = Set.copyOf(notOverridable);
    if (required < 1) {
      throw new IllegalArgumentException("overrides.required: expected at least 1, got " + required);
    }
  }

  /** True when {@code identity} is one of the approvers. */
  public boolean isApprover(String identity) {
    return approvers.contains(identity);
  }
}
