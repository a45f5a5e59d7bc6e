package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Ed25519 keys from PEM, their ids and signatures, checked against RFC 8037's test vectors (Appendix A). */
class AttestationKeyTest {
  /** RFC 8037 A.1's private key {@code d}, as the PKCS#8 PEM openssl writes. */
  static final String RFC8037_PRIVATE = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
      -----END PRIVATE KEY-----
      """;
  static final String RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  static final String RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

  @Test
  void aPrivateKeyFromPemHasThePublicKeyAndThumbprintOfRfc8037() {
    AttestationKey key = AttestationKey.fromPrivatePem(RFC8037_PRIVATE, null);
    assertEquals(RFC8037_X, key.jwk().get("x"), "the public key derived from the private key");
    assertEquals(RFC8037_THUMBPRINT, key.keyId(), "the default key id is the RFC 7638 thumbprint");
    assertTrue(key.canSign());
  }

  @Test
  void signaturesAreRfc8032sAndDeterministic() {
    AttestationKey key = AttestationKey.fromPrivatePem(RFC8037_PRIVATE, "k1");
    byte[] input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".getBytes(StandardCharsets.US_ASCII);
    byte[] expected = Base64.getUrlDecoder().decode(
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
    assertArrayEquals(expected, key.sign(input), "RFC 8037 A.4");
    assertArrayEquals(key.sign(input), AttestationKey.fromPrivatePem(RFC8037_PRIVATE, "k1").sign(input),
        "the same key read twice signs the same bytes");
    assertTrue(key.verify(input, expected));
    input[0] ^= 1;
    assertFalse(key.verify(input, expected));
  }

  @Test
  void aGeneratedKeyRoundTripsThroughItsPemFiles() {
    AttestationKey generated = AttestationKey.generate();
    AttestationKey reread = AttestationKey.fromPrivatePem(generated.privatePem(), null);
    assertEquals(generated.keyId(), reread.keyId());
    AttestationKey publicOnly = AttestationKey.fromPublicPem(generated.publicPem(), null);
    assertEquals(generated.keyId(), publicOnly.keyId());
    assertFalse(publicOnly.canSign());
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    assertTrue(publicOnly.verify(data, reread.sign(data)));
    assertEquals(generated.keyId(), AttestationKey.fromRaw(generated.raw(), null).keyId());
  }

  @Test
  void theWrongKindOfKeyIsRefusedWithoutQuotingIt() {
    String rsa = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPrivatePem(rsa, null));
    assertFalse(e.getMessage().contains("MIIB"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPrivatePem(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", null));
    assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPublicPem(RFC8037_PRIVATE, null));
    assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPrivatePem(RFC8037_PRIVATE, "no spaces allowed"));
  }

  @Test
  void itsTextNeverShowsThePrivateKey() {
    AttestationKey key = AttestationKey.fromPrivatePem(RFC8037_PRIVATE, "k1");
    String body = RFC8037_PRIVATE.lines().skip(1).findFirst().orElseThrow();
    assertFalse(key.toString().contains(body.substring(0, 20)));
    assertTrue(key.toString().contains("redacted"), key.toString());
  }

  @Test
  void keyFilesReadPemWithKeyIdsAndJwksAndRefusePrivateKeys() {
    AttestationKey a = AttestationKey.generate();
    AttestationKey b = AttestationKey.generate();
    String pem = KeyFiles.KEY_ID_LABEL + "tollgate-2026\n" + a.publicPem() + b.publicPem();
    var read = KeyFiles.parse(pem);
    assertEquals("tollgate-2026", read.get(0).keyId());
    assertEquals(b.keyId(), read.get(1).keyId(), "an unlabelled key is named by its thumbprint");
    String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\"}," + dev.tollgate.contracts.Json.writeString(a.jwk()) + "]}";
    var fromJwks = KeyFiles.parse(jwks);
    assertEquals(1, fromJwks.size(), "only Ed25519 keys");
    assertArrayEquals(a.raw(), fromJwks.get(0).raw());
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.parse(a.privatePem()));
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.parse("nothing here"));
  }
}
