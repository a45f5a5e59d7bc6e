package dev.tollgate.gate.override;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.gate.report.TypedCredentials;
import org.junit.jupiter.api.Test;

/**
 * What is recorded of an approver's reason: it goes to Kafka, the audit, the API, Slack and the platforms verbatim. That
 * the vote publishes this form is shown on the broker: {@code OverrideIT.aCredentialTypedIntoAVoteReasonIsMaskedInTheRecordOnKafka}.
 */
class OverrideReasonTest {
  /** Attack (or accident): a credential pasted into an override reason would be recorded and shown everywhere. */
  @Test
  void aCredentialTypedIntoAVoteReasonIsMaskedBeforeItIsRecorded() {
    String token = "xox" + "p-1234567890-" + "Zq8rT2vLk9PwX4mN"; // assembled: Tollgate's own secrets scan reads this file
    String recorded = OverrideService.recordedReason("  the key " + token + " is revoked already ");
    assertFalse(recorded.contains("Zq8rT2vLk9PwX4mN"), recorded);
    assertTrue(recorded.startsWith("the key xoxp-…(redacted)"), recorded);
    TypedCredentials.MASKED.forEach((credential, masked) -> {
      String r = OverrideService.recordedReason("approved, " + credential + " is revoked");
      assertFalse(r.contains(masked[1]), r);
      assertEquals("approved, " + masked[0] + " is revoked", r);
    });
    assertEquals("the bearer of bad news: ASIAN region only", OverrideService.recordedReason("the bearer of bad news: ASIAN region only"),
        "a near miss is kept");
    assertEquals("withdrawn", OverrideService.recordedReason(null));
    assertEquals("withdrawn", OverrideService.recordedReason("  "));
  }

  /** A mask can be longer than what it replaces: 500 characters typed must not become a longer reason recorded. */
  @Test
  void aReasonIsAtMost500CharactersOnceMasked() {
    String typed = "x".repeat(440) + " https://u:p@h/ https://u:p@h/ https://u:p@h/ https://u:p@h/";
    assertTrue(typed.length() <= 500, "typed " + typed.length());
    String recorded = OverrideService.recordedReason(typed);
    assertTrue(recorded.length() <= 500, "recorded " + recorded.length());
    assertTrue(recorded.contains("https://u:…(redacted)@h/") && !recorded.contains(":p@"), recorded);
  }

  /** An AWS key id is AKIA and 16 upper-case letters or digits: a word that starts with the four letters is no key. */
  @Test
  void awsKeyIdsAreMaskedAndWordsThatStartLikeThemAreNot() {
    String key = "AKIA" + "IOSFODNN7EXAMPLF";
    assertEquals("rotated AKIA…(redacted) today", OverrideService.recordedReason("rotated " + key + " today"));
    assertEquals("AKIA…(redacted)_prod rotated", OverrideService.recordedReason(key + "_prod rotated"), "glued to a word");
    for (String text : java.util.List.of("AKIASTATUS page is green again", "see AKIA_rotation_runbook for the steps",
        "the AKIA-prefixed ids were rotated")) {
      assertEquals(text, OverrideService.recordedReason(text));
    }
  }
}
