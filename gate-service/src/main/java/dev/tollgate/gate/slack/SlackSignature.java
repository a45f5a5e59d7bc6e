package dev.tollgate.gate.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signing, version 0 (protocols §3.1): {@code X-Slack-Signature: v0=<hex>} is the HMAC-SHA256, keyed
 * with the app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}. A timestamp more than 5 minutes
 * from now is refused whatever the signature (a captured request cannot be replayed later), and a signature seen before
 * within that window is refused too (a captured request cannot be replayed now either). Checked over the bytes as
 * received, before the form is decoded; compared in constant time. {@link #toString()} never shows the secret.
 *
 * <p>The signatures seen are kept in this gate's memory, at most {@value #MAX_REMEMBERED} for twice the window (a
 * request's timestamp may be up to 5 minutes ahead or behind): with several gates, a replay sent to another gate than
 * the original is not recognised (route {@code /slack/*} to one gate, or accept that), and beyond that many signed
 * requests in 10 minutes the oldest are forgotten early.
 */
public final class SlackSignature {
  /** Slack's replay window. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final String ALGORITHM = "HmacSHA256";
  private static final String PREFIX = "v0=";

  /** Signatures remembered at most (about 170 signed requests a second, sustained for 10 minutes). */
  public static final int MAX_REMEMBERED = 100_000;

  private final SecretKeySpec key;
  private final Clock clock;
  private final Cache<String, Boolean> seen;

  /** Why a request was refused; every value is answered with 401. */
  public enum Check {
    VALID,
    /** No or malformed timestamp or signature header. */
    MISSING,
    /** The timestamp is more than {@link #MAX_SKEW} away from now. */
    STALE,
    /** The signature does not match. */
    MISMATCH,
    /** A valid signature this gate accepted before, within the window: a replayed request. */
    REPLAYED
  }

  /**
   * @param secret the signing secret's bytes (the app's Basic Information page)
   * @throws IllegalArgumentException when the secret is empty (no request could be trusted)
   */
  public SlackSignature(byte[] secret, Clock clock) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("slack signing secret: expected a non-empty secret");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    this.clock = clock;
    // Expiry follows the injected clock, so tests move time instead of sleeping.
    this.seen = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED).expireAfterWrite(MAX_SKEW.multipliedBy(2))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
  }

  /** A verifier for the secret's text. */
  public static SlackSignature of(String secret, Clock clock) {
    return new SlackSignature(secret.getBytes(StandardCharsets.UTF_8), clock);
  }

  /**
   * Checks a request: the timestamp first (cheap, and a stale request is refused even with a valid signature), then
   * the signature, then whether it was seen before. A valid signature is remembered as it is accepted (only a valid
   * one: nobody can make a genuine request look replayed). Never throws for bad input.
   */
  public Check verify(String timestampHeader, byte[] body, String signatureHeader) {
    if (timestampHeader == null || signatureHeader == null || !timestampHeader.matches("\\d{1,12}")
        || !signatureHeader.startsWith(PREFIX) || signatureHeader.length() != PREFIX.length() + 64) {
      return Check.MISSING;
    }
    long ts = Long.parseLong(timestampHeader);
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - ts) > MAX_SKEW.toSeconds()) {
      return Check.STALE;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signatureHeader, PREFIX.length(), signatureHeader.length());
    } catch (IllegalArgumentException e) {
      return Check.MISSING;
    }
    if (!MessageDigest.isEqual(mac(timestampHeader, body == null ? new byte[0] : body), given)) {
      return Check.MISMATCH;
    }
    // The timestamp is part of the signed text, so the signature alone names the request.
    return seen.asMap().putIfAbsent(signatureHeader.substring(PREFIX.length()).toLowerCase(java.util.Locale.ROOT), Boolean.TRUE)
        == null ? Check.VALID : Check.REPLAYED;
  }

  /** The {@code X-Slack-Signature} Slack would send (tests and tools). */
  public String sign(String timestamp, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(timestamp, body));
  }

  private byte[] mac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call
      mac.init(key);
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SlackSignature[secret=(redacted)]";
  }
}
