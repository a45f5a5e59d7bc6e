package dev.tollgate.contracts.history;

import static dev.tollgate.contracts.Checks.requireCommit;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.contracts.lock.Identity;
import java.time.Duration;
import java.time.Instant;

/**
 * One past deploy of an environment, as probes see it.
 *
 * @param startedAt null when only the end was reported
 * @param finishedAt null while running
 * @param reportedBy who reported it as authenticated ({@link DeploymentRecorded#reportedBy()}), null when unknown
 * @param standing why the report is believed ({@link DeploymentRecorded#standing()}), null for records written before
 *     reporters were judged (optional; both added without a version bump)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployRecord(String commit, DeployStatus status, Instant startedAt, Instant finishedAt, String artifactDigest,
    String deploymentId, Identity reportedBy, ReporterStanding standing) {
  public DeployRecord {
    requireCommit(commit, "deployRecord.commit");
    requireValue(status, "deployRecord.status");
  }

  /** A deploy without its reporter (as recorded before reporters were judged). */
  public DeployRecord(String commit, DeployStatus status, Instant startedAt, Instant finishedAt, String artifactDigest,
      String deploymentId) {
    this(commit, status, startedAt, finishedAt, artifactDigest, deploymentId, null, null);
  }

  /**
   * True when the report counts as proof ({@link ReporterStanding#vouches}); shown as {@code vouched} so people see
   * which deploys the gate believes. Probes are only given vouched deploys.
   */
  @JsonProperty("vouched")
  public boolean vouched() {
    return ReporterStanding.vouches(standing);
  }

  /** Start to finish, when both are known. */
  public Duration duration() {
    return startedAt == null || finishedAt == null ? null : Duration.between(startedAt, finishedAt);
  }
}
