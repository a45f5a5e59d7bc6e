package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up stops when its rounds stop getting faster, and not while they still do. */
class PlateauTest {
  /** Feeds round times (ms) and returns the round (1-based) at which it said stop, or 0 if never. */
  private static int stopsAt(long... millis) {
    Plateau p = new Plateau();
    for (int i = 0; i < millis.length; i++) {
      if (p.add(millis[i] * 1_000_000L)) {
        return i + 1;
      }
    }
    return 0;
  }

  @Test
  void stopsWhenTheLastRoundsAreNoFasterThanTheBestBefore() {
    // Cold, warming, then level: the best of rounds 7-9 (115) is not 10 % under the best before them (120).
    assertEquals(9, stopsAt(2000, 600, 300, 200, 150, 120, 115, 118, 116, 100, 100));
  }

  @Test
  void keepsGoingWhileRoundsStillGetFaster() {
    assertEquals(0, stopsAt(2000, 1500, 1100, 800, 600, 450, 330, 250, 180, 130));
  }

  @Test
  void oneSlowRoundInTheMiddleDoesNotStopItWhileTheBestStillFalls() {
    // A pause (GC, another process) makes one round slow; the window's best still improves by more than 10 %.
    assertEquals(0, stopsAt(1000, 800, 600, 2000, 450, 300));
  }

  @Test
  void neverStopsBeforeItHasAWindowAndSomethingToCompareWith() {
    Plateau p = new Plateau();
    for (int i = 0; i < Plateau.WINDOW; i++) {
      assertFalse(p.add(100_000_000L), "round " + (i + 1));
    }
    assertTrue(p.add(100_000_000L), "four equal rounds: level from the start");
    assertEquals(Plateau.WINDOW + 1, p.rounds());
  }
}
