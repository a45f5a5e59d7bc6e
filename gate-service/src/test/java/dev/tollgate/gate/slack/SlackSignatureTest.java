package dev.tollgate.gate.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Slack v0 signing: the documented example, the 5-minute window in both directions, and malformed headers. */
class SlackSignatureTest {
  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  final SlackSignature signature = SlackSignature.of("8f742231b10e8888abcd99yyyzzz85a5", Clock.fixed(NOW, ZoneOffset.UTC));
  final byte[] body = "token=xyz&team_id=T1DC2JH3J&command=%2Ftollgate&text=status+acme%2Fshop+production"
      .getBytes(StandardCharsets.UTF_8);

  String ts(long secondsAgo) {
    return Long.toString(NOW.getEpochSecond() - secondsAgo);
  }

  @Test
  void slacksDocumentedExampleVerifies() {
    // api.slack.com "Verifying requests from Slack": this secret, timestamp and body give this signature.
    SlackSignature docs = SlackSignature.of("8f742231b10e8888abcd99yyyzzz85a5",
        Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC));
    byte[] example = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
    assertEquals(SlackSignature.Check.VALID, docs.verify("1531420618", example,
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"));
  }

  @Test
  void aFreshSignedRequestIsValidAndAnyChangeIsNot() {
    String sig = signature.sign(ts(10), body);
    assertEquals(SlackSignature.Check.VALID, signature.verify(ts(10), body, sig));
    byte[] changed = body.clone();
    changed[changed.length - 1] = 'x';
    assertEquals(SlackSignature.Check.MISMATCH, signature.verify(ts(10), changed, sig));
    assertEquals(SlackSignature.Check.MISMATCH, signature.verify(ts(11), body, sig), "the timestamp is signed too");
    assertEquals(SlackSignature.Check.MISMATCH, SlackSignature.of("another-secret", Clock.fixed(NOW, ZoneOffset.UTC))
        .verify(ts(10), body, sig));
  }

  @Test
  void aTimestampOutsideFiveMinutesIsStaleEvenWhenSigned() {
    assertEquals(SlackSignature.Check.VALID, signature.verify(ts(300), body, signature.sign(ts(300), body)));
    assertEquals(SlackSignature.Check.STALE, signature.verify(ts(301), body, signature.sign(ts(301), body)));
    assertEquals(SlackSignature.Check.STALE, signature.verify(ts(-301), body, signature.sign(ts(-301), body)), "future");
  }

  @Test
  void aSignedRequestReplayedWithinTheWindowIsRefusedAndForgottenAfterIt() {
    java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(NOW);
    Clock moving = new Clock() {
      @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now.get(); }
    };
    SlackSignature checker = SlackSignature.of("8f742231b10e8888abcd99yyyzzz85a5", moving);
    String sig = checker.sign(ts(0), body);
    assertEquals(SlackSignature.Check.VALID, checker.verify(ts(0), body, sig));
    assertEquals(SlackSignature.Check.REPLAYED, checker.verify(ts(0), body, sig), "the same request again, 0 s later");
    assertEquals(SlackSignature.Check.REPLAYED, checker.verify(ts(0), body, sig.toUpperCase().replace("V0=", "v0=")),
        "hex case does not make it another request");
    now.set(NOW.plusSeconds(299));
    assertEquals(SlackSignature.Check.REPLAYED, checker.verify(ts(0), body, sig), "still within the 5-minute window");
    now.set(NOW.plusSeconds(301));
    assertEquals(SlackSignature.Check.STALE, checker.verify(ts(0), body, sig), "after the window the timestamp refuses it");
    // An invalid signature is never remembered: nobody can make a genuine request look replayed.
    String other = checker.sign(ts(-301), body);
    assertEquals(SlackSignature.Check.MISMATCH, checker.verify(ts(-301), body,
        other.substring(0, 66) + (other.endsWith("0") ? "1" : "0")));
    assertEquals(SlackSignature.Check.VALID, checker.verify(ts(-301), body, other));
  }

  @Test
  void missingOrMalformedHeadersAreRefusedWithoutAnException() {
    String sig = signature.sign(ts(1), body);
    assertEquals(SlackSignature.Check.MISSING, signature.verify(null, body, sig));
    assertEquals(SlackSignature.Check.MISSING, signature.verify(ts(1), body, null));
    assertEquals(SlackSignature.Check.MISSING, signature.verify("12a", body, sig));
    assertEquals(SlackSignature.Check.MISSING, signature.verify(ts(1), body, sig.replace("v0=", "v1=")));
    assertEquals(SlackSignature.Check.MISSING, signature.verify(ts(1), body, "v0=" + "zz".repeat(32)));
    assertEquals(SlackSignature.Check.MISSING, signature.verify(ts(1), body, sig.substring(0, 40)));
    assertEquals(SlackSignature.Check.MISSING, signature.verify("99999999999999999999", body, sig));
  }

  @Test
  void theSecretIsNeverShownAndMustNotBeEmpty() {
    assertFalse(signature.toString().contains("8f742231"));
    assertThrows(IllegalArgumentException.class, () -> new SlackSignature(new byte[0], Clock.systemUTC()));
  }
}
