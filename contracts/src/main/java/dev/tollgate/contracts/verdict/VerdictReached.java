package dev.tollgate.contracts.verdict;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.evaluation.DeployTarget;
import java.time.Instant;
import java.util.List;

/**
 * The go / no-go for one evaluation. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#VERDICTS_REACHED}.
 *
 * <p>Decided once per evaluation. If a record is redelivered, a duplicate with the same content may appear:
 * consumers keep the first verdict per evaluation.
 *
 * @param reasons why NO_GO (blocking reasons), or the warnings of a GO
 * @param probes every dispatched probe's part, required or not
 * @param policyVersion identifies the server policy and repository policy the decision was made under
 * @param revision 1 for the first verdict; a re-evaluation (a freeze ended, an override) publishes the next
 *     revision, and consumers keep the highest
 * @param retryAt for a NO_GO whose every blocking reason clears by itself (calendar windows): when it may pass
 * @param held true when the gate holds this NO_GO and re-evaluates at {@code retryAt} (the environment's policy);
 *     reporters then show "waiting until" rather than a final rejection
 * @param overrides on an OVERRIDDEN verdict, the votes that counted (who, why, when, until when); else empty
 * @param artifactDigests digests ({@code sha256:<hex>}) of the artifacts recorded for the candidate commit when the
 *     verdict was decided (its deploy records), sorted; often empty
 *
 * <p>{@code overrides}, {@code artifactDigests} and {@link ProbeSummary#ruleIds()} were added without a version bump
 * so that a verdict revision carries everything its signed attestation states: the attestation is a function of this
 * record alone.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerdictReached(
    int schemaVersion,
    String evaluationId,
    String requestId,
    DeployTarget target,
    Decision decision,
    List<Reason> reasons,
    List<ProbeSummary> probes,
    String policyVersion,
    Instant requestedAt,
    Instant decidedAt,
    int revision,
    Instant retryAt,
    boolean held,
    List<OverrideVote> overrides,
    List<String> artifactDigests) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public VerdictReached {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "VerdictReached");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireValue(target, "target");
    requireValue(decision, "decision");
    requireText(policyVersion, "policyVersion");
    requireValue(decidedAt, "decidedAt");
    reasons = listOf(reasons);
    probes = listOf(probes);
    overrides = listOf(overrides);
    artifactDigests = listOf(artifactDigests);
    if (revision == 0) {
      revision = 1; // written before revisions existed
    }
    if (revision < 1) {
      throw new IllegalArgumentException("revision: expected >= 1, got " + revision);
    }
  }

  /** A verdict in the current schema version. */
  public static VerdictReached of(String evaluationId, String requestId, DeployTarget target, Decision decision,
      List<Reason> reasons, List<ProbeSummary> probes, String policyVersion, Instant requestedAt, Instant decidedAt,
      int revision, Instant retryAt, boolean held) {
    return new VerdictReached(SCHEMA_VERSION, evaluationId, requestId, target, decision, reasons, probes, policyVersion,
        requestedAt, decidedAt, revision, retryAt, held, List.of(), List.of());
  }

  /** The same verdict as a later revision (a re-evaluation), held or not. */
  public VerdictReached revised(int newRevision, boolean nowHeld) {
    return new VerdictReached(schemaVersion, evaluationId, requestId, target, decision, reasons, probes, policyVersion,
        requestedAt, decidedAt, newRevision, retryAt, nowHeld, overrides, artifactDigests);
  }

  /** The same verdict with the override votes that made it OVERRIDDEN. */
  public VerdictReached withOverrides(List<OverrideVote> votes) {
    return new VerdictReached(schemaVersion, evaluationId, requestId, target, decision, reasons, probes, policyVersion,
        requestedAt, decidedAt, revision, retryAt, held, votes, artifactDigests);
  }

  /** The same verdict naming the artifacts recorded for its candidate. */
  public VerdictReached withArtifactDigests(List<String> digests) {
    return new VerdictReached(schemaVersion, evaluationId, requestId, target, decision, reasons, probes, policyVersion,
        requestedAt, decidedAt, revision, retryAt, held, overrides, digests);
  }
}
