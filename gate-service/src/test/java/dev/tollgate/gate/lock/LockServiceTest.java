package dev.tollgate.gate.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.gate.report.TypedCredentials;
import org.junit.jupiter.api.Test;

/** A lock's reason: what every channel (API, Slack, audit, dashboard, platforms) shows of it, checked once on input. */
class LockServiceTest {
  // Assembled at run time: Tollgate's own secrets scan reads this file.
  static final String SLACK_TOKEN = "xox" + "b-1234567890-" + "Zq8rT2vLk9PwX4mN";
  static final String GITHUB_TOKEN = "gh" + "p_" + "Zq8rT2vLk9PwX4mNb7Yc1Hd6Js3Fg5Ke0Ua";

  /** Attack (or accident): a credential typed into a lock reason would reach Kafka, the API, the audit and Slack. */
  @Test
  void aCredentialTypedIntoTheReasonIsMaskedBeforeItGoesAnywhere() {
    String reason = LockService.reason("rotating the leaked " + SLACK_TOKEN + " and " + GITHUB_TOKEN + " now");
    assertFalse(reason.contains("Zq8rT2vLk9PwX4mN"), reason);
    assertTrue(reason.startsWith("rotating the leaked xoxb-…(redacted) and ghp_…(redacted)"), reason);
  }

  /** Attack (or accident): Tollgate's own token, a pasted header, a clone URL with its password, a temporary AWS key. */
  @Test
  void tollgatesOwnTokensHeadersUrlPasswordsAndTemporaryAwsKeysAreMasked() {
    TypedCredentials.MASKED.forEach((credential, masked) -> {
      String reason = LockService.reason("rotating the leaked " + credential + " now");
      assertFalse(reason.contains(masked[1]), reason);
      assertEquals("rotating the leaked " + masked[0] + " now", reason);
    });
  }

  /** What only looks like one is kept: a reason must still say what it is about. */
  @Test
  void nearMissesAreNotMasked() {
    for (String text : java.util.List.of("raise tg_timeout_seconds for the gate", "the bearer of bad news is the migration",
        "waiting on https://gitlab.example.com:8443/acme/shop to recover", "the ASIAN region deploy is frozen",
        "ASIA-Pacific cut-over at 10:00, see user@example.com")) {
      assertEquals(text, LockService.reason(text));
    }
  }

  @Test
  void aReasonIsOneLineOf10To500Characters() {
    assertEquals("debugging the payment outage", LockService.reason("  debugging the payment outage \n"));
    assertThrows(IllegalArgumentException.class, () -> LockService.reason("short"));
    assertThrows(IllegalArgumentException.class, () -> LockService.reason("x".repeat(501)));
    // Bug: the length was checked after masking: 495 characters typed, one credential among them, was "got 505".
    String typed = "x".repeat(495 - "https://u:p@h/".length() - 1) + " https://u:p@h/";
    assertEquals(495, typed.length());
    String masked = LockService.reason(typed);
    assertTrue(masked.contains("https://u:…") && masked.length() <= 500, masked);
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
        () -> LockService.reason("x".repeat(490) + " " + TypedCredentials.TG_TOKEN));
    assertEquals("expected 10-500 characters, got 537", tooLong.getMessage(), "what was typed");
    assertThrows(IllegalArgumentException.class, () -> LockService.reason("two\nlines of reason"));
    assertThrows(IllegalArgumentException.class, () -> LockService.reason("right-to-left \u202e override"));
  }
}
