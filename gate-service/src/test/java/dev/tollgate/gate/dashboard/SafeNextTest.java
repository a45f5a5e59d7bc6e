package dev.tollgate.gate.dashboard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** After sign-in the browser may only go to a path on this site. */
class SafeNextTest {
  @Test
  void refusesEveryWayOffTheSite() {
    for (String bad : List.of("//evil.example/phish", "/\t/evil.example/phish", "/\\evil.example", "/\\/evil.example",
        "/\n/evil.example", "/\r/evil.example", "/\u0000/x", "/ /evil", "https://evil.example", "javascript:alert(1)",
        "evil.example", "", "/a\\..\\..//evil", "/\u00e9", "/" + "a".repeat(2001))) {
      assertFalse(SafeNext.isLocalPath(bad), bad);
    }
    assertFalse(SafeNext.isLocalPath(null));
  }

  @Test
  void keepsPathsOnThisSite() {
    // Safe: each resolves against our own origin (a %2F stays encoded in the path, never an authority).
    for (String good : List.of("/", "/evaluations/0b6c2f0e", "/?verdict=NO_GO&environment=production", "/audit#top",
        "/%2F%2Fevil.example", "/environments")) {
      assertTrue(SafeNext.isLocalPath(good), good);
    }
  }
}
