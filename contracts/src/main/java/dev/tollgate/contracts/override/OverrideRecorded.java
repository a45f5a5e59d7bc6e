package dev.tollgate.contracts.override;

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
 * One vote on a NO_GO: approve (accept the risk), reject, or withdraw the voter's earlier vote. Key: evaluationId.
 * Topic: {@link dev.tollgate.contracts.Topics#OVERRIDES_RECORDED}. How the votes of one evaluation add up is
 * {@link Ballot}'s one rule, shared by every reader.
 *
 * <p>A vote is bound to the candidate commit in {@code target} and to the verdict {@code revision} it was cast on:
 * it is void for any other commit, any later revision, and after {@code expiresAt}.
 *
 * <p>Schema version 2 added {@code decision} and {@code revision}. A version 1 reader would count a rejection or a
 * withdrawal as an approval, so those are written as version 2 (which it dead-letters, never misreads); approvals are
 * still written as version 1, which both read alike.
 *
 * @param approvers who voted (one person; the name is historical: version 1 recorded approvals only)
 * @param reason the voter's reason (required for approve and reject; a withdrawal says why or "withdrawn")
 * @param decision what the vote says; missing in version 1 records, which are all approvals
 * @param revision the verdict revision voted on; 0 in version 1 records (counted for any revision, as then)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OverrideRecorded(
    int schemaVersion,
    String evaluationId,
    String requestId,
    String overrideId,
    DeployTarget target,
    List<String> approvers,
    String reason,
    Instant expiresAt,
    Instant recordedAt,
    VoteDecision decision,
    int revision) implements Message {

  public static final int SCHEMA_VERSION = 2;

  public OverrideRecorded {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "OverrideRecorded");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireText(overrideId, "overrideId");
    requireValue(target, "target");
    approvers = listOf(approvers);
    if (approvers.isEmpty()) {
      throw new IllegalArgumentException("approvers: expected at least one approver, got none");
    }
    requireText(reason, "reason");
    requireValue(expiresAt, "expiresAt");
    requireValue(recordedAt, "recordedAt");
    if (decision == null) {
      decision = VoteDecision.APPROVE;
    }
    if (schemaVersion < 2 && decision != VoteDecision.APPROVE) {
      throw new IllegalArgumentException("decision: version 1 records are approvals, got " + decision);
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision: expected >= 0, got " + revision);
    }
  }

  /** One person's vote on revision {@code revision}, in the lowest schema version that can say it. */
  public static OverrideRecorded vote(String evaluationId, String requestId, String overrideId, DeployTarget target,
      String voter, VoteDecision decision, String reason, int revision, Instant expiresAt, Instant recordedAt) {
    // TODO: write approvals as version 2 too once no gate older than this release reads the topic.
    int version = decision == VoteDecision.APPROVE ? 1 : SCHEMA_VERSION;
    return new OverrideRecorded(version, evaluationId, requestId, overrideId, target, List.of(voter), reason, expiresAt,
        recordedAt, decision, revision);
  }
}
