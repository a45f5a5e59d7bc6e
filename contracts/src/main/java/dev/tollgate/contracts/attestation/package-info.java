/**
 * Signed verdicts: the public in-toto predicate a verdict revision is attested with ({@link
 * dev.tollgate.contracts.attestation.VerdictPredicate}), the signed envelopes on Kafka ({@link
 * dev.tollgate.contracts.attestation.AttestationSigned}) and the public keys that verify them ({@link
 * dev.tollgate.contracts.attestation.AttestationKeyPublished}).
 */
package dev.tollgate.contracts.attestation;
