package dev.tollgate.contracts.warmup;

/**
 * Decides when a warm-up stops paying: rounds of the same work get faster while classes load and the JIT compiles,
 * then level off. Stops once the last {@code window} rounds were no more than {@code gain} faster than the best
 * round before them (at least {@code window + 1} rounds). A fixed time budget or count either stopped a fast machine
 * long after it was warm or a loaded one before it was.
 */
public final class Plateau {
  /** The probes' rounds: rounds that must show no gain before stopping. */
  public static final int WINDOW = 3;
  /** The least improvement that counts as still warming: 10 %. */
  public static final double GAIN = 0.10;

  private final long[] recent;
  private final double gain;
  private int rounds;
  private long bestBefore = Long.MAX_VALUE;

  /** {@link #WINDOW} rounds, {@link #GAIN}. */
  public Plateau() {
    this(WINDOW, GAIN);
  }

  /** Stops once the last {@code window} rounds were no more than {@code gain} (0..1) faster than the best before. */
  public Plateau(int window, double gain) {
    if (window < 1 || gain < 0 || gain >= 1) {
      throw new IllegalArgumentException("window >= 1 and 0 <= gain < 1, got " + window + ", " + gain);
    }
    this.recent = new long[window];
    this.gain = gain;
  }

  /** Records one round's time; true when warming has stopped paying. */
  public boolean add(long nanos) {
    int window = recent.length;
    if (rounds >= window) {
      // The oldest of the window leaves it and becomes history.
      bestBefore = Math.min(bestBefore, recent[rounds % window]);
    }
    recent[rounds % window] = nanos;
    rounds++;
    if (rounds <= window) {
      return false;
    }
    long bestRecent = Long.MAX_VALUE;
    for (long r : recent) {
      bestRecent = Math.min(bestRecent, r);
    }
    return bestRecent > bestBefore * (1 - gain);
  }

  /** Rounds recorded so far. */
  public int rounds() {
    return rounds;
  }
}
