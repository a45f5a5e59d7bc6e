package dev.tollgate.contracts.verdict;

import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.probe.ProbeId;

/**
 * One reason for a verdict: "probe secrets gave no result within 30s".
 *
 * @param probe the probe the reason is about, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reason(ReasonCode code, ProbeId probe, String message) {
  public Reason {
    requireValue(code, "reason.code");
    requireText(message, "reason.message");
  }
}
