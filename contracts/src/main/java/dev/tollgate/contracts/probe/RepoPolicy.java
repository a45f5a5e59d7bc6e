package dev.tollgate.contracts.probe;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.mapOf;
import static dev.tollgate.contracts.Checks.requireText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The gate-relevant part of the repository's {@code .tollgate.yml} at the candidate commit, for the
 * evaluation's environment. It may only tighten the server policy; the aggregator applies it that way
 * (union of required probes, the shorter deadline, warnings block if either says so).
 *
 * @param source where it was read, e.g. {@code .tollgate.yml@3f2c...}; {@code none} when the file is absent
 * @param requiredProbes probes the repository requires for this environment
 * @param deadlines per-probe deadlines the repository asks for
 * @param warningsBlock whether WARN findings block this environment
 * @param error why the file could not be used (syntax, unknown key, bad value), else null: an invalid
 *     repository policy is a NO_GO, never silently ignored
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepoPolicy(String source, List<ProbeId> requiredProbes, Map<ProbeId, Duration> deadlines,
    boolean warningsBlock, String error) {
  public RepoPolicy {
    requireText(source, "repoPolicy.source");
    requiredProbes = listOf(requiredProbes);
    deadlines = mapOf(deadlines);
  }

  /** The repository has no {@code .tollgate.yml}. */
  public static RepoPolicy none() {
    return new RepoPolicy("none", List.of(), Map.of(), false, null);
  }

  /** The repository has a {@code .tollgate.yml} that cannot be used. */
  public static RepoPolicy invalid(String source, String error) {
    return new RepoPolicy(source, List.of(), Map.of(), false, requireText(error, "repoPolicy.error"));
  }
}
