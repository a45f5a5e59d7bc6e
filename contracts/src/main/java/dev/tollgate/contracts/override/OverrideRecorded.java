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
 * People accepted the risk of a NO_GO. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#OVERRIDES_RECORDED}.
 *
 * <p>An override is bound to the candidate commit in {@code target}: it is void for any other commit, and
 * after {@code expiresAt}.
 *
 * @param approvers who approved (VCS identities), at least one
 * @param reason the mandatory human reason
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
    Instant recordedAt) implements Message {

  public static final int SCHEMA_VERSION = 1;

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
  }
}
