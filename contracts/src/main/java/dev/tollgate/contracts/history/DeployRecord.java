package dev.tollgate.contracts.history;

import static dev.tollgate.contracts.Checks.requireCommit;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;

/**
 * One past deploy of an environment, as probes see it.
 *
 * @param startedAt null when only the end was reported
 * @param finishedAt null while running
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployRecord(String commit, DeployStatus status, Instant startedAt, Instant finishedAt, String artifactDigest,
    String deploymentId) {
  public DeployRecord {
    requireCommit(commit, "deployRecord.commit");
    requireValue(status, "deployRecord.status");
  }

  /** Start to finish, when both are known. */
  public Duration duration() {
    return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }
}
