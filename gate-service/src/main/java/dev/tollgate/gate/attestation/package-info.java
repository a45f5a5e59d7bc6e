/**
 * Signed verdicts: each verdict revision as an in-toto Statement v1 in a DSSE envelope, signed with the gate's Ed25519
 * key. {@link dev.tollgate.gate.attestation.VerdictStatement} builds the statement from the verdict record alone
 * (canonical JSON, {@link dev.tollgate.gate.attestation.CanonicalJson}; the PAE, {@link dev.tollgate.gate.attestation.Dsse}),
 * {@link dev.tollgate.gate.attestation.AttestationSigner} signs every revision once (one owner per partition of the
 * verdicts topic), {@link dev.tollgate.gate.attestation.AttestationStore} serves the envelopes and public keys from
 * every gate, and {@link dev.tollgate.gate.attestation.AttestationVerifier} checks one as a deploy pipeline must
 * ({@code tollgate verify}). Formats and procedures: {@code docs/attestations.md}.
 */
package dev.tollgate.gate.attestation;
