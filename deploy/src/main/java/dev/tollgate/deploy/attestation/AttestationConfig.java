package dev.tollgate.deploy.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.ConfigSecrets;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code attestations:} section of {@code tollgate.yml}:
 *
 * <pre>
 * attestations:
 *   keyFile: /etc/tollgate/attestation-2026.pem   # or keyEnv: NAME; an Ed25519 or ECDSA P-256 private key, PKCS#8 PEM
 *   keyId: tollgate-2026                          # optional; default: the key's RFC 7638 thumbprint
 *   previousKeys:                                 # rotation: earlier keys keep verifying what they signed
 *     - {publicKeyFile: /etc/tollgate/attestation-2025.pub.pem, keyId: tollgate-2025}
 *   revokedKeys: [tollgate-2024]                  # withdrawn from the published keys (a leaked key)
 * </pre>
 *
 * The private key comes only from a file or an environment variable, never from {@code tollgate.yml} itself; errors
 * name the key and never quote it. Without {@code keyFile}/{@code keyEnv} the gate signs with a key in its data dir,
 * {@value #GENERATED_KEY_FILE}, generated on first start (mode 600) and said so.
 */
public final class AttestationConfig {
  private static final Logger log = LoggerFactory.getLogger(AttestationConfig.class);
  /** The data-dir key of a gate without a configured one. */
  public static final String GENERATED_KEY_FILE = "attestation-key.pem";
  static final Set<String> KEYS = Set.of("keyFile", "keyEnv", "keyId", "previousKeys", "revokedKeys");
  static final Set<String> PREVIOUS_KEYS = Set.of("publicKeyFile", "keyFile", "keyEnv", "keyId");

  private AttestationConfig() {}

  /**
   * The keys a gate signs with.
   *
   * @param dataKey the data-dir key file when no key is configured (created on first start), else null
   * @param created true when {@code dataKey} was created by this start
   */
  public record Loaded(AttestationKeys keys, Path dataKey, boolean created) {}

  /**
   * Reads the section; without a configured key, uses (or creates) the data dir's.
   *
   * @param env environment variables ({@code System::getenv})
   * @throws IllegalArgumentException naming the key, never a secret
   */
  public static Loaded from(JsonNode section, Path dataDir, Function<String, String> env) {
    Parsed parsed = parse(section, env);
    if (parsed.signing() != null) {
      return new Loaded(new AttestationKeys(parsed.signing(), parsed.previous(), parsed.revoked()), null, false);
    }
    Path file = dataDir.resolve(GENERATED_KEY_FILE);
    boolean created = false;
    AttestationKey key;
    try {
      if (Files.exists(file)) {
        key = read(file);
      } else {
        key = AttestationKey.generate();
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, key.privatePem(), StandardCharsets.UTF_8);
          created = true;
        } catch (FileAlreadyExistsException e) {
          key = read(file); // another process of this data dir created it first
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the attestation key " + file, e);
    }
    log.atInfo().addKeyValue("event", created ? "attestation.key.generated" : "attestation.key.loaded")
        .addKeyValue("path", file.toString()).addKeyValue("keyId", key.keyId())
        .log("{} attestation signing key {} in {} (configure attestations.keyFile to sign with a key you manage)",
            created ? "generated the" : "signing with the generated", key.keyId(), file);
    return new Loaded(new AttestationKeys(key, parsed.previous(), parsed.revoked()), file, created);
  }

  /**
   * Checks the section without creating anything ({@code tollgate config validate}, worker processes).
   *
   * @throws IllegalArgumentException naming the key
   */
  public static void validate(JsonNode section, Function<String, String> env) {
    Parsed parsed = parse(section, env);
    if (parsed.signing() != null) {
      new AttestationKeys(parsed.signing(), parsed.previous(), parsed.revoked());
    }
  }

  private record Parsed(AttestationKey signing, List<AttestationKey> previous, Set<String> revoked) {}

  private static Parsed parse(JsonNode section, Function<String, String> env) {
    if (section.isMissingNode() || section.isNull()) {
      return new Parsed(null, List.of(), Set.of());
    }
    ConfigSecrets.requireKeys(section, KEYS, "attestations");
    String keyId = keyId(section, "attestations");
    String pem = ConfigSecrets.optional(section, "attestations", "keyFile", "keyEnv", env);
    AttestationKey signing = null;
    if (pem != null) {
      signing = privateKey(pem, keyId, "attestations." + (section.has("keyFile") ? "keyFile" : "keyEnv"));
    } else if (keyId != null) {
      throw new IllegalArgumentException("attestations.keyId: names the signing key, so keyFile or keyEnv is needed too");
    }
    List<AttestationKey> previous = new ArrayList<>();
    JsonNode list = section.path("previousKeys");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new IllegalArgumentException("attestations.previousKeys: expected a list of {publicKeyFile, keyId}");
    }
    int i = 0;
    for (JsonNode entry : list) {
      String prefix = "attestations.previousKeys[" + i++ + "]";
      ConfigSecrets.requireKeys(entry, PREVIOUS_KEYS, prefix);
      String id = keyId(entry, prefix);
      if (entry.has("publicKeyFile")) {
        if (entry.has("keyFile") || entry.has("keyEnv")) {
          throw new IllegalArgumentException(prefix + ": expected publicKeyFile or keyFile/keyEnv, not both");
        }
        Path file = Path.of(entry.path("publicKeyFile").asText(""));
        try {
          previous.add(AttestationKey.fromPublicPem(Files.readString(file, StandardCharsets.UTF_8), id));
        } catch (IOException | IllegalArgumentException e) {
          throw new IllegalArgumentException(prefix + ".publicKeyFile: " + file + " is not a readable Ed25519 or ECDSA P-256 public key (PEM)");
        }
      } else {
        String secret = ConfigSecrets.optional(entry, prefix, "keyFile", "keyEnv", env);
        if (secret == null) {
          throw new IllegalArgumentException(prefix + ": expected publicKeyFile (or keyFile/keyEnv of the old private key)");
        }
        previous.add(privateKey(secret, id, prefix + "." + (entry.has("keyFile") ? "keyFile" : "keyEnv")).publicOnly());
      }
    }
    Set<String> revoked = new LinkedHashSet<>();
    JsonNode r = section.path("revokedKeys");
    if (!r.isMissingNode() && !r.isArray()) {
      throw new IllegalArgumentException("attestations.revokedKeys: expected a list of key ids");
    }
    for (JsonNode id : r) {
      try {
        revoked.add(AttestationKey.requireKeyId(id.asText(null)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("attestations.revokedKeys: " + e.getMessage());
      }
    }
    for (AttestationKey k : previous) {
      if (revoked.contains(k.keyId())) {
        throw new IllegalArgumentException("attestations.revokedKeys: " + k.keyId() + " is also in previousKeys; remove it there");
      }
    }
    if (signing != null) {
      new AttestationKeys(signing, previous, revoked); // refuses duplicate ids and a revoked signing key
    }
    return new Parsed(signing, List.copyOf(previous), Set.copyOf(revoked));
  }

  private static AttestationKey privateKey(String pem, String keyId, String key) {
    try {
      return AttestationKey.fromPrivatePem(pem, keyId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static String keyId(JsonNode node, String prefix) {
    if (!node.has("keyId")) {
      return null;
    }
    try {
      return AttestationKey.requireKeyId(node.get("keyId").isTextual() ? node.get("keyId").asText() : null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix + ".keyId: " + e.getMessage());
    }
  }

  private static AttestationKey read(Path file) throws IOException {
    try {
      return AttestationKey.fromPrivatePem(Files.readString(file, StandardCharsets.UTF_8), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage() + "; delete it to generate a new key (attestations it "
          + "signed keep verifying with its published public key)");
    }
  }
}
