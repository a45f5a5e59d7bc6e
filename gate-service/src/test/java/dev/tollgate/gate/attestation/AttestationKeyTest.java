package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Ed25519 keys from PEM, their ids and signatures, checked against RFC 8037's test vectors (Appendix A); ECDSA P-256
 * keys as openssl writes them, checked against a signature openssl made.
 */
class AttestationKeyTest {
  /** RFC 8037 A.1's private key {@code d}, as the PKCS#8 PEM openssl writes. */
  static final String RFC8037_PRIVATE = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
      -----END PRIVATE KEY-----
      """;
  static final String RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  static final String RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
  /** {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256} (OpenSSL 3.0.19): PKCS#8 with the public key. */
  static final String P256_PRIVATE = """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVgx54YUUMIqNyFpL
      74y4szqZ3Sg5bnIfMZFajVHCCbuhRANCAARAH84e487ku/Pen1Usn5dfVvctm/o8
      NW8g/Dx8haj6XuWXfOZg1BP1cZf0YIGgNoGMTCuYs09DqRp1mqkbzscp
      -----END PRIVATE KEY-----
      """;
  /** {@code openssl pkey -in P256_PRIVATE -pubout}. */
  static final String P256_PUBLIC = """
      -----BEGIN PUBLIC KEY-----
      MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQB/OHuPO5Lvz3p9VLJ+XX1b3LZv6
      PDVvIPw8fIWo+l7ll3zmYNQT9XGX9GCBoDaBjEwrmLNPQ6kadZqpG87HKQ==
      -----END PUBLIC KEY-----
      """;
  /** {@code openssl dgst -sha256 -sign P256_PRIVATE} of {@link #P256_MESSAGE}: an ASN.1 DER signature. */
  static final String P256_OPENSSL_SIGNATURE =
      "MEQCIB/AV12NUkWzem+rkalgyq8fEEkJGJFVqourzf2gwGg5AiBnIm8d7O5nE5M9iLVfS4PEqcyz++Sz1/LdD2UNhlabqQ==";
  static final String P256_MESSAGE = "DSSEv1 28 application/vnd.in-toto+json 2 {}";

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

  @Test
  void aP256KeyFromOpensslHasItsPublicKeyAndVerifiesOpensslsDerSignature() {
    AttestationKey key = AttestationKey.fromPrivatePem(P256_PRIVATE, null);
    assertEquals(AttestationKey.Kind.P256, key.kind());
    assertEquals(AttestationKey.fromPublicPem(P256_PUBLIC, null).publicPem(), key.publicPem(), "the public key in the file");
    assertEquals(P256_PUBLIC.replace("\n", ""), key.publicPem().replace("\n", ""), "written as openssl writes it");
    byte[] message = P256_MESSAGE.getBytes(StandardCharsets.US_ASCII);
    byte[] opensslSig = Base64.getDecoder().decode(P256_OPENSSL_SIGNATURE);
    assertTrue(key.verify(message, opensslSig), "openssl's DER signature");
    message[0] ^= 1;
    assertFalse(key.verify(message, opensslSig));
  }

  @Test
  void p256SignaturesAreDerRandomizedAndTheP1363FormVerifiesToo() throws Exception {
    AttestationKey key = AttestationKey.fromPrivatePem(P256_PRIVATE, "p1");
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    byte[] a = key.sign(data);
    byte[] b = key.sign(data);
    assertFalse(java.util.Arrays.equals(a, b), "the JDK's ECDSA draws a new nonce each time: why envelopes are stored, not re-signed");
    assertEquals(0x30, a[0] & 0xff, "DER: SEQUENCE { r INTEGER, s INTEGER }");
    assertTrue(key.verify(data, a) && key.verify(data, b));
    java.security.Signature p1363 = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
    p1363.initSign(key.privateKey());
    p1363.update(data);
    byte[] raw = p1363.sign();
    assertEquals(64, raw.length);
    assertTrue(key.publicOnly().verify(data, raw), "r || s, as JOSE and some DSSE libraries write it");
    raw[10] ^= 1;
    assertFalse(key.publicOnly().verify(data, raw));
  }

  @Test
  void ecdsaScalarsOutsideOneToNMinusOneAreRefusedBeforeTheJdkSeesThem() throws Exception {
    // CVE-2022-21449: JDK 17.0.0-17.0.2 verified r = s = 0 for any payload; verify runs on the user's JDK.
    java.math.BigInteger n = new java.math.BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
    java.math.BigInteger one = java.math.BigInteger.ONE;
    assertFalse(AttestationKey.inRange(AttestationKey.derScalars(new byte[] {0x30, 6, 2, 1, 0, 2, 1, 0})), "r = s = 0");
    assertFalse(AttestationKey.inRange(new java.math.BigInteger[] {n, one}), "r = n");
    assertFalse(AttestationKey.inRange(new java.math.BigInteger[] {one, one.negate()}), "s < 0");
    assertTrue(AttestationKey.inRange(new java.math.BigInteger[] {one, n.subtract(one)}));
    AttestationKey key = AttestationKey.fromPrivatePem(P256_PRIVATE, "p1");
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 20; i++) {
      java.math.BigInteger[] rs = AttestationKey.derScalars(key.sign(data));
      assertTrue(AttestationKey.inRange(rs), "the JDK's own signatures parse and lie in range");
    }
    assertFalse(key.publicOnly().verify(data, new byte[64]), "an all-zero r || s");
    assertFalse(key.publicOnly().verify(data, new byte[] {0x30, 6, 2, 1, 0, 2, 1, 0}), "an all-zero DER signature");
  }

  @Test
  void aP256KeyRoundTripsThroughPemAndJwkAndItsThumbprintIsRfc7638s() throws Exception {
    AttestationKey generated = AttestationKey.generate(AttestationKey.Kind.P256);
    AttestationKey reread = AttestationKey.fromPrivatePem(generated.privatePem(), null);
    assertEquals(generated.keyId(), reread.keyId());
    var jwk = generated.jwk();
    assertEquals("EC", jwk.get("kty"));
    assertEquals("P-256", jwk.get("crv"));
    assertEquals("ES256", jwk.get("alg"));
    // RFC 7638 section 3: the required members in lexicographic order, no whitespace.
    String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
    String thumbprint = Base64.getUrlEncoder().withoutPadding().encodeToString(
        java.security.MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    assertEquals(thumbprint, generated.keyId());
    AttestationKey fromJwk = KeyFiles.parse(dev.tollgate.contracts.Json.writeString(jwk)).get(0);
    assertEquals(generated.keyId(), fromJwk.keyId());
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    assertTrue(fromJwk.verify(data, reread.sign(data)));
  }

  @Test
  void otherCurvesSec1FilesAndPointsOffTheCurveAreRefused() {
    String p384 = """
        %s
        """.formatted(P384_PRIVATE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPrivatePem(p384, null));
    assertTrue(e.getMessage().contains("P-256"), e.getMessage());
    IllegalArgumentException sec1 = assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromPrivatePem(
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA\n-----END EC PRIVATE KEY-----\n", null));
    assertTrue(sec1.getMessage().contains("openssl pkcs8 -topk8"), sec1.getMessage());
    byte[] x = new byte[32];
    byte[] y = new byte[32];
    x[31] = 1;
    y[31] = 1;
    IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> AttestationKey.fromP256Point(x, y, null));
    assertTrue(off.getMessage().contains("not a point on the curve"), off.getMessage());
  }

  /** {@code openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384}: not a curve attestations are signed with. */
  static final String P384_PRIVATE = """
      -----BEGIN PRIVATE KEY-----
      MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDB+wcapqIt9dvb9Ip77
      NwedtPaZAYwTb5WiNy2NdqDf1wi1pfqSWUn1pgZsW5viZiyhZANiAAQxfs+vH2WS
      h+LR/ZrOEEqe8eW9AbOkLeXmM05kocQFkaqNrT4oW/xcIYatpO0/pY7iiXZq8Ftq
      q1Wn+G/gYxmaDLZvrm3XjRzkckYbxAZTb3E3WHB2xdAe6QeeFH0YoYE=
      -----END PRIVATE KEY-----
      """;
}
