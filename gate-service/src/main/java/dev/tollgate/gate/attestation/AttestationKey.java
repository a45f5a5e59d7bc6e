package dev.tollgate.gate.attestation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Ed25519 key that signs or verifies attestations, with its id. Ed25519 because its signatures are deterministic
 * (RFC 8032): the same statement signed with the same key gives the same bytes on every gate and on every retry, so
 * a re-signed revision never differs from the one already served. The JDK implements it; {@code openssl}, cosign and
 * every JOSE library verify it.
 *
 * <p>Keys are read from PEM: the private key as PKCS#8 ({@code openssl genpkey -algorithm ed25519}), the public key as
 * X.509 SubjectPublicKeyInfo ({@code openssl pkey -pubout}). {@link #toString()} never shows the private key.
 *
 * @param keyId the id signatures name ({@code keyid}); by default the key's RFC 7638 JWK thumbprint
 * @param privateKey null for a key that only verifies
 */
public record AttestationKey(String keyId, PublicKey publicKey, PrivateKey privateKey) {
  /** The only algorithm: see the class comment. */
  public static final String ALGORITHM = "Ed25519";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
  private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  public AttestationKey {
    Objects.requireNonNull(publicKey, "publicKey");
    requireKeyId(keyId);
    if (!ALGORITHM.equals(publicKey.getAlgorithm()) && !"EdDSA".equals(publicKey.getAlgorithm())) {
      throw new IllegalArgumentException("expected an Ed25519 key, got " + publicKey.getAlgorithm());
    }
  }

  /** A new random key (the all-in-one's key when none is configured). */
  public static AttestationKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new AttestationKey(thumbprint(pair.getPublic()), pair.getPublic(), pair.getPrivate());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  /**
   * A signing key from a PKCS#8 PEM private key.
   *
   * @param keyId the id to sign under, or null for the key's thumbprint
   * @throws IllegalArgumentException when the text is not an unencrypted Ed25519 PKCS#8 key (the message never quotes it)
   */
  public static AttestationKey fromPrivatePem(String pem, String keyId) {
    byte[] der = der(pem, "PRIVATE KEY");
    try {
      PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed = ((EdECPrivateKey) key).getBytes()
          .orElseThrow(() -> new IllegalArgumentException("the private key has no key bytes"));
      PublicKey publicKey = derivePublic(seed);
      return new AttestationKey(keyId == null ? thumbprint(publicKey) : keyId, publicKey, key);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("expected an unencrypted Ed25519 private key in PKCS#8 PEM "
          + "(openssl genpkey -algorithm ed25519)");
    }
  }

  /**
   * A verifying key from an X.509 SubjectPublicKeyInfo PEM public key.
   *
   * @param keyId the key's id, or null for its thumbprint
   */
  public static AttestationKey fromPublicPem(String pem, String keyId) {
    PublicKey key = publicKey(der(pem, "PUBLIC KEY"));
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
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, 32);
    PublicKey key = publicKey(der);
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

  /** True when this key can sign (the gate's current key), false for a key that only verifies. */
  public boolean canSign() {
    return privateKey != null;
  }

  /** This key without its private part. */
  public AttestationKey publicOnly() {
    return new AttestationKey(keyId, publicKey, null);
  }

  /** The Ed25519 signature of {@code data}: deterministic, 64 bytes. */
  public byte[] sign(byte[] data) {
    if (privateKey == null) {
      throw new IllegalStateException("key " + keyId + " has no private key: it only verifies");
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(data);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** True when {@code signature} is this key's signature of {@code data}. */
  public boolean verify(byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature is a signature that does not verify
    }
  }

  /** The raw 32 bytes of the public key. */
  public byte[] raw() {
    byte[] der = publicKey.getEncoded();
    return Arrays.copyOfRange(der, der.length - 32, der.length);
  }

  /** The public key as PEM (X.509 SubjectPublicKeyInfo). */
  public String publicPem() {
    return pem("PUBLIC KEY", publicKey.getEncoded());
  }

  /** The private key as PKCS#8 PEM, for writing a generated key to its file (mode 600); never logged. */
  public String privatePem() {
    if (privateKey == null) {
      throw new IllegalStateException("key " + keyId + " has no private key");
    }
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /** The public key as a JWK (RFC 8037): {@code kty OKP, crv Ed25519, x, kid, alg EdDSA, use sig}. */
  public Map<String, String> jwk() {
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", ALGORITHM);
    jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw()));
    jwk.put("kid", keyId);
    jwk.put("alg", "EdDSA");
    jwk.put("use", "sig");
    return jwk;
  }

  /** The RFC 7638 JWK thumbprint of an Ed25519 public key (base64url SHA-256 of its canonical JWK): the default id. */
  public static String thumbprint(PublicKey key) {
    byte[] der = key.getEncoded();
    String x = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(der, der.length - 32, der.length));
    String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "AttestationKey[keyId=" + keyId + ", " + (privateKey == null ? "public only" : "private key=(redacted)") + "]";
  }

  private static PublicKey publicKey(byte[] der) {
    if (der.length != SPKI_PREFIX.length + 32 || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
      throw new IllegalArgumentException("expected an Ed25519 public key (X.509 SubjectPublicKeyInfo)");
    }
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("expected an Ed25519 public key (X.509 SubjectPublicKeyInfo)");
    }
  }

  /**
   * The public key of a private key's 32-byte seed. The JDK has no call for it, but its key pair generator draws
   * exactly the seed from the random source it is given, so a source that returns the seed yields the same pair.
   */
  private static PublicKey derivePublic(byte[] seed) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
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
}
