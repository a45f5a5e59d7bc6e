package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.AttestationKeyPublished;
import dev.tollgate.contracts.attestation.AttestationSigned;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.gate.GateService;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationSigner;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.AttestationVerifier.Expectations;
import dev.tollgate.gate.attestation.AttestationVerifier.Outcome;
import dev.tollgate.gate.attestation.KeyFiles;
import dev.tollgate.gate.attestation.VerdictStatement;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed verdicts with an ECDSA P-256 key, on a real broker with two gates. The JDK's ECDSA is randomized, so the
 * same revision signed twice gives two different envelopes: what makes every gate serve the same bytes is that each
 * revision is signed once and stored on the compacted topic, and every gate serves the stored bytes, also after a
 * gate restarts. The JWKS names the key {@code kty EC, crv P-256}, and openssl verifies the DER signature.
 */
class AttestationP256IT {
  @TempDir
  Path tmp;

  @Test
  void aP256EnvelopeIsSignedOnceAndIdenticalFromEveryGateAlsoAfterARestart() throws Exception {
    AttestationKey key = AttestationKey.generate(AttestationKey.Kind.P256);
    String config = """
        tenants: [acme]
        environments:
          staging:
            probes: {pass: {}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data-a"),
        TestProbes.registry(TestProbes.PASS), config).withAttestation(AttestationKeys.of(key))) {
      tollgate.startGate();
      GateService second = tollgate.startAnotherGate(tmp.resolve("data-b"));
      assertTrue(second.attestationSigner().awaitAssignment(Duration.ofSeconds(60)), "both gates' signers in the group");
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "1").deployed().commit("app.txt", "2");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"tenant\":\"acme\",\"candidate\":\""
          + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}";

      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
        assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
        ids.add(v.path("id").asText());
      }
      Api a = tollgate.api(TestInstallation.VIEWER);
      Api b = new Api(second.httpPort(), TestInstallation.VIEWER);
      List<AttestationKey> served = KeyFiles.parse(new Api(tollgate.gate().httpPort(), null).get("/api/v1/attestations/keys").body());
      assertEquals(List.of(AttestationKey.Kind.P256), served.stream().map(AttestationKey::kind).toList());
      List<String> envelopes = new ArrayList<>();
      for (String id : ids) {
        Api.Response fromA = a.get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20");
        Api.Response fromB = b.get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20");
        assertEquals(200, fromA.status(), fromA.body());
        assertEquals(fromA.body(), fromB.body(), "the same bytes from both gates");
        assertEquals(fromA.header("ETag"), fromB.header("ETag"));
        AttestationVerifier.Result r = AttestationVerifier.verify(fromA.body().getBytes(StandardCharsets.UTF_8), served,
            new Expectations(repo.head(), "staging", null, repo.dir().toString()), Instant.now());
        assertEquals(Outcome.VERIFIED, r.outcome(), r.reason());
        // Signing the same revision again gives another envelope: the served one can only come from the topic.
        String again = VerdictStatement.text(VerdictStatement.sign(AttestationIT.awaitVerdict(second, id), key).envelope());
        assertNotEquals(fromA.body(), again);
        envelopes.add(fromA.body());
      }
      Map<String, List<AttestationSigned>> perRevision = TopicReader.readAll(tollgate.kafka(), tollgate.topics().attestationsSigned(),
          AttestationSigned.class).stream().collect(Collectors.groupingBy(AttestationSigned::key));
      for (int i = 0; i < ids.size(); i++) {
        List<AttestationSigned> records = perRevision.get(ids.get(i) + "/1");
        assertEquals(1, records.size(), "signed once: " + perRevision.keySet());
        assertEquals(envelopes.get(i), records.get(0).envelope(), "served as stored");
      }
      Map<String, String> published = TopicReader.readAll(tollgate.kafka(), tollgate.topics().attestationKeysPublished(),
          AttestationKeyPublished.class).stream().collect(Collectors.toMap(AttestationKeyPublished::keyId,
              AttestationKeyPublished::algorithm, (x, y) -> y));
      assertEquals(Map.of(key.keyId(), "ECDSA-P256"), published);

      // A restarted gate reads the envelopes back and signs nothing again.
      tollgate.stopGate();
      tollgate.startGate();
      Api restarted = tollgate.api(TestInstallation.VIEWER);
      for (int i = 0; i < ids.size(); i++) {
        assertEquals(envelopes.get(i), restarted.get("/api/v1/evaluations/" + ids.get(i) + "/attestation?waitSeconds=20").body());
      }
      assertEquals(ids.size(), TopicReader.readAll(tollgate.kafka(), tollgate.topics().attestationsSigned(), AttestationSigned.class)
          .stream().map(AttestationSigned::key).filter(k -> ids.contains(k.substring(0, k.indexOf('/')))).count());

      // What a signer waits for when the group gives it partitions: its store has read every envelope published so far,
      // so a revision the previous owner signed (and could not commit) is known as signed and not signed again.
      String probeId = "p256-probe-" + java.util.UUID.randomUUID();
      VerdictStatement.Signed probe = VerdictStatement.sign(AttestationIT.awaitVerdict(second, ids.get(0)), key);
      try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(new java.util.HashMap<>(tollgate.kafka()),
          new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
          var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(new java.util.HashMap<>(tollgate.kafka()),
              new org.apache.kafka.common.serialization.StringDeserializer(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(tollgate.topics().attestationsSigned(),
            AttestationSigned.key(probeId, 1), Json.write(AttestationSigned.of(probeId, "req", 1, "acme",
                dev.tollgate.contracts.verdict.Decision.GO, key.keyId(), VerdictStatement.text(probe.envelope()), probe.sha256()))))
            .get();
        Map<Integer, Long> ends = new java.util.HashMap<>();
        consumer.endOffsets(consumer.partitionsFor(tollgate.topics().attestationsSigned()).stream()
            .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList())
            .forEach((tp, end) -> ends.put(tp.partition(), end));
        assertTrue(second.attestations().awaitRead(ends, Duration.ofSeconds(20)));
        assertTrue(second.attestations().signed(probeId, 1), "read as soon as awaitRead returns");
        Map<Integer, Long> beyond = new java.util.HashMap<>(ends);
        beyond.replaceAll((partition, end) -> end + 1);
        assertFalse(second.attestations().awaitRead(beyond, Duration.ofMillis(300)), "not past what was published");
      }

      Api.Response jwks = new Api(second.httpPort(), null).get("/api/v1/attestations/keys");
      JsonNode k = jwks.json().path("keys").get(0);
      assertEquals("EC", k.path("kty").asText());
      assertEquals("P-256", k.path("crv").asText());
      assertEquals("ES256", k.path("alg").asText());
      opensslVerifies(envelopes.get(0), new Api(second.httpPort(), null).get("/api/v1/attestations/keys?format=pem").body());
    }
  }

  /**
   * A crash between signing and committing (a gate killed): the next owner of the partitions reads those verdicts again
   * and signs none of them twice — with a P-256 key a second signature would be a second, different envelope. The
   * signer's commit interval only widens what a crash leaves to read again; this test widens it to everything signed.
   */
  @Test
  void aSignerCrashedBeforeItsCommitLeavesEachRevisionSignedOnce() throws Exception {
    AttestationKeys keys = AttestationKeys.of(AttestationKey.generate(AttestationKey.Kind.P256));
    String config = """
        tenants: [acme]
        environments:
          staging:
            probes: {pass: {}}
        """;
    // No signer of the gate's own: the test runs the two signers, on the gate's attestation store.
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config)) {
      GateService gate = tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "1").deployed();
      String group = tollgate.topics().prefix() + "tollgate-attestation-signer";
      List<String> ids = new ArrayList<>();
      AttestationSigner crashed = new AttestationSigner(tollgate.topics(), tollgate.kafka(), keys, gate.attestations(),
          new SimpleMeterRegistry(), Duration.ofHours(1));
      crashed.start();
      assertTrue(crashed.awaitAssignment(Duration.ofSeconds(60)));
      for (int i = 0; i < 4; i++) {
        ids.add(evaluateGo(tollgate, repo, i));
      }
      awaitSigned(gate, ids);
      crashed.halt();
      assertTrue(TopicReader.lag(tollgate.kafka(), group, tollgate.topics().verdictsReached()) >= ids.size(),
          "nothing committed: the next owner reads every signed verdict again");

      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (AttestationSigner next = new AttestationSigner(tollgate.topics(), tollgate.kafka(), keys, gate.attestations(), meters)) {
        next.start();
        assertTrue(next.awaitAssignment(Duration.ofSeconds(60)));
        ids.add(evaluateGo(tollgate, repo, 4));
        awaitSigned(gate, ids);
        long deadline = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(20));
        while (TopicReader.lag(tollgate.kafka(), group, tollgate.topics().verdictsReached()) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(0, TopicReader.lag(tollgate.kafka(), group, tollgate.topics().verdictsReached()), "all committed now");
        assertEquals(ids.size() - 1, meters.counter("tollgate.attestations.skipped", "why", "signed").count(),
            "the crashed signer's verdicts were read again and skipped");
      }
      Map<String, Long> perRevision = TopicReader.readAll(tollgate.kafka(), tollgate.topics().attestationsSigned(),
          AttestationSigned.class).stream().collect(Collectors.groupingBy(AttestationSigned::key, Collectors.counting()));
      for (String id : ids) {
        assertEquals(1L, perRevision.get(id + "/1"), "one envelope for " + id + ": " + perRevision);
      }
    }
  }

  private static String evaluateGo(TestInstallation tollgate, FixtureRepo repo, int i) throws Exception {
    repo.commit("app.txt", "change " + i);
    String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"tenant\":\"acme\",\"candidate\":\""
        + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}";
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  private static void awaitSigned(GateService gate, List<String> ids) throws InterruptedException {
    long deadline = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(30));
    while (!ids.stream().allMatch(id -> gate.attestations().signed(id, 1)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(ids.stream().allMatch(id -> gate.attestations().signed(id, 1)), "every verdict signed: " + ids);
  }

  /** The docs' recipe: PAE written out, {@code openssl dgst -sha256 -verify} over it with the DER signature. */
  void opensslVerifies(String envelope, String pem) throws Exception {
    assumeTrue(AttestationIT.openssl("version").exitCode() == 0, "openssl is not installed");
    JsonNode env = Json.mapper().readTree(envelope);
    byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
    String type = env.path("payloadType").asText();
    Path dir = Files.createTempDirectory(tmp, "openssl");
    Files.writeString(dir.resolve("pub.pem"), pem);
    Files.write(dir.resolve("sig.der"), Base64.getDecoder().decode(env.path("signatures").get(0).path("sig").asText()));
    byte[] head = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.US_ASCII);
    Function<byte[], AttestationIT.Run> verify = p -> {
      try {
        Files.write(dir.resolve("pae.bin"), AttestationIT.concat(head, p));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return AttestationIT.openssl("dgst", "-sha256", "-verify", dir.resolve("pub.pem").toString(), "-signature",
          dir.resolve("sig.der").toString(), dir.resolve("pae.bin").toString());
    };
    AttestationIT.Run ok = verify.apply(payload);
    assertEquals(0, ok.exitCode(), ok.output());
    assertTrue(ok.output().contains("Verified OK"), ok.output());
    payload[payload.length - 2] ^= 1;
    assertNotEquals(0, verify.apply(payload).exitCode());
  }
}
