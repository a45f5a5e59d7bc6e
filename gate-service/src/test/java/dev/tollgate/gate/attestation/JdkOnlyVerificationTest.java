package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The envelope is standard DSSE: verified here with the JDK alone, from the envelope's text and the public key's PEM,
 * the pre-authentication encoding written out by hand. No Tollgate code (and no JSON library) takes part in the
 * verification, so a verifier that follows the DSSE spec verifies what Tollgate signs: Ed25519, and ECDSA P-256 with
 * SHA-256 and an ASN.1 DER signature (what Sigstore's verifiers and {@code openssl dgst -verify} take).
 */
class JdkOnlyVerificationTest {
  @Test
  void theJdksEd25519VerifiesTheDssePaeOfATollgateEnvelope() throws Exception {
    AttestationKey key = AttestationKey.generate();
    String envelope = new String(VerdictStatement.sign(Verdicts.go(), key).envelope(), StandardCharsets.UTF_8);
    assertTrue(verify(envelope, key.publicPem()));
    assertTrue(!verify(envelope.replace("\"payloadType\":\"application/vnd.in-toto+json\"",
        "\"payloadType\":\"application/vnd.in-toto+jsom\""), key.publicPem()), "the type is signed too");
  }

  @Test
  void theJdksEcdsaVerifiesTheDerSignatureOverTheDssePaeOfAP256Envelope() throws Exception {
    AttestationKey key = AttestationKey.fromPrivatePem(AttestationKeyTest.P256_PRIVATE, "p256");
    String envelope = new String(VerdictStatement.sign(Verdicts.go(), key).envelope(), StandardCharsets.UTF_8);
    assertTrue(verify(envelope, key.publicPem(), "EC", "SHA256withECDSA"), "SHA256withECDSA: the signature is ASN.1 DER");
    assertTrue(!verify(envelope, key.publicPem(), "EC", "SHA256withECDSAinP1363Format"), "and not P1363's r || s");
    assertTrue(!verify(envelope.replace("\"payloadType\":\"application/vnd.in-toto+json\"",
        "\"payloadType\":\"application/vnd.in-toto+jsom\""), key.publicPem(), "EC", "SHA256withECDSA"), "the type is signed too");
  }

  static boolean verify(String envelopeJson, String publicKeyPem) throws Exception {
    return verify(envelopeJson, publicKeyPem, "Ed25519", "Ed25519");
  }

  /** DSSE verification as its spec describes it, with java.base only. */
  static boolean verify(String envelopeJson, String publicKeyPem, String keyAlgorithm, String signatureAlgorithm)
      throws Exception {
    String payloadB64 = field(envelopeJson, "payload");
    String payloadType = field(envelopeJson, "payloadType");
    String sigB64 = field(envelopeJson, "sig");
    byte[] payload = Base64.getDecoder().decode(payloadB64);
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
    byte[] pae = new byte[head.length + payload.length];
    System.arraycopy(head, 0, pae, 0, head.length);
    System.arraycopy(payload, 0, pae, head.length, payload.length);
    String der = publicKeyPem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    PublicKey publicKey = KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(der)));
    Signature verifier = Signature.getInstance(signatureAlgorithm);
    verifier.initVerify(publicKey);
    verifier.update(pae);
    return verifier.verify(Base64.getDecoder().decode(sigB64));
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new AssertionError("no " + name + " in " + json);
    }
    return m.group(1);
  }
}
