package dev.tollgate.gate.override;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** #10: the author rule holds for every form of {@code requestedBy}, including deploys GitHub started. */
class OverrideServiceAuthorTest {
  @Test
  void theAuthorIsRecognisedInEveryForm() {
    assertTrue(OverrideService.isAuthor("alice", "alice"));
    assertTrue(OverrideService.isAuthor("alice", "alice (token ci)"));
    assertTrue(OverrideService.isAuthor("Codertocat", "Codertocat (GitHub)"), "a GitHub deploy's author");
    assertTrue(OverrideService.isAuthor("codertocat", "Codertocat (GitHub)"), "logins are case-insensitive");
  }

  @Test
  void someoneElseIsNotTheAuthor() {
    assertFalse(OverrideService.isAuthor("bob", "alice (GitHub)"));
    assertFalse(OverrideService.isAuthor("bob", null));
    assertFalse(OverrideService.isAuthor("alice", "alice-bot (GitHub)"));
  }
}
