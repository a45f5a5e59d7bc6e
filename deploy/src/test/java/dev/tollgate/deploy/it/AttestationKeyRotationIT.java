package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.AttestationVerifier.Outcome;
import dev.tollgate.gate.attestation.KeyFiles;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the signing key on a real broker: the new key signs from the restart on, what the old key signed is served
 * unchanged and keeps verifying (its public key stays published, also once the config no longer names it), until the
 * old key is revoked. The old key is Ed25519 and the new one ECDSA P-256: a rotation may change the kind of key.
 */
class AttestationKeyRotationIT {
  @TempDir
  Path tmp;

  @Test
  void theNewestKeySignsEveryPublishedKeyVerifiesAndARevokedOneNoLonger() throws Exception {
    AttestationKey k2025 = AttestationKey.generate();
    AttestationKey k2026 = AttestationKey.generate(AttestationKey.Kind.P256); // rotation across kinds: Ed25519 to ECDSA P-256
    String config = """
        tenants: [acme]
        environments:
          staging:
            probes: {pass: {}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config).withAttestation(AttestationKeys.of(k2025))) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1").deployed().commit("a.txt", "2");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head() + "\"}";

      awaitKeys(tollgate, Set.of(k2025.keyId()));
      String before = signed(tollgate, body);
      assertEquals(k2025.keyId(), verify(tollgate, before).keyId());

      // Rotate: the new key signs, the old one is listed so that what it signed keeps verifying.
      tollgate.stopGate();
      tollgate.withAttestation(new AttestationKeys(k2026, List.of(k2025), Set.of())).startGate();
      awaitKeys(tollgate, Set.of(k2025.keyId(), k2026.keyId()));
      String after = signed(tollgate, body);
      assertEquals(k2026.keyId(), verify(tollgate, after).keyId());
      assertEquals(Outcome.VERIFIED, verify(tollgate, before).outcome());
      assertEquals(List.of(AttestationKey.Kind.P256, AttestationKey.Kind.ED25519), keys(tollgate).stream()
          .sorted(java.util.Comparator.comparing(k -> !k.keyId().equals(k2026.keyId()))).map(AttestationKey::kind).toList());
      assertEquals(before, attestation(tollgate, firstId).body(), "what the old key signed is not signed again");

      // A config that no longer names the old key: its public key stays published (the topic keeps it).
      tollgate.stopGate();
      tollgate.withAttestation(AttestationKeys.of(k2026)).startGate();
      awaitKeys(tollgate, Set.of(k2025.keyId(), k2026.keyId()));
      assertEquals(Outcome.VERIFIED, verify(tollgate, before).outcome());

      // Revoked (say it leaked): withdrawn from every gate's keys, so what it signed no longer verifies with them.
      tollgate.stopGate();
      tollgate.withAttestation(new AttestationKeys(k2026, List.of(), Set.of(k2025.keyId()))).startGate();
      awaitKeys(tollgate, Set.of(k2026.keyId()));
      assertEquals(Outcome.SIGNATURE_INVALID, verify(tollgate, before).outcome());
      assertEquals(Outcome.VERIFIED, verify(tollgate, after).outcome());
    }
  }

  private String firstId;

  /** Requests a GO and returns its attestation. */
  String signed(TestInstallation tollgate, String body) {
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    String id = v.path("id").asText();
    if (firstId == null) {
      firstId = id;
    }
    Api.Response r = attestation(tollgate, id);
    assertEquals(200, r.status(), r.body());
    return r.body();
  }

  static Api.Response attestation(TestInstallation tollgate, String id) {
    return tollgate.api(TestInstallation.VIEWER).get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20");
  }

  static List<AttestationKey> keys(TestInstallation tollgate) {
    return KeyFiles.parse(new Api(tollgate.gate().httpPort(), null).get("/api/v1/attestations/keys").body());
  }

  static Set<String> keyIds(TestInstallation tollgate) {
    return Set.copyOf(keys(tollgate).stream().map(AttestationKey::keyId).toList());
  }

  /** The keys a gate serves once its signer published its own (it does so right after start). */
  static void awaitKeys(TestInstallation tollgate, Set<String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!keyIds(tollgate).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(expected, keyIds(tollgate));
  }

  static AttestationVerifier.Result verify(TestInstallation tollgate, String envelope) {
    return AttestationVerifier.verify(envelope.getBytes(StandardCharsets.UTF_8), keys(tollgate),
        AttestationVerifier.Expectations.NONE, Instant.now());
  }
}
