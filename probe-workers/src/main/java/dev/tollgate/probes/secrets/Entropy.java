package dev.tollgate.probes.secrets;

/** Shannon entropy of a value's characters, in bits per character: random tokens score high, words and placeholders low. */
final class Entropy {
  private Entropy() {}

  /** Bits per character of {@code s}; 0 for an empty string. */
  static double of(CharSequence s) {
    int n = s.length();
    if (n == 0) {
      return 0;
    }
    // Secrets are ASCII almost always; other characters share one bucket per code unit's low byte, which only
    // lowers the estimate a little and never makes it unstable.
    int[] counts = new int[256];
    for (int i = 0; i < n; i++) {
      counts[s.charAt(i) & 0xff]++;
    }
    double bits = 0;
    for (int c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        bits -= p * (Math.log(p) / LOG2);
      }
    }
    return bits;
  }

  private static final double LOG2 = Math.log(2);
}
