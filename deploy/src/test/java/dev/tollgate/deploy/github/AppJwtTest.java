package dev.tollgate.deploy.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.deploy.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The App JWT GitHub expects (protocols §1.9). */
class AppJwtTest {
  static final KeyPair KEYS = TestKeys.pair();
  static final Instant NOW = Instant.parse("2026-11-26T10:15:30Z");

  @Test
  void isRs256WithIatOneMinuteBackExpWithinTenMinutesAndTheAppIdAsIssuer() throws Exception {
    String jwt = new AppJwt(123456, (RSAPrivateKey) KEYS.getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC)).create();
    String[] parts = jwt.split("\\.");
    assertEquals(3, parts.length);
    assertFalse(jwt.contains("="), "base64url without padding");
    JsonNode header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertEquals("RS256", header.path("alg").asText());
    assertEquals("JWT", header.path("typ").asText());
    assertEquals(NOW.getEpochSecond() - 60, claims.path("iat").asLong());
    long exp = claims.path("exp").asLong();
    assertTrue(exp > NOW.getEpochSecond() && exp <= NOW.getEpochSecond() + 600, "exp within 10 minutes: " + exp);
    assertTrue(exp - claims.path("iat").asLong() <= 600, "GitHub refuses a JWT living longer than 10 minutes");
    assertEquals(123456, claims.path("iss").asLong());

    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(KEYS.getPublic());
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])), "signature verifies with the App's public key");

    Signature other = Signature.getInstance("SHA256withRSA");
    other.initVerify(TestKeys.pair(2048).getPublic());
    other.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertFalse(other.verify(Base64.getUrlDecoder().decode(parts[2])), "and with no other key");
  }

  @Test
  void neverShowsTheKey() {
    assertEquals("AppJwt[appId=7]", new AppJwt(7, (RSAPrivateKey) KEYS.getPrivate(), Clock.systemUTC()).toString());
  }
}
