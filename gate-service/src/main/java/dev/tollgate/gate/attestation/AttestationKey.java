package dev.tollgate.gate.attestation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key that signs or verifies attestations, with its id: Ed25519 (RFC 8032) or ECDSA on P-256 with SHA-256.
 *
 * <p>Ed25519 signatures are deterministic: the same statement signed with the same key gives the same bytes on every
 * gate and every retry. ECDSA signatures from the JDK are randomized: signing a revision again gives another (equally
 * valid) signature, which is why every gate serves the envelope the signer stored once on the compacted topic and
 * never signs again what it can read back. Both are in the JDK; {@code openssl}, cosign and every JOSE library verify
 * both.
 *
 * <p>ECDSA signatures are ASN.1 DER ({@code SEQUENCE {r INTEGER, s INTEGER}}, RFC 3279), what Sigstore's verifiers
 * (cosign, sigstore-go: {@code ecdsa.VerifyASN1}) and {@code openssl dgst -verify} expect; a signature in the
 * fixed-size IEEE P1363 form ({@code r || s}, 64 bytes, as JOSE and some DSSE libraries write it) is accepted when
 * verifying.
 *
 * <p>Keys are read from PEM: the private key as PKCS#8 ({@code openssl genpkey -algorithm ed25519}, or {@code -algorithm
 * EC -pkeyopt ec_paramgen_curve:P-256}), the public key as X.509 SubjectPublicKeyInfo ({@code openssl pkey -pubout}).
 * {@link #toString()} never shows the private key.
 *
 * @param keyId the id signatures name ({@code keyid}); by default the key's RFC 7638 JWK thumbprint
 * @param privateKey null for a key that only verifies
 */
public record AttestationKey(String keyId, PublicKey publicKey, PrivateKey privateKey) {
  /** The kinds of key that sign attestations. */
  public enum Kind {
    /** EdDSA on Curve25519: deterministic signatures, 64 bytes. */
    ED25519("Ed25519", "Ed25519"),
    /** ECDSA on NIST P-256 with SHA-256 (JOSE {@code ES256}): randomized signatures, ASN.1 DER. */
    P256("ECDSA-P256", "SHA256withECDSA");

    private final String label;
    private final String jca;

    Kind(String label, String jca) {
      this.label = label;
      this.jca = jca;
    }

    /** The name published with the key ({@code AttestationKeyPublished.algorithm}) and shown to users. */
    public String label() {
      return label;
    }
  }

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
  private static final byte[] ED25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  /** DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480): id-ecPublicKey, prime256v1, the uncompressed point follows. */
  private static final byte[] P256_SPKI = HexFormat.of().parseHex(
      "3059301306072a8648ce3d020106082a8648ce3d030107034200");
  /** DER of a P-256 PKCS#8 key as openssl writes it, up to the 32-byte private scalar (RFC 5208 around RFC 5915). */
  private static final byte[] P256_PKCS8_HEAD = HexFormat.of().parseHex(
      "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420");
  /** Between the scalar and the uncompressed public point: {@code [1] publicKey BIT STRING}. */
  private static final byte[] P256_PKCS8_PUBLIC = HexFormat.of().parseHex("a144034200");
  /** The OID id-ecPublicKey (1.2.840.10045.2.1) in DER: an EC key of some curve. */
  private static final byte[] EC_OID = HexFormat.of().parseHex("06072a8648ce3d0201");
  private static final ECParameterSpec P256_PARAMS = p256();

  public AttestationKey {
    Objects.requireNonNull(publicKey, "publicKey");
    requireKeyId(keyId);
    kindOf(publicKey);
  }

  /** A new random Ed25519 key (the all-in-one's key when none is configured). */
  public static AttestationKey generate() {
    return generate(Kind.ED25519);
  }

  /** A new random key of {@code kind}. */
  public static AttestationKey generate(Kind kind) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind == Kind.ED25519 ? "Ed25519" : "EC");
      if (kind == Kind.P256) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      }
      KeyPair pair = generator.generateKeyPair();
      return new AttestationKey(thumbprint(pair.getPublic()), pair.getPublic(), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + kind.label(), e);
    }
  }

  /**
   * A signing key from a PKCS#8 PEM private key, Ed25519 or P-256.
   *
   * @param keyId the id to sign under, or null for the key's thumbprint
   * @throws IllegalArgumentException when the text is not an unencrypted Ed25519 or P-256 PKCS#8 key (the message never
   *     quotes it)
   */
  public static AttestationKey fromPrivatePem(String pem, String keyId) {
    if (pem != null && pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw new IllegalArgumentException("expected PKCS#8 (-----BEGIN PRIVATE KEY-----), got a SEC1 EC key: convert it with "
          + "openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY.p8.pem");
    }
    byte[] der = der(pem, "PRIVATE KEY");
    if (startsWithin(der, EC_OID, 12)) {
      return p256FromPkcs8(der, keyId);
    }
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed = ((EdECPrivateKey) key).getBytes()
          .orElseThrow(() -> new IllegalArgumentException("the private key has no key bytes"));
      PublicKey publicKey = derivePublic(seed);
      return new AttestationKey(keyId == null ? thumbprint(publicKey) : keyId, publicKey, key);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("expected an unencrypted Ed25519 or ECDSA P-256 private key in PKCS#8 PEM "
          + "(openssl genpkey -algorithm ed25519, or -algorithm EC -pkeyopt ec_paramgen_curve:P-256)");
    }
  }

  /**
   * A P-256 key from the PKCS#8 openssl writes, which carries the public point after the scalar (RFC 5915's optional
   * {@code publicKey}): the JDK cannot derive it from the scalar, and a pair that does not match is refused.
   */
  private static AttestationKey p256FromPkcs8(byte[] der, String keyId) {
    int scalarAt = P256_PKCS8_HEAD.length;
    int publicAt = scalarAt + 32;
    if (der.length != publicAt + P256_PKCS8_PUBLIC.length + 65 || !Arrays.equals(der, 0, scalarAt, P256_PKCS8_HEAD, 0, scalarAt)
        || !Arrays.equals(der, publicAt, publicAt + P256_PKCS8_PUBLIC.length, P256_PKCS8_PUBLIC, 0, P256_PKCS8_PUBLIC.length)) {
      throw new IllegalArgumentException("expected an ECDSA P-256 private key in PKCS#8 PEM with its public key, as openssl "
          + "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 writes it (parameters or the public key missing?)");
    }
    try {
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] point = Arrays.copyOfRange(der, der.length - 65, der.length);
      PublicKey publicKey = p256Public(point);
      AttestationKey pair = new AttestationKey(keyId == null ? thumbprint(publicKey) : keyId, publicKey, key);
      byte[] probe = "tollgate: the public key belongs to the private key".getBytes(StandardCharsets.US_ASCII);
      if (!pair.verify(probe, pair.sign(probe))) {
        throw new IllegalArgumentException("the P-256 private key and the public key in its file do not match");
      }
      return pair;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("expected an unencrypted ECDSA P-256 private key in PKCS#8 PEM");
    }
  }

  /**
   * A verifying key from an X.509 SubjectPublicKeyInfo PEM public key, Ed25519 or P-256.
   *
   * @param keyId the key's id, or null for its thumbprint
   */
  public static AttestationKey fromPublicPem(String pem, String keyId) {
    byte[] der = der(pem, "PUBLIC KEY");
    PublicKey key = der.length == P256_SPKI.length + 65 && Arrays.equals(der, 0, P256_SPKI.length, P256_SPKI, 0, P256_SPKI.length)
        ? p256Public(Arrays.copyOfRange(der, P256_SPKI.length, der.length)) : ed25519Public(der);
    return new AttestationKey(keyId == null ? thumbprint(key) : keyId, key, null);
  }

  /**
   * A verifying key from the raw 32 bytes of an Ed25519 public key (a JWK's {@code x}).
   *
   * @param keyId the key's id, or null for its thumbprint
   */
  public static AttestationKey fromRaw(byte[] raw, String keyId) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("expected a 32-byte Ed25519 public key, got " + raw.length + " bytes");
    }
    byte[] der = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + 32);
    System.arraycopy(raw, 0, der, ED25519_SPKI.length, 32);
    PublicKey key = ed25519Public(der);
    return new AttestationKey(keyId == null ? thumbprint(key) : keyId, key, null);
  }

  /**
   * A verifying P-256 key from a JWK's coordinates ({@code x}, {@code y}: 32 bytes each, big-endian).
   *
   * @param keyId the key's id, or null for its thumbprint
   * @throws IllegalArgumentException when the point is not 32 + 32 bytes or not on the curve
   */
  public static AttestationKey fromP256Point(byte[] x, byte[] y, String keyId) {
    if (x.length != 32 || y.length != 32) {
      throw new IllegalArgumentException("expected P-256 coordinates of 32 bytes each, got " + x.length + " and " + y.length);
    }
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(x, 0, point, 1, 32);
    System.arraycopy(y, 0, point, 33, 32);
    PublicKey key = p256Public(point);
    return new AttestationKey(keyId == null ? thumbprint(key) : keyId, key, null);
  }

  /** Every PEM block of type {@code type} in {@code text} (a file may hold several public keys). */
  public static java.util.List<String> pemBlocks(String text, String type) {
    java.util.List<String> out = new java.util.ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        out.add(m.group());
      }
    }
    return out;
  }

  /** Checks a configured key id: letters, digits, {@code . _ : -}, at most 100. */
  public static String requireKeyId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("key id: expected 1-100 letters, digits, '.', '_', ':' or '-', got "
          + (keyId == null ? "none" : "\"" + (keyId.length() > 40 ? keyId.substring(0, 40) + "..." : keyId) + "\""));
    }
    return keyId;
  }

  /** Ed25519 or P-256. */
  public Kind kind() {
    return kindOf(publicKey);
  }

  /** True when this key can sign (the gate's current key), false for a key that only verifies. */
  public boolean canSign() {
    return privateKey != null;
  }

  /** This key without its private part. */
  public AttestationKey publicOnly() {
    return new AttestationKey(keyId, publicKey, null);
  }

  /** The signature of {@code data}: Ed25519 (deterministic, 64 bytes) or ECDSA P-256 with SHA-256 (randomized, DER). */
  public byte[] sign(byte[] data) {
    if (privateKey == null) {
      throw new IllegalStateException("key " + keyId + " has no private key: it only verifies");
    }
    try {
      Signature s = Signature.getInstance(kind().jca);
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(kind().label() + " signing failed", e);
    }
  }

  /** True when {@code signature} is this key's signature of {@code data} (for P-256: DER, or P1363's 64 bytes). */
  public boolean verify(byte[] data, byte[] signature) {
    Kind kind = kind();
    if (kind == Kind.ED25519) {
      return verify(kind.jca, data, signature);
    }
    if (inRange(derScalars(signature)) && verify(kind.jca, data, signature)) {
      return true;
    }
    return signature.length == 64 && inRange(new BigInteger[] {new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))}) && verify("SHA256withECDSAinP1363Format", data, signature);
  }

  /** The order of P-256's base point: an ECDSA signature's r and s lie in [1, n - 1]. */
  private static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  /**
   * True when both scalars lie in [1, n - 1]. The JDK checks it since 17.0.3; `tollgate verify` runs on the user's
   * JDK, and 17.0.0-17.0.2 accepted r = s = 0 as a signature of anything (CVE-2022-21449).
   */
  static boolean inRange(BigInteger[] rs) {
    if (rs == null) {
      return false;
    }
    for (BigInteger x : rs) {
      if (x.signum() <= 0 || x.compareTo(P256_ORDER) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** r and s of a DER signature ({@code SEQUENCE {INTEGER, INTEGER}}, short lengths as P-256's always are), or null. */
  static BigInteger[] derScalars(byte[] sig) {
    if (sig.length < 8 || sig[0] != 0x30 || (sig[1] & 0xff) != sig.length - 2 || sig[2] != 0x02) {
      return null;
    }
    int rLength = sig[3] & 0xff;
    int sAt = 4 + rLength;
    if (rLength == 0 || sAt + 2 > sig.length || sig[sAt] != 0x02 || sAt + 2 + (sig[sAt + 1] & 0xff) != sig.length
        || sig[sAt + 1] == 0) {
      return null;
    }
    return new BigInteger[] {new BigInteger(Arrays.copyOfRange(sig, 4, sAt)), new BigInteger(Arrays.copyOfRange(sig, sAt + 2, sig.length))};
  }

  private boolean verify(String algorithm, byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature is a signature that does not verify
    }
  }

  /** The raw public key: Ed25519's 32 bytes, or P-256's uncompressed point ({@code 04 || x || y}, 65 bytes). */
  public byte[] raw() {
    byte[] der = publicKey.getEncoded();
    int size = kind() == Kind.ED25519 ? 32 : 65;
    return Arrays.copyOfRange(der, der.length - size, der.length);
  }

  /** The public key as PEM (X.509 SubjectPublicKeyInfo). */
  public String publicPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /**
   * The private key as PKCS#8 PEM, for writing a generated key to its file (mode 600); never logged. A P-256 key is
   * written as openssl writes it, with its public key, so that it reads back.
   */
  public String privatePem() {
    if (privateKey == null) {
      throw new IllegalStateException("key " + keyId + " has no private key");
    }
    if (kind() == Kind.ED25519) {
      return pem("PRIVATE KEY", privateKey.getEncoded());
    }
    byte[] der = new byte[P256_PKCS8_HEAD.length + 32 + P256_PKCS8_PUBLIC.length + 65];
    System.arraycopy(P256_PKCS8_HEAD, 0, der, 0, P256_PKCS8_HEAD.length);
    System.arraycopy(unsigned32(((ECPrivateKey) privateKey).getS()), 0, der, P256_PKCS8_HEAD.length, 32);
    System.arraycopy(P256_PKCS8_PUBLIC, 0, der, P256_PKCS8_HEAD.length + 32, P256_PKCS8_PUBLIC.length);
    System.arraycopy(raw(), 0, der, der.length - 65, 65);
    return pem("PRIVATE KEY", der);
  }

  /**
   * The public key as a JWK: Ed25519 as RFC 8037 ({@code kty OKP, crv Ed25519, x, alg EdDSA}), P-256 as RFC 7518
   * ({@code kty EC, crv P-256, x, y, alg ES256}); both with {@code kid} and {@code use sig}.
   */
  public Map<String, String> jwk() {
    Map<String, String> jwk = new LinkedHashMap<>(canonicalJwk(publicKey));
    jwk.put("kid", keyId);
    jwk.put("alg", kind() == Kind.ED25519 ? "EdDSA" : "ES256");
    jwk.put("use", "sig");
    return jwk;
  }

  /** The RFC 7638 JWK thumbprint of a public key (base64url SHA-256 of its canonical JWK): the default id. */
  public static String thumbprint(PublicKey key) {
    StringBuilder canonical = new StringBuilder("{");
    canonicalJwk(key).forEach((k, v) -> canonical.append(canonical.length() > 1 ? "," : "").append('"').append(k)
        .append("\":\"").append(v).append('"'));
    canonical.append('}');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWK members RFC 7638 hashes, in its (lexicographic) order. */
  private static Map<String, String> canonicalJwk(PublicKey key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    byte[] der = key.getEncoded();
    Map<String, String> jwk = new LinkedHashMap<>();
    if (kindOf(key) == Kind.ED25519) {
      jwk.put("crv", "Ed25519");
      jwk.put("kty", "OKP");
      jwk.put("x", b64.encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length)));
    } else {
      jwk.put("crv", "P-256");
      jwk.put("kty", "EC");
      jwk.put("x", b64.encodeToString(Arrays.copyOfRange(der, der.length - 64, der.length - 32)));
      jwk.put("y", b64.encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length)));
    }
    return jwk;
  }

  @Override
  public String toString() {
    return "AttestationKey[keyId=" + keyId + ", " + kind().label() + ", "
        + (privateKey == null ? "public only" : "private key=(redacted)") + "]";
  }

  private static Kind kindOf(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      if (ec.getParams().getCurve().equals(P256_PARAMS.getCurve())
          && ec.getParams().getGenerator().equals(P256_PARAMS.getGenerator())) {
        return Kind.P256;
      }
      throw new IllegalArgumentException("expected an ECDSA key on P-256, got another curve");
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      byte[] der = key.getEncoded();
      if (der.length == ED25519_SPKI.length + 32 && Arrays.equals(der, 0, ED25519_SPKI.length, ED25519_SPKI, 0, ED25519_SPKI.length)) {
        return Kind.ED25519;
      }
    }
    throw new IllegalArgumentException("expected an Ed25519 or ECDSA P-256 key, got " + key.getAlgorithm());
  }

  private static PublicKey ed25519Public(byte[] der) {
    if (der.length != ED25519_SPKI.length + 32 || !Arrays.equals(Arrays.copyOf(der, ED25519_SPKI.length), ED25519_SPKI)) {
      throw new IllegalArgumentException("expected an Ed25519 or ECDSA P-256 public key (X.509 SubjectPublicKeyInfo)");
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("expected an Ed25519 public key (X.509 SubjectPublicKeyInfo)");
    }
  }

  /**
   * A P-256 public key from its uncompressed point, checked to be on the curve: the JDK's key factory does not check,
   * and a point off the curve is no key.
   */
  private static PublicKey p256Public(byte[] point) {
    if (point.length != 65 || point[0] != 4) {
      throw new IllegalArgumentException("expected an uncompressed P-256 point (04 || x || y)");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    var field = (java.security.spec.ECFieldFp) P256_PARAMS.getCurve().getField();
    BigInteger p = field.getP();
    BigInteger a = P256_PARAMS.getCurve().getA();
    BigInteger b = P256_PARAMS.getCurve().getB();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
        || !y.pow(2).mod(p).equals(x.pow(3).add(a.multiply(x)).add(b).mod(p))) {
      throw new IllegalArgumentException("the P-256 public key is not a point on the curve");
    }
    try {
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256_PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("expected an ECDSA P-256 public key");
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no P-256", e);
    }
  }

  /** A non-negative integer below 2^256 as exactly 32 big-endian bytes. */
  private static byte[] unsigned32(BigInteger n) {
    byte[] b = n.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, 32 - len, len);
    return out;
  }

  /**
   * The public key of a private key's 32-byte seed. The JDK has no call for it, but its key pair generator draws
   * exactly the seed from the random source it is given, so a source that returns the seed yields the same pair.
   */
  private static PublicKey derivePublic(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
    KeyPair pair = generator.generateKeyPair();
    byte[] drawn = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    if (!MessageDigest.isEqual(drawn, seed)) {
      throw new IllegalStateException("could not derive the Ed25519 public key from the private key");
    }
    return pair.getPublic();
  }

  /** A random source that returns one fixed seed: only for {@link #derivePublic}. */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("expected a request for " + seed.length + " bytes, got " + bytes.length);
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }

  private static byte[] der(String pem, String type) {
    java.util.List<String> blocks = pemBlocks(pem == null ? "" : pem, type);
    if (blocks.size() != 1) {
      throw new IllegalArgumentException("expected exactly one PEM block \"-----BEGIN " + type + "-----\", found " + blocks.size());
    }
    String body = blocks.get(0).replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM block \"" + type + "\" is not valid base64");
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** True when {@code needle} occurs in {@code der} at most {@code within} bytes from its start. */
  private static boolean startsWithin(byte[] der, byte[] needle, int within) {
    for (int i = 0; i <= within && i + needle.length <= der.length; i++) {
      if (Arrays.equals(der, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
