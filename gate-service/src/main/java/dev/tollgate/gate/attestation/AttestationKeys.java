package dev.tollgate.gate.attestation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The keys one gate is configured with: the key it signs with (the newest), the earlier keys that must keep
 * verifying what they signed, and the ids of keys withdrawn (revoked). Every gate publishes its public keys to
 * {@link dev.tollgate.contracts.Topics#ATTESTATION_KEYS_PUBLISHED} at start, so any gate serves all of them.
 *
 * @param signing the key new attestations are signed with
 * @param previous public keys of earlier signing keys (rotation), newest first
 * @param revoked ids of keys to withdraw from the published keys (a leaked key)
 */
public record AttestationKeys(AttestationKey signing, List<AttestationKey> previous, Set<String> revoked) {
  public AttestationKeys {
    Objects.requireNonNull(signing, "signing");
    if (!signing.canSign()) {
      throw new IllegalArgumentException("attestations: the signing key " + signing.keyId() + " has no private key");
    }
    previous = previous.stream().map(AttestationKey::publicOnly).toList();
    revoked = Set.copyOf(revoked);
    Set<String> ids = new LinkedHashSet<>();
    ids.add(signing.keyId());
    for (AttestationKey k : previous) {
      if (!ids.add(k.keyId())) {
        throw new IllegalArgumentException("attestations: key id " + k.keyId() + " is used twice");
      }
    }
    for (String id : revoked) {
      if (id.equals(signing.keyId())) {
        throw new IllegalArgumentException("attestations.revokedKeys: " + id + " is the signing key; configure a new key first");
      }
    }
  }

  /** Signs with {@code signing} alone. */
  public static AttestationKeys of(AttestationKey signing) {
    return new AttestationKeys(signing, List.of(), Set.of());
  }

  /** Every public key to publish: the signing key's first, then the earlier ones not revoked. */
  public List<AttestationKey> published() {
    List<AttestationKey> out = new ArrayList<>();
    out.add(signing.publicOnly());
    previous.stream().filter(k -> !revoked.contains(k.keyId())).forEach(out::add);
    return out;
  }

  @Override
  public String toString() {
    return "AttestationKeys[signing=" + signing.keyId() + ", previous=" + previous.stream().map(AttestationKey::keyId).toList()
        + ", revoked=" + revoked + "]";
  }
}
