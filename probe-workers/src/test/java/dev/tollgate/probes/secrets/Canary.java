package dev.tollgate.probes.secrets;

import java.util.Random;

/**
 * Credential-shaped values made at test time (never written in the sources, so the repository stays clean for its
 * own scanner and for push protection). Seeded: the same test sees the same values.
 */
final class Canary {
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String PW = ALNUM + "!#%^*-_+=.~";

  private final Random random;

  Canary(long seed) {
    this.random = new Random(seed);
  }

  /** A GitHub classic personal access token. */
  String github() {
    return "ghp" + "_" + chars(ALNUM, 36);
  }

  /** An AWS access key id. */
  String awsKeyId() {
    return "AK" + "IA" + chars(B32, 16);
  }

  /** A Stripe live secret key. */
  String stripe() {
    return "sk" + "_live_" + chars(ALNUM, 24);
  }

  /** A random password of printable characters. */
  String password() {
    return chars(PW, 20);
  }

  /** A Slack bot token. */
  String slack() {
    return "xo" + "xb-" + chars("0123456789", 12) + "-" + chars("0123456789", 12) + "-" + chars(ALNUM, 24);
  }

  private String chars(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
