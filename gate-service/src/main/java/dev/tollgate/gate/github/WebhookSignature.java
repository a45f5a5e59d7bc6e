package dev.tollgate.gate.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the lower-case hex HMAC-SHA256 of the raw request
 * body, keyed with the webhook secret (protocols §1.2). Checked over the bytes as received, before any parsing,
 * and compared in constant time. {@link #toString()} never shows the secret.
 */
public final class WebhookSignature {
  private static final String ALGORITHM = "HmacSHA256";
  private static final String PREFIX = "sha256=";
  private final SecretKeySpec key;

  /**
   * @param secret the webhook secret's bytes (UTF-8 of the text configured on GitHub)
   * @throws IllegalArgumentException when the secret is empty (no signature could be trusted)
   */
  public WebhookSignature(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("webhook secret: expected a non-empty secret");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** A signature from the secret's text. */
  public static WebhookSignature of(String secret) {
    return new WebhookSignature(secret.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * True when {@code header} is the signature of {@code body}. A missing or malformed header is false, never an
   * exception: the caller answers 401 either way.
   */
  public boolean verify(byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX) || header.length() != PREFIX.length() + 64) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header, PREFIX.length(), header.length());
    } catch (IllegalArgumentException e) {
      return false;
    }
    // MessageDigest.isEqual is constant-time in the content since JDK 6u17: no timing oracle on the MAC.
    return MessageDigest.isEqual(mac(body == null ? new byte[0] : body), given);
  }

  /** The header value GitHub would send for {@code body} (tests and tools). */
  public String sign(byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(body));
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call, it is cheap
      mac.init(key);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSignature[secret=(redacted)]";
  }
}
