package dev.tollgate.deploy.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A GitHub App key pair made for the tests (nothing secret is checked in): the private key as GitHub downloads it
 * (PKCS#1 PEM) and as PKCS#8 PEM, the public key for the fake GitHub to verify App JWTs with.
 *
 * <p>The PKCS#1 form is cut out of the JDK's PKCS#8 encoding by reading its DER (the OCTET STRING inside the
 * PrivateKeyInfo): the inverse of what the code under test does, written independently.
 */
public final class TestKeys {
  private static KeyPair pair;

  private TestKeys() {}

  /** One 2048-bit RSA key pair per test JVM (generating one takes a moment). */
  public static synchronized KeyPair pair() {
    if (pair == null) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        pair = g.generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return pair;
  }

  /** A key pair of another size (tests of the size check). */
  public static KeyPair pair(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code -----BEGIN RSA PRIVATE KEY-----}: what GitHub's "Generate a private key" downloads. */
  public static String pkcs1Pem(KeyPair keys) {
    return pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded()));
  }

  /** {@code -----BEGIN PRIVATE KEY-----}. */
  public static String pkcs8Pem(KeyPair keys) {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The RSAPrivateKey (PKCS#1) inside a PrivateKeyInfo (PKCS#8). */
  static byte[] pkcs1(byte[] pkcs8) {
    int[] pos = {0};
    expect(pkcs8, pos, 0x30);
    length(pkcs8, pos); // enter the outer SEQUENCE
    skip(pkcs8, pos, 0x02); // version
    skip(pkcs8, pos, 0x30); // algorithm identifier
    expect(pkcs8, pos, 0x04);
    int len = length(pkcs8, pos);
    return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + len);
  }

  private static void skip(byte[] der, int[] pos, int tag) {
    expect(der, pos, tag);
    int len = length(der, pos);
    pos[0] += len;
  }

  private static void expect(byte[] der, int[] pos, int tag) {
    if ((der[pos[0]] & 0xff) != tag) {
      throw new IllegalStateException("unexpected DER tag " + (der[pos[0]] & 0xff) + " at " + pos[0]);
    }
    pos[0]++;
  }

  private static int length(byte[] der, int[] pos) {
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int len = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    return len;
  }
}
