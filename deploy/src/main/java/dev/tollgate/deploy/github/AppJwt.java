package dev.tollgate.deploy.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The GitHub App's JSON Web Token (protocols §1.9): RS256, {@code iat} 60 s in the past (GitHub's clocks and ours
 * may differ), {@code exp} 9 minutes ahead (GitHub refuses more than 10), {@code iss} the App id. Made fresh for
 * every exchange: signing costs about a millisecond, and a JWT kept around is one more secret to guard.
 */
final class AppJwt {
  static final Duration BACKDATE = Duration.ofSeconds(60);
  static final Duration LIFETIME = Duration.ofMinutes(9);
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final long appId;
  private final RSAPrivateKey key;
  private final Clock clock;

  AppJwt(long appId, RSAPrivateKey key, Clock clock) {
    this.appId = appId;
    this.key = key;
    this.clock = clock;
  }

  /** A signed JWT valid from 60 s ago to 9 minutes from now. */
  String create() {
    long now = clock.instant().getEpochSecond();
    String claims = "{\"iat\":" + (now - BACKDATE.toSeconds()) + ",\"exp\":" + (now + LIFETIME.toSeconds()) + ",\"iss\":" + appId + "}";
    String signingInput = HEADER + "." + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the GitHub App JWT: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public String toString() {
    return "AppJwt[appId=" + appId + "]";
  }
}
