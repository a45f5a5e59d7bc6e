package dev.tollgate.gate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * DSSE v1 (github.com/secure-systems-lab/dsse): the pre-authentication encoding a signature covers, and the JSON
 * envelope that carries payload, payload type and signatures.
 *
 * <pre>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</pre>
 *
 * <p>where LEN is the length in bytes as ASCII decimal and SP one space. The signature covers the type too, so an
 * envelope cannot be re-labelled as something else.
 */
public final class Dsse {
  /** Envelopes larger than this are refused when read (a verdict's is a few KiB). */
  public static final int MAX_ENVELOPE_BYTES = 4 << 20;

  private Dsse() {}

  /** The bytes a DSSE signature signs. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** One signature of an envelope. */
  public record Signature(String keyId, byte[] sig) {}

  /** A parsed envelope: the payload decoded, the signatures as sent. */
  public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
    /** The bytes its signatures must cover. */
    public byte[] pae() {
      return Dsse.pae(payloadType, payload);
    }
  }

  /** The envelope of {@code payload} with one signature, as canonical JSON (the same inputs give the same bytes). */
  public static byte[] envelope(String payloadType, byte[] payload, String keyId, byte[] sig) {
    ObjectNode env = Json.mapper().createObjectNode();
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", payloadType);
    ObjectNode s = env.putArray("signatures").addObject();
    s.put("keyid", keyId);
    s.put("sig", Base64.getEncoder().encodeToString(sig));
    return CanonicalJson.bytes(env);
  }

  /**
   * Reads an envelope.
   *
   * @throws IllegalArgumentException saying what is wrong, when the bytes are not a DSSE JSON envelope
   */
  public static Envelope parse(byte[] bytes) {
    if (bytes.length > MAX_ENVELOPE_BYTES) {
      throw new IllegalArgumentException("the file is larger than " + MAX_ENVELOPE_BYTES + " bytes: not an attestation");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: a DSSE envelope is a JSON object");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a DSSE envelope: expected a JSON object with payload, payloadType and signatures");
    }
    JsonNode payload = root.get("payload");
    JsonNode type = root.get("payloadType");
    JsonNode sigs = root.get("signatures");
    if (payload == null || !payload.isTextual() || type == null || !type.isTextual() || sigs == null || !sigs.isArray()) {
      throw new IllegalArgumentException("not a DSSE envelope: expected the fields payload (base64), payloadType and "
          + "signatures (an array)");
    }
    List<Signature> signatures = new ArrayList<>();
    for (JsonNode s : sigs) {
      JsonNode sig = s.get("sig");
      if (!s.isObject() || sig == null || !sig.isTextual()) {
        throw new IllegalArgumentException("not a DSSE envelope: every signature needs a sig (base64)");
      }
      JsonNode keyId = s.get("keyid");
      signatures.add(new Signature(keyId == null || !keyId.isTextual() ? "" : keyId.textValue(), base64(sig.textValue(), "sig")));
    }
    return new Envelope(type.textValue(), base64(payload.textValue(), "payload"), List.copyOf(signatures));
  }

  /** Standard or URL-safe base64, with or without padding: DSSE allows both encodings. */
  private static byte[] base64(String text, String field) {
    try {
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a DSSE envelope: " + field + " is not base64");
    }
  }
}
