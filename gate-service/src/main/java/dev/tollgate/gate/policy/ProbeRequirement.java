package dev.tollgate.gate.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How an environment treats one probe.
 *
 * @param required whether a FAIL, ERROR or missing result blocks the deploy
 * @param deadline how long after dispatch the aggregator waits for the result
 */
public record ProbeRequirement(boolean required, Duration deadline) {
  public ProbeRequirement {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: expected a positive duration, got " + deadline);
    }
  }
}
