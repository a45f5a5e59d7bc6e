package dev.tollgate.gate.gitlab;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who sent a GitLab webhook delivery (protocols §2.1), decided over the raw bytes before anything is parsed:
 *
 * <ul>
 *   <li>{@code X-Gitlab-Token}: the hook's secret token, sent in plain text; compared in constant time (SHA-256 of
 *       both sides, so neither content nor length leaks through timing).</li>
 *   <li>GitLab webhook signing (Standard Webhooks): {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256>} over
 *       {@code <webhook-id>.<webhook-timestamp>.<raw body>}, keyed with the signing token ({@code whsec_<base64>});
 *       several space-separated signatures may be sent (key rotation), one valid is enough. {@code webhook-timestamp}
 *       must be within {@link #REPLAY_WINDOW} of now, so a captured delivery cannot be replayed later.</li>
 * </ul>
 *
 * Each {@link Credential} names what it requires: its token, its signature, or both; every configured part must
 * match. A credential belongs to one tenant (its deliveries may only act for that tenant's projects) or is shared
 * (the tenant then comes from the project's group). Every credential is checked on every delivery, so timing does not
 * tell which one matched. {@link #toString()} shows no secret.
 */
public final class GitLabWebhookAuth {
  /** Standard Webhooks' tolerance, also GitLab's: a timestamp further than this from now is refused. */
  public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);
  private static final String ALGORITHM = "HmacSHA256";

  /** One way to authenticate: a token, a signing key, or both. {@link #toString()} shows no secret. */
  public static final class Credential {
    private final String tenant;
    private final byte[] tokenDigest;
    private final SecretKeySpec signingKey;

    /**
     * @param tenant the tenant whose hooks use this credential, or null for the shared one
     * @param token the webhook secret token, or null when only signatures are checked
     * @param signingKey the decoded signing key ({@link #signingKey(String)}), or null when only the token is checked
     * @throws IllegalArgumentException when neither is given
     */
    public Credential(String tenant, String token, byte[] signingKey) {
      if (token == null && signingKey == null) {
        throw new IllegalArgumentException("a webhook credential needs a token, a signing key or both");
      }
      if (token != null && token.isEmpty() || signingKey != null && signingKey.length == 0) {
        throw new IllegalArgumentException("a webhook credential's token and signing key must not be empty");
      }
      this.tenant = tenant;
      this.tokenDigest = token == null ? null : sha256(token.getBytes(StandardCharsets.UTF_8));
      this.signingKey = signingKey == null ? null : new SecretKeySpec(signingKey.clone(), ALGORITHM);
    }

    /** The tenant, or null when shared. */
    public String tenant() {
      return tenant;
    }

    boolean checksToken() {
      return tokenDigest != null;
    }

    boolean checksSignature() {
      return signingKey != null;
    }

    @Override
    public String toString() {
      return "Credential[tenant=" + tenant + ", token=" + (tokenDigest == null ? "none" : "(redacted)") + ", signingKey="
          + (signingKey == null ? "none" : "(redacted)") + "]";
    }
  }

  /** What a delivery carries for authentication (header values as received, null when absent). */
  public record Presented(String token, String webhookId, String webhookTimestamp, String webhookSignature) {}

  /** The outcome: {@link Accepted} or {@link Refused}. */
  public sealed interface Outcome {}

  /** Authenticated by {@code credential}. */
  public record Accepted(Credential credential) implements Outcome {
    /** The tenant the credential belongs to, or null for the shared credential. */
    public String tenant() {
      return credential.tenant();
    }
  }

  /** Not authenticated; {@code why} names the header at fault, never a secret. */
  public record Refused(String why) implements Outcome {}

  private final List<Credential> credentials;

  /**
   * @throws IllegalArgumentException when there is no credential, or two share a token (a delivery must identify
   *     exactly one)
   */
  public GitLabWebhookAuth(List<Credential> credentials) {
    this.credentials = List.copyOf(credentials);
    if (this.credentials.isEmpty()) {
      throw new IllegalArgumentException("gitlab: expected a webhook token or signing secret");
    }
    List<byte[]> seen = new ArrayList<>();
    for (Credential c : this.credentials) {
      if (c.tokenDigest != null) {
        for (byte[] s : seen) {
          if (MessageDigest.isEqual(s, c.tokenDigest)) {
            throw new IllegalArgumentException("gitlab: two webhook tokens are the same (tenant " + c.tenant
                + "); every tenant with its own token needs a different one");
          }
        }
        seen.add(c.tokenDigest);
      }
    }
  }

  /** The configured credentials (no secret is reachable from them). */
  public List<Credential> credentials() {
    return credentials;
  }

  /**
   * Authenticates a delivery over its raw body. Never throws for bad input: the caller answers 401 for a refusal.
   *
   * @param now the current time, for the replay window
   */
  public Outcome authenticate(Presented p, byte[] body, Instant now) {
    byte[] presentedToken = p.token() == null ? null : sha256(p.token().getBytes(StandardCharsets.UTF_8));
    boolean timely = timely(p.webhookTimestamp(), now);
    Credential match = null;
    boolean anySignatureCredential = false;
    // Every credential is checked (no early exit): the time taken does not say which tenant's secret was presented.
    for (Credential c : credentials) {
      boolean tokenOk = !c.checksToken() || presentedToken != null && MessageDigest.isEqual(c.tokenDigest, presentedToken);
      boolean signatureOk = !c.checksSignature() || timely && signed(c.signingKey, p, body);
      anySignatureCredential |= c.checksSignature();
      if (tokenOk && signatureOk && match == null) {
        match = c;
      }
    }
    if (match != null) {
      return new Accepted(match);
    }
    if (p.token() == null && p.webhookSignature() == null) {
      return new Refused("X-Gitlab-Token (or webhook-signature) is missing");
    }
    if (anySignatureCredential && p.webhookSignature() != null && !timely) {
      return new Refused("webhook-timestamp is missing or more than " + REPLAY_WINDOW.toMinutes() + " minutes from now");
    }
    return new Refused("X-Gitlab-Token or webhook-signature does not match a configured secret");
  }

  private static boolean timely(String timestamp, Instant now) {
    if (timestamp == null || !timestamp.matches("\\d{1,12}")) {
      return false;
    }
    Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
    return Duration.between(at, now).abs().compareTo(REPLAY_WINDOW) <= 0;
  }

  private static boolean signed(SecretKeySpec key, Presented p, byte[] body) {
    if (p.webhookId() == null || p.webhookId().isEmpty() || p.webhookSignature() == null || p.webhookTimestamp() == null) {
      return false;
    }
    byte[] expected = mac(key, p.webhookId(), p.webhookTimestamp(), body == null ? new byte[0] : body);
    boolean ok = false;
    for (String part : p.webhookSignature().trim().split("\\s+")) {
      if (!part.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(part.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      ok |= MessageDigest.isEqual(expected, given); // constant time; keep looking so timing does not say which matched
    }
    return ok;
  }

  /** The signature GitLab would send ({@code v1,<base64>}), for tests and tools. */
  public static String sign(byte[] key, String webhookId, String timestamp, byte[] body) {
    return "v1," + Base64.getEncoder().encodeToString(mac(new SecretKeySpec(key, ALGORITHM), webhookId, timestamp, body));
  }

  /**
   * The key of a signing secret as GitLab shows it: {@code whsec_} and the base64 of the key bytes (Standard Webhooks);
   * the prefix is optional.
   *
   * @throws IllegalArgumentException when the rest is not base64 or decodes to fewer than 16 bytes (the message never
   *     quotes the secret)
   */
  public static byte[] signingKey(String secret) {
    String s = Objects.requireNonNull(secret, "secret").strip();
    if (s.startsWith("whsec_")) {
      s = s.substring("whsec_".length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected a signing secret like whsec_<base64> as GitLab shows it; it is not base64");
    }
    if (key.length < 16) {
      throw new IllegalArgumentException("expected a signing secret of at least 16 bytes (GitLab's are 32), got " + key.length);
    }
    return key;
  }

  private static byte[] mac(SecretKeySpec key, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call, it is cheap
      mac.init(key);
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "GitLabWebhookAuth" + credentials;
  }
}
