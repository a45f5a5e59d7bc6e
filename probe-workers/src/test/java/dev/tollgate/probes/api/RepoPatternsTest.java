package dev.tollgate.probes.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Repository patterns run on RE2/J or are refused (issue 19, item 7). The review's {@code ^(a+)+\1$} needs a
 * backreference, which only a backtracking engine offers: refused with the key named and the pattern not echoed.
 */
class RepoPatternsTest {
  @Test
  void flagsABackreferenceWithoutEchoingThePattern() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RepoPatterns.compile("^(a+)+\\1$", "environments.production.promotion.hotfix"));
    assertTrue(e.getMessage().startsWith("environments.production.promotion.hotfix: not a regular expression Tollgate "
        + "can run in linear time"), e.getMessage());
    assertFalse(e.getMessage().contains("(a+)"), e.getMessage());
  }

  @Test
  void flagsLookaroundsAndNestedCountedRepeatsBeforeTheyCostMemory() {
    assertThrows(IllegalArgumentException.class, () -> RepoPatterns.compile("(?=x)hotfix", "k"));
    long started = System.nanoTime();
    // RE2/J expands counted repeats: this one alone would exhaust the heap while compiling.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RepoPatterns.compile("((a{1000}){1000}){1000}", "k"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000, "refused before compiling");
    assertThrows(IllegalArgumentException.class, () -> RepoPatterns.compile("x".repeat(RepoPatterns.MAX_LENGTH + 1), "k"));
  }

  @Test
  void passesOrdinaryPatternsThatMatchInLinearTime() {
    assertTrue(RepoPatterns.compile("^(hotfix|fix)(\\(.+\\))?!?:", "k").matcher("hotfix(api)!: x").find());
    // The review's subject against a pattern that would backtrack exponentially in java.util.regex.
    assertFalse(RepoPatterns.compile("^(a+)+$", "k").matcher("a".repeat(30) + "!").find());
    assertTrue(RepoPatterns.programSize("a{10}b{200}") < 1000);
    assertTrue(RepoPatterns.programSize("(a{1000}){1000}") > RepoPatterns.MAX_PROGRAM);
  }
}
