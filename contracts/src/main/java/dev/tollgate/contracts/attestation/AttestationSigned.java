package dev.tollgate.contracts.attestation;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.Message;
import dev.tollgate.contracts.verdict.Decision;
import java.util.regex.Pattern;

/**
 * A verdict revision signed as an in-toto attestation. Key: {@link #key()} ({@code <evaluationId>/<revision>}). Topic:
 * {@link dev.tollgate.contracts.Topics#ATTESTATIONS_SIGNED} (compacted). Producer: the gate's attestation signer.
 * Consumers: every gate, which serves {@code envelope} byte for byte.
 *
 * @param revision the verdict revision the envelope attests
 * @param tenant the evaluation's tenant (the API serves the envelope only to tokens of that tenant)
 * @param decision the attested decision, for listings without decoding the envelope
 * @param keyId the id of the key that signed it
 * @param envelope the DSSE envelope as JSON text, exactly the bytes served and verified
 * @param envelopeSha256 SHA-256 (hex) of {@code envelope}'s UTF-8 bytes: the digest the audit export names
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttestationSigned(int schemaVersion, String evaluationId, String requestId, int revision, String tenant,
    Decision decision, String keyId, String envelope, String envelopeSha256) implements Message {

  public static final int SCHEMA_VERSION = 1;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public AttestationSigned {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "AttestationSigned");
    requireText(evaluationId, "evaluationId");
    requireText(requestId, "requestId");
    if (revision < 1) {
      throw new IllegalArgumentException("revision: expected >= 1, got " + revision);
    }
    requireText(tenant, "tenant");
    requireValue(decision, "decision");
    requireText(keyId, "keyId");
    requireText(envelope, "envelope");
    requireText(envelopeSha256, "envelopeSha256");
    if (!SHA256.matcher(envelopeSha256).matches()) {
      throw new IllegalArgumentException("envelopeSha256: expected 64 lower-case hex characters");
    }
  }

  /** A record in the current schema version. */
  public static AttestationSigned of(String evaluationId, String requestId, int revision, String tenant, Decision decision,
      String keyId, String envelope, String envelopeSha256) {
    return new AttestationSigned(SCHEMA_VERSION, evaluationId, requestId, revision, tenant, decision, keyId, envelope,
        envelopeSha256);
  }

  /** The Kafka key of revision {@code revision} of evaluation {@code evaluationId}. */
  public static String key(String evaluationId, int revision) {
    return evaluationId + "/" + revision;
  }

  /** This record's Kafka key: one per revision, so compaction keeps every revision. */
  @JsonIgnore
  public String key() {
    return key(evaluationId, revision);
  }
}
