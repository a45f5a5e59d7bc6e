package dev.tollgate.deploy.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.gate.attestation.AttestationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code attestations:} section: keys from files or the environment, rotation, revocation, the generated key. */
class AttestationConfigTest {
  @TempDir
  Path dir;

  static JsonNode yaml(String text) throws Exception {
    return new YAMLMapper().readTree(text);
  }

  Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void withoutAKeyTheGateGeneratesOneInItsDataDirPrivateToItsUserAndKeepsIt() throws Exception {
    AttestationConfig.Loaded first = AttestationConfig.from(MissingNode.getInstance(), dir, name -> null);
    Path file = dir.resolve(AttestationConfig.GENERATED_KEY_FILE);
    assertEquals(file, first.dataKey());
    assertTrue(first.created());
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
    AttestationConfig.Loaded again = AttestationConfig.from(MissingNode.getInstance(), dir, name -> null);
    assertFalse(again.created(), "a restart signs with the same key");
    assertEquals(first.keys().signing().keyId(), again.keys().signing().keyId());
  }

  @Test
  void aConfiguredKeyFromAFileOrTheEnvironmentSignsUnderItsId() throws Exception {
    AttestationKey key = AttestationKey.generate();
    Path file = write("key.pem", key.privatePem());
    AttestationConfig.Loaded fromFile = AttestationConfig.from(yaml("keyFile: " + file + "\nkeyId: tollgate-2026\n"), dir, n -> null);
    assertEquals("tollgate-2026", fromFile.keys().signing().keyId());
    assertNull(fromFile.dataKey(), "nothing generated when a key is configured");
    assertFalse(Files.exists(dir.resolve(AttestationConfig.GENERATED_KEY_FILE)));
    AttestationConfig.Loaded fromEnv = AttestationConfig.from(yaml("keyEnv: TOLLGATE_ATTESTATION_KEY\n"), dir,
        Map.of("TOLLGATE_ATTESTATION_KEY", key.privatePem())::get);
    assertEquals(key.keyId(), fromEnv.keys().signing().keyId(), "without keyId: the key's thumbprint");
  }

  @Test
  void rotationKeepsEarlierKeysPublishedAndRevocationWithdrawsThem() throws Exception {
    AttestationKey current = AttestationKey.generate();
    AttestationKey previous = AttestationKey.generate();
    Path key = write("new.pem", current.privatePem());
    Path old = write("old.pub.pem", previous.publicPem());
    AttestationConfig.Loaded rotated = AttestationConfig.from(yaml("""
        keyFile: %s
        keyId: k-2026
        previousKeys:
          - {publicKeyFile: %s, keyId: k-2025}
        revokedKeys: [k-2024]
        """.formatted(key, old)), dir, n -> null);
    assertEquals(List.of("k-2026", "k-2025"), rotated.keys().published().stream().map(AttestationKey::keyId).toList());
    assertEquals(Set.of("k-2024"), rotated.keys().revoked());
  }

  @Test
  void aP256KeyAsOpensslWritesItSignsAndAnEd25519KeyBeforeItKeepsVerifying() throws Exception {
    // openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 (PKCS#8 with the public key)
    Path key = write("p256.pem", """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVgx54YUUMIqNyFpL
        74y4szqZ3Sg5bnIfMZFajVHCCbuhRANCAARAH84e487ku/Pen1Usn5dfVvctm/o8
        NW8g/Dx8haj6XuWXfOZg1BP1cZf0YIGgNoGMTCuYs09DqRp1mqkbzscp
        -----END PRIVATE KEY-----
        """);
    AttestationKey ed25519 = AttestationKey.generate();
    Path old = write("old.pub.pem", ed25519.publicPem());
    AttestationConfig.Loaded rotated = AttestationConfig.from(yaml("""
        keyFile: %s
        keyId: k-2027
        previousKeys:
          - {publicKeyFile: %s, keyId: k-2026}
        """.formatted(key, old)), dir, n -> null);
    assertEquals(AttestationKey.Kind.P256, rotated.keys().signing().kind());
    assertEquals(List.of(AttestationKey.Kind.P256, AttestationKey.Kind.ED25519),
        rotated.keys().published().stream().map(AttestationKey::kind).toList());
    Path sec1 = write("sec1.pem", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA\n-----END EC PRIVATE KEY-----\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AttestationConfig.validate(yaml("keyFile: " + sec1 + "\n"), n -> null));
    assertTrue(e.getMessage().startsWith("attestations.keyFile: expected PKCS#8") && e.getMessage().contains("openssl pkcs8 -topk8"),
        e.getMessage());
  }

  @Test
  void mistakesNameTheirKeyAndNeverTheKey() throws Exception {
    AttestationKey key = AttestationKey.generate();
    Path file = write("key.pem", key.privatePem());
    String secret = key.privatePem().lines().skip(1).findFirst().orElseThrow();
    Map<String, String> problems = Map.of(
        "keyFile: " + file + "\nkeyEnv: X\n", "attestations.keyFile: expected exactly one of keyFile",
        "keyId: k1\n", "attestations.keyId: names the signing key, so keyFile or keyEnv is needed too",
        "keyFile: " + write("rsa.pem", "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8w\n-----END PRIVATE KEY-----\n")
            + "\n", "attestations.keyFile: expected an unencrypted Ed25519 or ECDSA P-256 private key",
        "keyFile: " + file + "\nkeyId: \"has space\"\n", "attestations.keyId: key id: expected",
        "keyFile: " + file + "\nkeyId: k1\nrevokedKeys: [k1]\n", "attestations.revokedKeys: k1 is the signing key",
        "keyFile: " + file + "\npreviousKeys: [{publicKeyFile: " + dir.resolve("missing.pem") + "}]\n",
        "attestations.previousKeys[0].publicKeyFile: ",
        "signWith: ed25519\n", "attestations.signWith: unknown key");
    for (var e : problems.entrySet()) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> AttestationConfig.validate(yaml(e.getKey()), n -> null), e.getKey());
      assertTrue(x.getMessage().startsWith(e.getValue()), x.getMessage());
      assertFalse(x.getMessage().contains(secret.substring(0, 16)), x.getMessage());
    }
  }
}
