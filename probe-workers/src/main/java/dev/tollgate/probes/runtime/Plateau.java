package dev.tollgate.probes.runtime;

/**
 * Decides when a warm-up stops paying: rounds of the same work get faster while classes load and the JIT compiles,
 * then level off. Stops once the last {@link #WINDOW} rounds were no more than {@link #GAIN} faster than the best
 * round before them (at least {@code WINDOW + 1} rounds). A fixed time budget either stopped a fast machine long after
 * it was warm or a loaded one before it was.
 */
final class Plateau {
  /** Rounds that must show no gain before stopping. */
  static final int WINDOW = 3;
  /** The least improvement that counts as still warming: 10 %. */
  static final double GAIN = 0.10;

  private final long[] recent = new long[WINDOW];
  private int rounds;
  private long bestBefore = Long.MAX_VALUE;

  /** Records one round's time; true when warming has stopped paying. */
  boolean add(long nanos) {
    if (rounds >= WINDOW) {
      // The oldest of the window leaves it and becomes history.
      bestBefore = Math.min(bestBefore, recent[rounds % WINDOW]);
    }
    recent[rounds % WINDOW] = nanos;
    rounds++;
    if (rounds <= WINDOW) {
      return false;
    }
    long bestRecent = Long.MAX_VALUE;
    for (long r : recent) {
      bestRecent = Math.min(bestRecent, r);
    }
    return bestRecent > bestBefore * (1 - GAIN);
  }

  int rounds() {
    return rounds;
  }
}
