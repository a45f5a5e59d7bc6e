package dev.tollgate.gate.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Gitlab-Token and GitLab's webhook signing (Standard Webhooks), per tenant or shared (protocols §2.1). */
class GitLabWebhookAuthTest {
  // The Standard Webhooks specification's published test vector, which GitLab's signing follows.
  static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final String VECTOR_TIMESTAMP = "1614265330";
  static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Instant VECTOR_NOW = Instant.ofEpochSecond(1614265330);

  static GitLabWebhookAuth.Presented token(String token) {
    return new GitLabWebhookAuth.Presented(token, null, null, null);
  }

  @Test
  void matchesTheStandardWebhooksTestVector() {
    byte[] key = GitLabWebhookAuth.signingKey(VECTOR_SECRET);
    assertEquals(VECTOR_SIGNATURE, GitLabWebhookAuth.sign(key, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, null, key)));
    var ok = auth.authenticate(new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_SIGNATURE), VECTOR_BODY,
        VECTOR_NOW.plusSeconds(60));
    assertInstanceOf(GitLabWebhookAuth.Accepted.class, ok);
    assertNull(((GitLabWebhookAuth.Accepted) ok).tenant(), "the shared credential");
  }

  @Test
  void refusesAnotherBodyIdOrTimestampAndEveryMalformedSignature() {
    byte[] key = GitLabWebhookAuth.signingKey(VECTOR_SECRET);
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, null, key)));
    List<GitLabWebhookAuth.Presented> bad = List.of(
        new GitLabWebhookAuth.Presented(null, "msg_other", VECTOR_TIMESTAMP, VECTOR_SIGNATURE),
        new GitLabWebhookAuth.Presented(null, VECTOR_ID, "1614265331", VECTOR_SIGNATURE),
        new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, null),
        new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_SIGNATURE.substring(3)),
        new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, "v2," + VECTOR_SIGNATURE.substring(3)),
        new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, "v1,not base64!"),
        new GitLabWebhookAuth.Presented(null, null, VECTOR_TIMESTAMP, VECTOR_SIGNATURE));
    for (var p : bad) {
      assertInstanceOf(GitLabWebhookAuth.Refused.class, auth.authenticate(p, VECTOR_BODY, VECTOR_NOW), p.toString());
    }
    var good = new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_SIGNATURE);
    assertInstanceOf(GitLabWebhookAuth.Refused.class, auth.authenticate(good, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
        VECTOR_NOW), "another body");
  }

  @Test
  void aSignatureOutsideTheFiveMinuteWindowIsAReplay() {
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, null, GitLabWebhookAuth.signingKey(VECTOR_SECRET))));
    var p = new GitLabWebhookAuth.Presented(null, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_SIGNATURE);
    assertInstanceOf(GitLabWebhookAuth.Accepted.class, auth.authenticate(p, VECTOR_BODY, VECTOR_NOW.plusSeconds(300)));
    assertInstanceOf(GitLabWebhookAuth.Accepted.class, auth.authenticate(p, VECTOR_BODY, VECTOR_NOW.minusSeconds(300)), "clock skew");
    var late = auth.authenticate(p, VECTOR_BODY, VECTOR_NOW.plusSeconds(301));
    assertInstanceOf(GitLabWebhookAuth.Refused.class, late);
    assertTrue(((GitLabWebhookAuth.Refused) late).why().contains("webhook-timestamp"), late.toString());
  }

  @Test
  void duringKeyRotationAnyOfSeveralSignaturesMayMatch() {
    byte[] key = GitLabWebhookAuth.signingKey(VECTOR_SECRET);
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, null, key)));
    String rotated = GitLabWebhookAuth.sign("another-key-of-16-bytes!".getBytes(StandardCharsets.UTF_8), VECTOR_ID, VECTOR_TIMESTAMP,
        VECTOR_BODY) + " " + VECTOR_SIGNATURE;
    assertInstanceOf(GitLabWebhookAuth.Accepted.class, auth.authenticate(new GitLabWebhookAuth.Presented(null, VECTOR_ID,
        VECTOR_TIMESTAMP, rotated), VECTOR_BODY, VECTOR_NOW));
  }

  @Test
  void tokensPickTheirTenantAndBothPartsAreRequiredWhenBothAreConfigured() {
    byte[] key = GitLabWebhookAuth.signingKey(VECTOR_SECRET);
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, "shared-token", null),
        new GitLabWebhookAuth.Credential("acme", "acme-token", null),
        new GitLabWebhookAuth.Credential("globex", "globex-token", key)));
    assertNull(((GitLabWebhookAuth.Accepted) auth.authenticate(token("shared-token"), VECTOR_BODY, VECTOR_NOW)).tenant());
    assertEquals("acme", ((GitLabWebhookAuth.Accepted) auth.authenticate(token("acme-token"), VECTOR_BODY, VECTOR_NOW)).tenant());
    assertInstanceOf(GitLabWebhookAuth.Refused.class, auth.authenticate(token("globex-token"), VECTOR_BODY, VECTOR_NOW),
        "globex also signs: its token alone is not enough");
    var signed = auth.authenticate(new GitLabWebhookAuth.Presented("globex-token", VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_SIGNATURE),
        VECTOR_BODY, VECTOR_NOW);
    assertEquals("globex", ((GitLabWebhookAuth.Accepted) signed).tenant());
    for (String wrong : new String[] {"acme-token ", "ACME-TOKEN", "acme-toke", "", "shared-token\u0000"}) {
      assertInstanceOf(GitLabWebhookAuth.Refused.class, auth.authenticate(token(wrong), VECTOR_BODY, VECTOR_NOW), wrong);
    }
    var missing = auth.authenticate(token(null), VECTOR_BODY, VECTOR_NOW);
    assertTrue(((GitLabWebhookAuth.Refused) missing).why().contains("missing"), missing.toString());
  }

  @Test
  void configurationMistakesAreRefusedAndNoSecretIsShown() {
    assertThrows(IllegalArgumentException.class, () -> new GitLabWebhookAuth(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new GitLabWebhookAuth.Credential(null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, "same", null),
        new GitLabWebhookAuth.Credential("acme", "same", null))), "a token must identify one tenant");
    assertThrows(IllegalArgumentException.class, () -> GitLabWebhookAuth.signingKey("whsec_not base64!"));
    IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> GitLabWebhookAuth.signingKey("whsec_c2hvcnQ="));
    assertFalse(tooShort.getMessage().contains("c2hvcnQ"), tooShort.getMessage());
    assertEquals(java.util.Arrays.toString(GitLabWebhookAuth.signingKey(VECTOR_SECRET)),
        java.util.Arrays.toString(GitLabWebhookAuth.signingKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")), "the prefix is optional");
    var auth = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential("acme", "super-secret-token", GitLabWebhookAuth
        .signingKey(VECTOR_SECRET))));
    assertFalse(auth.toString().contains("super-secret-token"), auth.toString());
    assertFalse(auth.toString().contains("MfKQ9r8"), auth.toString());
  }
}
