package dev.tollgate.gate.delivery;

import java.util.Arrays;

/**
 * Durations in whole seconds, counted in logarithmic bins 2% wide, so that many day buckets merge by adding counts
 * and a quantile of the merge is within 1% of the exact value (the idea of DDSketch): a median over 90 days reads
 * bins, never the deploys. Sparse: a bucket holds only the bins it saw. Not thread-safe (its owner locks).
 */
final class LogHistogram {
  /** Bin width: bin i ≥ 1 holds [γ^(i-1), γ^i) seconds. */
  static final double GAMMA = 1.02;
  private static final double LOG_GAMMA = Math.log(GAMMA);
  /** Enough bins for 30 years; longer is counted in the last bin. */
  static final int BINS = (int) Math.ceil(Math.log(30 * 365.25 * 86_400) / LOG_GAMMA) + 2;

  private int[] bins = new int[0];
  private long[] counts = new long[0];
  private long total;

  /** Adds one duration; a negative one is a caller's mistake. */
  void add(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds: expected >= 0, got " + seconds);
    }
    int bin = bin(seconds);
    int at = Arrays.binarySearch(bins, bin);
    if (at < 0) {
      at = -at - 1;
      bins = insert(bins, at, bin);
      counts = insert(counts, at);
    }
    counts[at]++;
    total++;
  }

  long count() {
    return total;
  }

  /** Adds this histogram's counts into a dense accumulator of {@link #BINS} entries. */
  void addTo(long[] dense) {
    for (int i = 0; i < bins.length; i++) {
      dense[bins[i]] += counts[i];
    }
  }

  static int bin(long seconds) {
    if (seconds < 1) {
      return 0;
    }
    return Math.min(BINS - 1, (int) Math.floor(Math.log(seconds) / LOG_GAMMA) + 1);
  }

  /** The value a bin stands for: 0 for bin 0, else the point with the same relative error to both ends. */
  static double value(int bin) {
    if (bin == 0) {
      return 0;
    }
    double lower = Math.pow(GAMMA, bin - 1);
    double upper = Math.pow(GAMMA, bin);
    return 2 * lower * upper / (lower + upper);
  }

  /**
   * The nearest-rank quantile q (0 < q ≤ 1) of a dense accumulator: the value of the bin holding the ⌈q·n⌉-th
   * smallest duration; null when empty.
   */
  static Double quantile(long[] dense, double q) {
    long n = 0;
    for (long c : dense) {
      n += c;
    }
    if (n == 0) {
      return null;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < dense.length; i++) {
      seen += dense[i];
      if (seen >= rank) {
        return value(i);
      }
    }
    return value(dense.length - 1);
  }

  private static int[] insert(int[] a, int at, int value) {
    int[] b = new int[a.length + 1];
    System.arraycopy(a, 0, b, 0, at);
    b[at] = value;
    System.arraycopy(a, at, b, at + 1, a.length - at);
    return b;
  }

  private static long[] insert(long[] a, int at) {
    long[] b = new long[a.length + 1];
    System.arraycopy(a, 0, b, 0, at);
    System.arraycopy(a, at, b, at + 1, a.length - at);
    return b;
  }
}
