package dev.tollgate.contracts.audit;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.evaluation.Source;
import java.time.Instant;

/**
 * Something that happened around the gate and must be kept for audit, such as a deploy that went out without
 * Tollgate's GO. Key: evaluationId. Topic: {@link dev.tollgate.contracts.Topics#AUDIT_RECORDED}.
 *
 * <p>Producers may publish the same record twice (a redelivered webhook): {@code auditId} is deterministic for
 * one occurrence, so consumers keep the first record per {@code auditId}.
 *
 * @param evaluationId the evaluation the record is about (the one that was bypassed); {@code config:<version>} for
 *     {@link AuditKind#CONFIG_CHANGED}
 * @param tenant the tenant it concerns; {@code *} for a record about every tenant (a policy change)
 * @param auditId stable id of this occurrence (e.g. derived from the webhook delivery)
 * @param commit the commit that was deployed, or null when not about a commit
 * @param actor who did it as the source names them (a GitHub login), or null when unknown
 * @param deploymentId the platform's deployment id, or null
 * @param detail one line for people (never a secret)
 * @param occurredAt when it happened according to the source
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditRecorded(
    int schemaVersion,
    String evaluationId,
    String requestId,
    String auditId,
    AuditKind kind,
    String tenant,
    String repository,
    String environment,
    String commit,
    Source source,
    String actor,
    String deploymentId,
    String detail,
    Instant occurredAt,
    Instant recordedAt) implements Message {

  public static final int SCHEMA_VERSION = 1;

  public AuditRecorded {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "AuditRecorded");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    requireText(auditId, "auditId");
    requireValue(kind, "kind");
    requireText(tenant, "tenant");
    requireText(repository, "repository");
    requireText(environment, "environment");
    if (commit != null) {
      Checks.requireCommit(commit, "commit");
    }
    requireValue(source, "source");
    requireText(detail, "detail");
    requireValue(recordedAt, "recordedAt");
  }
}
