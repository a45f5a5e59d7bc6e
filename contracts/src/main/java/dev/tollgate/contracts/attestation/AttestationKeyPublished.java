package dev.tollgate.contracts.attestation;

import static dev.tollgate.contracts.Checks.requireSchemaVersion;
import static dev.tollgate.contracts.Checks.requireText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A public key that verifies attestations. Key: {@code keyId}. Topic:
 * {@link dev.tollgate.contracts.Topics#ATTESTATION_KEYS_PUBLISHED} (compacted; a tombstone withdraws a revoked key).
 * Producer: every gate at start, for the keys it is configured with. Consumers: every gate, which serves them.
 *
 * <p>Not a {@link dev.tollgate.contracts.Message}: a key belongs to the installation, not to an evaluation or a
 * request. Holds the public key only; the private key never leaves the gate's key file.
 *
 * @param keyId the key's id, as DSSE signatures name it ({@code keyid})
 * @param algorithm the signature algorithm: {@code Ed25519}, or {@code ECDSA-P256} (ECDSA on P-256 with SHA-256, ASN.1 DER
 *     signatures)
 * @param publicKey the public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttestationKeyPublished(int schemaVersion, String keyId, String algorithm, String publicKey) {
  public static final int SCHEMA_VERSION = 1;

  public AttestationKeyPublished {
    requireSchemaVersion(schemaVersion, SCHEMA_VERSION, "AttestationKeyPublished");
    requireText(keyId, "keyId");
    requireText(algorithm, "algorithm");
    requireText(publicKey, "publicKey");
  }

  /** A record in the current schema version. */
  public static AttestationKeyPublished of(String keyId, String algorithm, String publicKey) {
    return new AttestationKeyPublished(SCHEMA_VERSION, keyId, algorithm, publicKey);
  }
}
