package dev.tollgate.deploy.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.TestKeys;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import org.junit.jupiter.api.Test;

/** The App's key as GitHub downloads it (PKCS#1) and as PKCS#8, read with the JDK alone. */
class PemKeysTest {
  static final KeyPair KEYS = TestKeys.pair();
  static final RSAPrivateCrtKey ORIGINAL = (RSAPrivateCrtKey) KEYS.getPrivate();

  @Test
  void readsAPkcs1KeyAsGitHubDownloadsIt() {
    String pem = TestKeys.pkcs1Pem(KEYS);
    assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n"), pem.substring(0, 40));
    RSAPrivateCrtKey read = PemKeys.parse(pem);
    assertEquals(ORIGINAL.getModulus(), read.getModulus());
    assertEquals(ORIGINAL.getPrivateExponent(), read.getPrivateExponent());
    assertEquals(ORIGINAL.getCrtCoefficient(), read.getCrtCoefficient());
    assertArrayEquals(ORIGINAL.getEncoded(), read.getEncoded(), "the wrapped PKCS#1 is exactly the JDK's PKCS#8");
  }

  @Test
  void readsPkcs8AndToleratesWindowsLineEndsAndSurroundingText() {
    assertEquals(ORIGINAL.getModulus(), PemKeys.parse(TestKeys.pkcs8Pem(KEYS)).getModulus());
    String crlf = "key for app 42\r\n" + TestKeys.pkcs1Pem(KEYS).replace("\n", "\r\n") + "\r\n";
    assertEquals(ORIGINAL.getPrivateExponent(), PemKeys.parse(crlf).getPrivateExponent());
  }

  @Test
  void derLengthsUseTheShortAndLongForms() {
    assertArrayEquals(new byte[] {0x7f}, PemKeys.derLength(127));
    assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0x80}, PemKeys.derLength(128));
    assertArrayEquals(new byte[] {(byte) 0x82, 0x04, (byte) 0xa8}, PemKeys.derLength(1192));
    assertArrayEquals(new byte[] {(byte) 0x83, 0x01, 0x00, 0x00}, PemKeys.derLength(65536));
  }

  @Test
  void refusesWhatItCannotUseWithoutQuotingTheKey() {
    String pem = TestKeys.pkcs1Pem(KEYS);
    String body = pem.split("\n")[1];
    var garbage = assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(pem.replace(body, body.substring(0, 20) + "!!")));
    assertFalse(garbage.getMessage().contains(body.substring(0, 20)), garbage.getMessage());
    var truncated = assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(pem.replace(body, "")));
    assertFalse(truncated.getMessage().contains(body.substring(0, 20)), truncated.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.parse("ssh-rsa AAAAB3Nza")).getMessage()
        .contains("BEGIN RSA PRIVATE KEY"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(pem.replace("RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY")))
        .getMessage().contains("encrypted"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(pem.replace("RSA PRIVATE KEY", "EC PRIVATE KEY")))
        .getMessage().contains("EC PRIVATE KEY"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(TestKeys.pkcs1Pem(TestKeys.pair(1024))))
        .getMessage().contains("1024 bits"));
    assertThrows(IllegalArgumentException.class, () -> PemKeys.parse(" "));
  }
}
