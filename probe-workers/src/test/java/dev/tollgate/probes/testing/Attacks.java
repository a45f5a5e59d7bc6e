package dev.tollgate.probes.testing;

import java.util.Random;

/**
 * Inputs of the security review's attacks (issue 19), made at test time so no credential-shaped value is ever written
 * in the sources: an AWS access key id, an unsafe Deployment, a YAML alias bomb around it.
 */
public final class Attacks {
  private Attacks() {}

  /** A Deployment the rollback probe blocks: {@code nginx:latest}, no readiness probe. */
  public static final String UNSAFE_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: shop}
      spec:
        template:
          spec:
            containers:
              - name: web
                image: nginx:latest
      """;

  /** An AWS access key id, the same for the same seed. */
  public static String awsKeyId(long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("AK").append("IA");
    for (int i = 0; i < 16; i++) {
      b.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(r.nextInt(32)));
    }
    return b.toString();
  }

  /**
   * A repository policy that exempts {@code path} from the secrets scan, the migrations probe and the rollback probe:
   * what an author adds to {@code .tollgate.yml} in the range that ships what it exempts (repository author, item 3).
   */
  public static String policyExempting(String path) {
    return "secrets: {allowPaths: [\"" + path + "**\"]}\n"
        + "migrations: {exclude: [" + path + "]}\n"
        + "rollback: {exclude: [\"" + path + "**\"]}\n";
  }

  /** {@code text} saved as UTF-16LE without a byte order mark: git calls the file binary, and the scan skipped it. */
  public static byte[] utf16(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
  }

  /** {@code text} behind a NUL byte, UTF-8: git calls the file binary, and the scan used to skip it. */
  public static byte[] behindNul(String text) {
    return ("\0\n" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * {@code text} in ASCII behind the two bytes of a UTF-16LE byte order mark: read as UTF-16 alone it is CJK, and a
   * key in it was not seen.
   */
  public static byte[] bomThen(String text) {
    byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[ascii.length + 2];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xFE;
    System.arraycopy(ascii, 0, out, 2, ascii.length);
    return out;
  }

  /** {@code yaml} followed by 51 aliased lists, each twice the one before: over SnakeYAML's limit of 50 aliases. */
  public static String aliasBomb(String yaml) {
    StringBuilder b = new StringBuilder(yaml).append("x0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 51; i++) {
      b.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
    }
    return b.toString();
  }
}
