package dev.tollgate.probes.secrets;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints (HMAC-SHA-256) of found values: the same secret in the same file under the same rule always
 * gets the same fingerprint, so baselines and waivers can name it, yet without the key a fingerprint cannot be
 * tested against guessed values. Operators set their own key; the built-in one only salts.
 */
final class Fingerprints {
  /** Used when the operator configured no key: fingerprints are stable but only as hard to invert as the secret. */
  static final byte[] DEFAULT_KEY = "tollgate/secrets/fingerprint/v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  /** One keyed MAC per thread: looking the algorithm up and keying it cost more than hashing a value. */
  private final ThreadLocal<Mac> macs;

  Fingerprints(byte[] key) {
    if (key == null || key.length == 0) {
      throw new IllegalArgumentException("fingerprint key: expected at least one byte");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** 32 hex characters (128 bits) of HMAC-SHA-256 over rule id, path and the normalized value. */
  String of(String ruleId, String path, String value) {
    Mac mac = macs.get();
    mac.reset(); // a previous call that threw may have left input behind
    mac.update(ruleId.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    mac.update(path.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    byte[] h = mac.doFinal(ValueCheck.normalize(value).getBytes(StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder(32);
    for (int i = 0; i < 16; i++) {
      b.append(Character.forDigit((h[i] >> 4) & 0xf, 16)).append(Character.forDigit(h[i] & 0xf, 16));
    }
    return b.toString();
  }

  /** At most the first 4 characters, and never more than a quarter of the value, then an ellipsis. */
  static String preview(String value) {
    String v = ValueCheck.normalize(value);
    int shown = Math.min(4, v.length() / 4);
    return v.substring(0, shown) + "…";
  }
}
