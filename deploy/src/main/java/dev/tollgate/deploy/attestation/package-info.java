/**
 * Signed verdicts, the launcher's part: the {@code attestations:} configuration (the signing key from a file or an
 * environment variable, earlier keys for rotation, revoked key ids), or a key generated in the data dir when none is
 * configured, read into the gate's {@code AttestationKeys}.
 */
package dev.tollgate.deploy.attestation;
