package dev.tollgate.contracts.evaluation;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeId;
import java.time.Instant;
import java.util.List;

/**
 * A deploy asks for a go / no-go. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#EVALUATIONS_REQUESTED}.
 *
 * <p>Written once by the gate after it validated the request; the aggregator answers it with one
 * {@code CheckRequested} per probe and eventually one {@code VerdictReached}. A second record with the same
 * evaluationId (a retried publish) is a duplicate and is ignored by every consumer.
 *
 * @param requestedBy who asked: token name, VCS login or CLI user
 * @param deliveryId the webhook delivery id when the request came from a webhook, else null
 * @param idempotencyKey the client's Idempotency-Key, else null
 * @param requestFingerprint hash of the request's meaningful fields, so a reused idempotency key with a
 *     different request can be told apart
 * @param extraProbes probes the requester asked for on top of the environment's policy (never fewer)
 * @param history what the gate knew of past deploys when it accepted the request (null when nothing)
 * @param github where a request from GitHub came from (installation, deployment, callback), else null; added
 *     without a version bump (optional, older readers ignore it)
 * @param gitlab where a request from GitLab came from (project, deployment, job), else null; added without a version
 *     bump (optional, older readers ignore it)
 * @param submittedBy who submitted it as authenticated: the API token's name, or the platform identity of a webhook
 *     (the GitHub sender, the GitLab user). Set by the gate, never from the request body ({@code requestedBy} is a
 *     label the caller may choose); nobody named here or in {@code deployers} may vote on the deploy. Null in records
 *     written before it existed (optional, no version bump)
 * @param deployers further platform identities bound to this deploy, where the platform names them (the GitHub
 *     deployment's creator, the GitLab deploy job's user); empty when none (optional, no version bump)
 * @param untrustedBaseline the baseline the caller asked for, or the last recorded deploy, when Tollgate did not trust
 *     it (no GO or OVERRIDDEN for it in this environment): {@code target.baseline} is what was used instead (the last
 *     trusted deploy, or none: a first deploy). Null when the baseline was trusted (optional, no version bump)
 * @param artifactDigest the digest of the artifact this deploy ships ({@code sha256:<hex>}), when the caller named it:
 *     the verdict's attestation names it as a subject. Null when none was given (optional, no version bump)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvaluationRequested(
    int schemaVersion,
    String evaluationId,
    String requestId,
    DeployTarget target,
    Source source,
    String requestedBy,
    String deliveryId,
    String idempotencyKey,
    String requestFingerprint,
    List<ProbeId> extraProbes,
    Instant requestedAt,
    DeployHistory history,
    GitHubOrigin github,
    GitLabOrigin gitlab,
    String submittedBy,
    List<String> deployers,
    String untrustedBaseline,
    String artifactDigest) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public EvaluationRequested {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "EvaluationRequested");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireValue(target, "target");
    requireValue(source, "source");
    requireText(requestedBy, "requestedBy");
    requireValue(requestedAt, "requestedAt");
    extraProbes = listOf(extraProbes);
    deployers = listOf(deployers);
    if (untrustedBaseline != null) {
      dev.tollgate.contracts.Checks.requireCommit(untrustedBaseline, "untrustedBaseline");
    }
    if (artifactDigest != null) {
      dev.tollgate.contracts.Checks.requireArtifactDigest(artifactDigest, "artifactDigest");
    }
  }

  /** A request in the current schema version. */
  public static EvaluationRequested of(String evaluationId, String requestId, DeployTarget target, Source source,
      String requestedBy, String deliveryId, String idempotencyKey, String requestFingerprint, List<ProbeId> extraProbes,
      Instant requestedAt, DeployHistory history) {
    return new EvaluationRequested(SCHEMA_VERSION, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, null, null, null, List.of(), null, null);
  }

  /** The same request with its GitHub origin. */
  public EvaluationRequested withGitHub(GitHubOrigin origin) {
    return new EvaluationRequested(schemaVersion, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, origin, gitlab, submittedBy, deployers,
        untrustedBaseline, artifactDigest);
  }

  /** The same request with its GitLab origin. */
  public EvaluationRequested withGitLab(GitLabOrigin origin) {
    return new EvaluationRequested(schemaVersion, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, github, origin, submittedBy, deployers,
        untrustedBaseline, artifactDigest);
  }

  /** The same request with the authenticated submitter and the platform's deployers. */
  public EvaluationRequested withSubmitter(String principal, List<String> platformDeployers) {
    return new EvaluationRequested(schemaVersion, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, github, gitlab, principal, platformDeployers,
        untrustedBaseline, artifactDigest);
  }

  /** The same request noting the baseline Tollgate did not trust (and replaced by {@code target.baseline}). */
  public EvaluationRequested withUntrustedBaseline(String untrusted) {
    return new EvaluationRequested(schemaVersion, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, github, gitlab, submittedBy, deployers,
        untrusted, artifactDigest);
  }

  /** The same request naming the artifact it deploys ({@code sha256:<hex>}), or null for none. */
  public EvaluationRequested withArtifactDigest(String digest) {
    return new EvaluationRequested(schemaVersion, evaluationId, requestId, target, source, requestedBy, deliveryId,
        idempotencyKey, requestFingerprint, extraProbes, requestedAt, history, github, gitlab, submittedBy, deployers,
        untrustedBaseline, digest);
  }

  /** The attached history, empty when none. */
  public DeployHistory historyOrEmpty() {
    return history == null ? DeployHistory.empty() : history;
  }
}
