package dev.tollgate.gate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public keys a verifier trusts from what {@code GET /api/v1/attestations/keys} serves: a JWKS document (or
 * one JWK), or PEM public keys, each optionally preceded by a {@code # Key ID: <id>} line (the {@code format=pem}
 * answer). Private keys are refused: a verifier needs the public key only.
 */
public final class KeyFiles {
  /** The line that names the key id of the PEM block after it. */
  public static final String KEY_ID_LABEL = "# Key ID: ";
  private static final Pattern LABELLED = Pattern.compile("(?m)(?:^# Key ID: (\\S+)\\s*\\n)?(-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----)");

  private KeyFiles() {}

  /**
   * The keys in {@code text}.
   *
   * @throws IllegalArgumentException when it holds no Ed25519 or P-256 public key, or a private key
   */
  public static List<AttestationKey> parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException("this is a private key: give the public key (openssl pkey -in KEY.pem -pubout), "
          + "and keep the private key where only the gate reads it");
    }
    List<AttestationKey> keys = new ArrayList<>();
    if (t.startsWith("{")) {
      JsonNode root;
      try {
        root = Json.mapper().readTree(t);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JWKS document: the JSON cannot be read");
      }
      JsonNode list = root.has("keys") ? root.get("keys") : Json.mapper().createArrayNode().add(root);
      for (JsonNode jwk : list) {
        String kty = jwk.path("kty").asText();
        String crv = jwk.path("crv").asText();
        boolean ed25519 = "OKP".equals(kty) && "Ed25519".equals(crv);
        boolean p256 = "EC".equals(kty) && "P-256".equals(crv);
        if (!ed25519 && !p256) {
          continue; // another kind of key (RSA, P-384): attestations are never signed with it
        }
        if (jwk.has("d")) {
          throw new IllegalArgumentException("this JWK holds a private key (\"d\"): give the public key");
        }
        String kid = jwk.hasNonNull("kid") ? jwk.get("kid").asText() : null;
        keys.add(ed25519 ? AttestationKey.fromRaw(base64url(jwk, "x"), kid)
            : AttestationKey.fromP256Point(base64url(jwk, "x"), base64url(jwk, "y"), kid));
      }
    } else {
      Matcher m = LABELLED.matcher(t);
      while (m.find()) {
        keys.add(AttestationKey.fromPublicPem(m.group(2), m.group(1)));
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no Ed25519 or ECDSA P-256 public key found: expected PEM (-----BEGIN PUBLIC KEY-----) or a JWKS "
          + "document (GET /api/v1/attestations/keys)");
    }
    return keys;
  }

  private static byte[] base64url(JsonNode jwk, String member) {
    try {
      return Base64.getUrlDecoder().decode(jwk.path(member).asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a JWK's \"" + member + "\" is not base64url");
    }
  }
}
