package dev.tollgate.deploy.github;

import java.io.ByteArrayOutputStream;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the GitHub App's private key with the JDK alone. GitHub hands out PKCS#1 PEM ({@code BEGIN RSA PRIVATE
 * KEY}), which the JDK's {@code KeyFactory} does not read, so it is wrapped into the PKCS#8 structure it does:
 * {@code SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING { pkcs1 } }} (RFC 5208). A PKCS#8
 * PEM ({@code BEGIN PRIVATE KEY}, e.g. after {@code openssl pkcs8 -topk8 -nocrypt}) is read as is. No error
 * message ever quotes the key.
 */
final class PemKeys {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
  private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  static final int MIN_BITS = 2048;

  private PemKeys() {}

  /**
   * Parses an unencrypted RSA private key in PKCS#1 or PKCS#8 PEM.
   *
   * @throws IllegalArgumentException saying what is wrong, never quoting the key
   */
  static RSAPrivateCrtKey parse(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("empty: expected a PEM private key");
    }
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- as GitHub downloads it, "
          + "or -----BEGIN PRIVATE KEY-----)");
    }
    String type = m.group(1);
    String body = m.group(2);
    if (type.contains("ENCRYPTED") || body.contains("Proc-Type:")) {
      throw new IllegalArgumentException("the key is encrypted; GitHub's keys are not: store the key as downloaded, "
          + "or decrypt it with `openssl pkey -in key.pem -out plain.pem`");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM body is not valid base64");
    }
    byte[] pkcs8 = switch (type) {
      case "RSA PRIVATE KEY" -> wrapPkcs1(der);
      case "PRIVATE KEY" -> der;
      default -> throw new IllegalArgumentException("a PEM block of type \"" + type + "\", expected RSA PRIVATE KEY or PRIVATE KEY");
    };
    try {
      if (!(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) instanceof RSAPrivateCrtKey key)) {
        throw new IllegalArgumentException("not an RSA private key with CRT parameters");
      }
      if (key.getModulus().bitLength() < MIN_BITS) {
        throw new IllegalArgumentException("an RSA key of " + key.getModulus().bitLength() + " bits; expected at least " + MIN_BITS);
      }
      return key;
    } catch (InvalidKeySpecException e) {
      throw new IllegalArgumentException("not a valid RSA private key (" + type + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available in this JDK", e);
    }
  }

  /** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo. */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    inner.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
    inner.writeBytes(RSA_ALGORITHM);
    inner.write(0x04); // OCTET STRING
    inner.writeBytes(derLength(pkcs1.length));
    inner.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30); // SEQUENCE
    out.writeBytes(derLength(inner.size()));
    out.writeBytes(inner.toByteArray());
    return out.toByteArray();
  }

  /** DER definite length: short form below 128, else 0x80|n followed by n big-endian bytes. */
  static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] out = new byte[1 + bytes];
    out[0] = (byte) (0x80 | bytes);
    for (int i = 0; i < bytes; i++) {
      out[bytes - i] = (byte) (length >>> (8 * i));
    }
    return out;
  }
}
