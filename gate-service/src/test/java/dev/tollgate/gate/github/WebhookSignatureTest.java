package dev.tollgate.gate.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** X-Hub-Signature-256 as GitHub documents it (protocols §1.2). */
class WebhookSignatureTest {
  static final WebhookSignature GITHUB_EXAMPLE = WebhookSignature.of("It's a Secret to Everybody");
  static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  static final String EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void matchesGitHubsDocumentedTestVector() {
    assertEquals(EXPECTED, GITHUB_EXAMPLE.sign(HELLO));
    assertTrue(GITHUB_EXAMPLE.verify(HELLO, EXPECTED));
  }

  @Test
  void refusesAnotherSecretAnotherBodyAndEveryMalformedHeader() {
    assertFalse(WebhookSignature.of("It's a Secret to Everybody!").verify(HELLO, EXPECTED), "another secret");
    assertFalse(GITHUB_EXAMPLE.verify("Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED), "another body");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, null), "missing header");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, ""), "empty header");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, EXPECTED.substring(7)), "hex without the sha256= prefix");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, "sha1=" + EXPECTED.substring(7)), "the legacy SHA-1 header's prefix");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, EXPECTED.substring(0, EXPECTED.length() - 2)), "truncated");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, EXPECTED + "00"), "too long");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, EXPECTED.substring(0, EXPECTED.length() - 1) + "g"), "not hex");
    assertFalse(GITHUB_EXAMPLE.verify(HELLO, EXPECTED.substring(0, EXPECTED.length() - 1) + "6"), "one nibble off");
  }

  @Test
  void anEmptyBodyIsSignedLikeAnyOtherAndAnEmptySecretIsRefused() {
    assertTrue(GITHUB_EXAMPLE.verify(new byte[0], GITHUB_EXAMPLE.sign(new byte[0])));
    assertFalse(GITHUB_EXAMPLE.verify(null, EXPECTED));
    assertThrows(IllegalArgumentException.class, () -> WebhookSignature.of(""));
  }

  @Test
  void neverShowsTheSecret() {
    assertFalse(GITHUB_EXAMPLE.toString().contains("Secret to Everybody"), GITHUB_EXAMPLE.toString());
    GitHubSettings settings = new GitHubSettings(1, GITHUB_EXAMPLE, "https://api.github.com/", "https://github.com", null,
        java.util.Map.of(7L, "acme"));
    assertFalse(settings.toString().contains("Secret to Everybody"), settings.toString());
    assertEquals("https://api.github.com", settings.apiUrl(), "trailing slash dropped");
  }
}
