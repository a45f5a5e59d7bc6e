package dev.tollgate.contracts.history;

import static dev.tollgate.contracts.Checks.requireCommit;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.lock.Identity;
import java.time.Instant;

/**
 * A deploy happened (or started, or failed). Topic: {@link dev.tollgate.contracts.Topics#DEPLOYMENTS_RECORDED}.
 * Key: {@link #historyKey()} (tenant, repository, environment), so one environment's deploys stay ordered; this
 * is the one topic not keyed by evaluation id. {@code evaluationId} names the evaluation that gated this deploy
 * when known, else the deployment id.
 *
 * @param deploymentId the platform's deployment id (GitHub/GitLab) or one given by the API caller
 * @param artifactDigest image or artifact digest ({@code sha256:...}) when known
 * @param ref the branch or tag deployed as the platform or the API caller names it ({@code hotfix/login}), else null;
 *     delivery metrics count a deploy whose ref matches {@code delivery.hotfixRefs} as a hotfix. Added without a
 *     version bump (optional, older readers ignore it)
 * @param reportedBy who reported it, as authenticated: the API token, or the platform identity a signed GitHub/GitLab
 *     deployment event names (its sender or user); null when unknown or written before it was recorded (optional)
 * @param standing why the report is believed ({@link ReporterStanding}); null in records written before reporters were
 *     judged (optional, added without a version bump; see {@link #vouched()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeploymentRecorded(
    int schemaVersion,
    String evaluationId,
    String requestId,
    String deploymentId,
    String tenant,
    String repository,
    String environment,
    String commit,
    DeployStatus status,
    String artifactDigest,
    Source source,
    Instant startedAt,
    Instant finishedAt,
    Instant recordedAt,
    String ref,
    Identity reportedBy,
    ReporterStanding standing) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public DeploymentRecorded {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "DeploymentRecorded");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireText(deploymentId, "deploymentId");
    requireText(tenant, "tenant");
    requireText(repository, "repository");
    requireText(environment, "environment");
    requireCommit(commit, "commit");
    requireValue(status, "status");
    requireValue(source, "source");
    requireValue(recordedAt, "recordedAt");
  }

  /** A deploy without its ref (as written before refs were recorded). */
  public DeploymentRecorded(int schemaVersion, String evaluationId, String requestId, String deploymentId, String tenant,
      String repository, String environment, String commit, DeployStatus status, String artifactDigest, Source source,
      Instant startedAt, Instant finishedAt, Instant recordedAt) {
    this(schemaVersion, evaluationId, requestId, deploymentId, tenant, repository, environment, commit, status,
        artifactDigest, source, startedAt, finishedAt, recordedAt, null, null, null);
  }

  /** The same deploy with the ref it deployed (null for none). */
  public DeploymentRecorded withRef(String deployedRef) {
    return new DeploymentRecorded(schemaVersion, evaluationId, requestId, deploymentId, tenant, repository, environment,
        commit, status, artifactDigest, source, startedAt, finishedAt, recordedAt, deployedRef, reportedBy, standing);
  }

  /** The same deploy as reported by {@code reporter} (null: unknown) with {@code why} it is believed. */
  public DeploymentRecorded withReporter(Identity reporter, ReporterStanding why) {
    return new DeploymentRecorded(schemaVersion, evaluationId, requestId, deploymentId, tenant, repository, environment,
        commit, status, artifactDigest, source, startedAt, finishedAt, recordedAt, ref, reporter, why);
  }

  /**
   * True when this report counts as proof of the deploy (frees a queue slot, proves a promotion, becomes a baseline,
   * lends its artifact digest, counts in delivery metrics): reported by the platform, an admin, a deploy reporter or
   * the requester of the GO. A record without a standing was written before reporters were judged and was accepted as
   * proof then; it still is. NONE and UNKNOWN (a newer writer's value) are not.
   */
  public boolean vouched() {
    return ReporterStanding.vouches(standing);
  }

  /** The Kafka key: one environment of one repository of one tenant. */
  public String historyKey() {
    return historyKey(tenant, repository, environment);
  }

  /** The Kafka key of an environment's deploy history. */
  public static String historyKey(String tenant, String repository, String environment) {
    return tenant + "|" + repository + "|" + environment;
  }
}
