package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.AttestationSigned;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.gate.GateService;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.AttestationVerifier.Expectations;
import dev.tollgate.gate.attestation.AttestationVerifier.Outcome;
import dev.tollgate.gate.attestation.KeyFiles;
import dev.tollgate.gate.attestation.VerdictStatement;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed verdicts on a real broker with two gates, as two replicas run: every revision is signed once, served the same
 * from both gates, verifies with the served keys (with Tollgate's verifier and with openssl), and a NO_GO, a tampered
 * envelope, another tenant and another revision are refused as they must be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttestationIT {
  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  GateService second;
  FixtureRepo repo;
  AttestationKey key = AttestationKey.generate();

  @BeforeAll
  void start() throws Exception {
    String config = """
        tenants: [acme, globex]
        environments:
          staging:
            probes: {pass: {}}
          production:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], required: 1, expiresAfter: 2h}
        """;
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data-a"),
        TestProbes.registry(TestProbes.PASS, TestProbes.FAIL), config).withAttestation(AttestationKeys.of(key));
    tollgate.startGate();
    second = tollgate.startAnotherGate(tmp.resolve("data-b"));
    assertTrue(second.attestationSigner().awaitAssignment(Duration.ofSeconds(60)), "both gates' signers in the group");
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "1").deployed().commit("app.txt", "2");
  }

  @AfterAll
  void stop() {
    tollgate.close();
  }

  String evaluate(String environment) {
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\""
        + environment + "\",\"tenant\":\"acme\",\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}",
        30).json();
    assertEquals("COMPLETE", v.path("status").asText(), v.toString());
    return v.path("id").asText();
  }

  Api.Response attestation(Api api, String id, String query) {
    return api.get("/api/v1/evaluations/" + id + "/attestation?waitSeconds=20" + query);
  }

  List<AttestationKey> servedKeys() {
    Api.Response jwks = new Api(tollgate.gate().httpPort(), null).get("/api/v1/attestations/keys");
    assertEquals(200, jwks.status(), "public: no token");
    return KeyFiles.parse(jwks.body());
  }

  @Test
  void aGoIsSignedServedAndVerifiesWithTheServedKeys() throws Exception {
    String id = evaluate("staging");
    Api.Response r = attestation(tollgate.api(TestInstallation.VIEWER), id, "");
    assertEquals(200, r.status(), r.body());
    byte[] envelope = r.body().getBytes(StandardCharsets.UTF_8);
    assertEquals("\"sha256:" + VerdictStatement.sha256(envelope) + "\"", r.header("ETag"));
    AttestationVerifier.Result v = AttestationVerifier.verify(envelope, servedKeys(),
        new Expectations(repo.head(), "staging", null, repo.dir().toString()), Instant.now());
    assertEquals(Outcome.VERIFIED, v.outcome(), v.reason());
    assertEquals(key.keyId(), v.keyId());

    // The predicate is what the published schema says.
    JsonNode statement = Json.mapper().readTree(Base64.getDecoder().decode(Json.mapper().readTree(envelope).path("payload").asText()));
    try (InputStream schema = AttestationSigned.class.getResourceAsStream("/schemas/VerdictPredicate.v1.schema.json")) {
      var errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema)
          .validate(statement.path("predicate"));
      assertTrue(errors.isEmpty(), errors + " in " + statement);
    }
    assertEquals("PASS", statement.path("predicate").path("probes").get(0).path("status").asText());

    // The audit export names the same digest.
    JsonNode audit = tollgate.api(TestInstallation.VIEWER).get("/api/v1/audit?kind=VERDICT&evaluation=" + id).json();
    assertEquals(VerdictStatement.sha256(envelope), audit.path("items").get(0).path("attestationSha256").asText(), audit.toString());
  }

  @Test
  void theEnvelopeIsIdenticalFromEveryGateAndEachRevisionIsSignedOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(evaluate("staging"));
    }
    Api a = tollgate.api(TestInstallation.VIEWER);
    Api b = new Api(second.httpPort(), TestInstallation.VIEWER);
    for (String id : ids) {
      Api.Response fromA = attestation(a, id, "&revision=1");
      Api.Response fromB = attestation(b, id, "&revision=1");
      assertEquals(200, fromA.status(), fromA.body());
      assertEquals(fromA.body(), fromB.body(), "the same bytes from both gates");
      // And what either gate would sign for this revision is those same bytes: nothing depends on who signs, or when.
      VerdictReached verdict = awaitVerdict(second, id);
      assertEquals(fromA.body(), VerdictStatement.text(VerdictStatement.sign(verdict, key).envelope()));
    }
    Map<String, Long> perRevision = TopicReader.readAll(tollgate.kafka(), tollgate.topics().attestationsSigned(),
        AttestationSigned.class).stream().collect(Collectors.groupingBy(AttestationSigned::key, Collectors.counting()));
    for (String id : ids) {
      assertEquals(1L, perRevision.get(id + "/1"), "one signer per revision: " + perRevision);
    }
  }

  @Test
  void aNoGoIsSignedButRefusedAndATamperedOneFailsItsSignature() throws Exception {
    String id = evaluate("production");
    byte[] envelope = attestation(tollgate.api(TestInstallation.VIEWER), id, "").body().getBytes(StandardCharsets.UTF_8);
    Expectations production = new Expectations(repo.head(), "production", null, null);
    AttestationVerifier.Result noGo = AttestationVerifier.verify(envelope, servedKeys(), production, Instant.now());
    assertEquals(Outcome.NOT_PERMITTED, noGo.outcome(), noGo.reason());
    assertEquals(List.of("test/fail"), List.of(noGo.predicate().probes().get(0).ruleIds().toArray()));

    ObjectNode env = (ObjectNode) Json.mapper().readTree(envelope);
    String payload = new String(Base64.getDecoder().decode(env.path("payload").asText()), StandardCharsets.UTF_8);
    env.put("payload", Base64.getEncoder().encodeToString(payload.replace("\"NO_GO\"", "\"GO\"").getBytes(StandardCharsets.UTF_8)));
    AttestationVerifier.Result forged = AttestationVerifier.verify(Json.write(env), servedKeys(), production, Instant.now());
    assertEquals(Outcome.SIGNATURE_INVALID, forged.outcome(), forged.reason());
  }

  @Test
  void anOverrideIsTheNextSignedRevisionNamingTheVoteAndTheNoGoStaysServed() throws Exception {
    String id = evaluate("production");
    String token = "ghp_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8";
    Api.Response vote = tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"hotfix INC-7, pasted " + token + " by mistake\"}");
    assertEquals(202, vote.status(), vote.body());
    Api viewer = tollgate.api(TestInstallation.VIEWER);
    Api.Response latest = attestation(viewer, id, "&revision=2");
    assertEquals(200, latest.status(), latest.body());
    assertEquals(latest.body(), attestation(viewer, id, "").body(), "without revision: the latest");
    AttestationVerifier.Result r = AttestationVerifier.verify(latest.body().getBytes(StandardCharsets.UTF_8), servedKeys(),
        new Expectations(repo.head(), "production", null, null), Instant.now());
    assertEquals(Outcome.VERIFIED, r.outcome(), r.reason());
    assertEquals("OVERRIDDEN", r.predicate().decision());
    assertEquals("alice", r.predicate().overrides().get(0).approver());
    String statement = new String(Base64.getDecoder().decode(Json.mapper().readTree(latest.body()).path("payload").asText()),
        StandardCharsets.UTF_8);
    assertFalse(statement.contains(token.substring(4)), "a credential typed into a reason is masked: " + statement);
    AttestationVerifier.Result first = AttestationVerifier.verify(attestation(viewer, id, "&revision=1").body()
        .getBytes(StandardCharsets.UTF_8), servedKeys(), Expectations.NONE, Instant.now());
    assertEquals("NO_GO", first.predicate().decision(), "revision 1 is still the NO_GO it was");
  }

  /**
   * Attacks on the lock through the attestation: a GO held by a lock must never be signed as a GO (its revision is the
   * LOCKED NO_GO); and another tenant, which has no lock, gets a GO about the same repository, commit and environment
   * signed by the same key, which a pipeline that names its tenant refuses.
   */
  @Test
  void aGoHeldByALockIsSignedAsItsNoGoAndAnotherTenantsGoIsRefusedByTenant() throws Exception {
    Api alice = tollgate.api(TestInstallation.ALICE);
    Api.Response locked = alice.post("/api/v1/environments/staging/lock", "{\"reason\":\"staging is being rebuilt\"}");
    assertEquals(201, locked.status(), locked.body());
    String lockId = locked.json().path("lock").path("lockId").asText();
    String id;
    try {
      id = evaluate("staging");
      Api viewer = tollgate.api(TestInstallation.VIEWER);
      AttestationVerifier.Result held = AttestationVerifier.verify(attestation(viewer, id, "").body()
          .getBytes(StandardCharsets.UTF_8), servedKeys(), new Expectations(repo.head(), "staging", null, null), Instant.now());
      assertEquals(Outcome.NOT_PERMITTED, held.outcome(), held.reason());
      assertTrue(held.predicate().held(), held.reason());
      assertEquals("LOCKED", held.predicate().reasons().get(0).code(), held.reason());

      Api globex = tollgate.api(TestInstallation.OTHER_TENANT);
      JsonNode theirs = globex.evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"tenant\":"
          + "\"globex\",\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}", 30).json();
      assertEquals("GO", theirs.path("verdict").path("decision").asText(), "acme's lock is not globex's: " + theirs);
      byte[] envelope = attestation(globex, theirs.path("id").asText(), "").body().getBytes(StandardCharsets.UTF_8);
      assertEquals(Outcome.VERIFIED, AttestationVerifier.verify(envelope, servedKeys(),
          new Expectations(repo.head(), "staging", null, null), Instant.now()).outcome(), "without the tenant it passes");
      AttestationVerifier.Result refused = AttestationVerifier.verify(envelope, servedKeys(),
          new Expectations(repo.head(), "staging", null, null, null, "acme"), Instant.now());
      assertEquals(Outcome.SUBJECT_MISMATCH, refused.outcome(), refused.reason());
    } finally {
      assertEquals(200, alice.delete("/api/v1/environments/staging/lock", "{\"lockId\":\"" + lockId + "\"}").status());
    }
    Api viewer = tollgate.api(TestInstallation.VIEWER);
    Api.Response next = attestation(viewer, id, "&revision=2");
    assertEquals(200, next.status(), next.body());
    AttestationVerifier.Result go = AttestationVerifier.verify(next.body().getBytes(StandardCharsets.UTF_8), servedKeys(),
        new Expectations(repo.head(), "staging", null, null, null, "acme"), Instant.now());
    assertEquals(Outcome.VERIFIED, go.outcome(), "decided again when the lock went: " + go.reason());
    byte[] signed = next.body().getBytes(StandardCharsets.UTF_8);
    AttestationVerifier.Result spelled = AttestationVerifier.verify(signed, servedKeys(),
        new Expectations(repo.head(), "staging", null, repo.dir() + "/.git", null, "acme"), Instant.now());
    assertEquals(Outcome.VERIFIED, spelled.outcome(), "its .git directory is the same repository: " + spelled.reason());
    AttestationVerifier.Result copy = AttestationVerifier.verify(signed, servedKeys(),
        new Expectations(repo.head(), "staging", null, repo.dir() + "-copy", null, "acme"), Instant.now());
    assertEquals(Outcome.SUBJECT_MISMATCH, copy.outcome(), "a copy with the same commit is another repository: " + copy.reason());
  }

  @Test
  void theArtifactARequestNamesIsASubjectThatVerifyChecksAndAMalformedDigestIsA400() throws Exception {
    String image = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".toUpperCase(java.util.Locale.ROOT);
    String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"tenant\":\"acme\",\"candidate\":\""
        + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\",\"artifactDigest\":\"" + image + "\"}";
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    String id = v.path("id").asText();
    assertEquals(image.toLowerCase(java.util.Locale.ROOT), v.path("artifactDigest").asText(), "the evaluation shows what was asked");
    byte[] envelope = attestation(tollgate.api(TestInstallation.VIEWER), id, "").body().getBytes(StandardCharsets.UTF_8);
    JsonNode statement = Json.mapper().readTree(Base64.getDecoder().decode(Json.mapper().readTree(envelope).path("payload").asText()));
    String lower = image.toLowerCase(java.util.Locale.ROOT);
    assertEquals(lower.substring("sha256:".length()), statement.path("subject").get(1).path("digest").path("sha256").asText(),
        statement.toString());
    AttestationVerifier.Result ok = AttestationVerifier.verify(envelope, servedKeys(),
        new Expectations(repo.head(), "staging", lower, null), Instant.now());
    assertEquals(Outcome.VERIFIED, ok.outcome(), ok.reason());
    AttestationVerifier.Result otherImage = AttestationVerifier.verify(envelope, servedKeys(),
        new Expectations(repo.head(), "staging", "sha256:" + "0".repeat(64), null), Instant.now());
    assertEquals(Outcome.SUBJECT_MISMATCH, otherImage.outcome(), otherImage.reason());

    Api requester = tollgate.api(TestInstallation.REQUESTER);
    for (String bad : List.of("\"sha256:abc\"", "\"md5:" + "0".repeat(32) + "\"", "\"" + "0".repeat(64) + "\"",
        "\"sha256:" + "g".repeat(64) + "\"", "{\"digest\":\"" + lower + "\"}", "42")) {
      Api.Response r = requester.post("/api/v1/evaluations", body.replace("\"" + image + "\"", bad));
      assertEquals(400, r.status(), bad + ": " + r.body());
      assertEquals("artifactDigest", r.json().path("field").asText(), r.body());
      assertTrue(r.json().path("detail").asText().contains("sha256:<64 hex characters>"), r.body());
      // A deploy record's digest becomes a subject of later attestations too: read by the same one check.
      Api.Response d = requester.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\","
          + "\"tenant\":\"acme\",\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\",\"artifactDigest\":" + bad + "}");
      assertEquals(400, d.status(), bad + ": " + d.body());
      assertEquals("artifactDigest", d.json().path("field").asText(), d.body());
    }
    // The artifact is part of what a request is: an idempotency key reused for another image is refused.
    String key = "deploy-" + id;
    assertEquals(202, requester.post("/api/v1/evaluations", body, "application/json", "Idempotency-Key", key).status());
    Api.Response reused = requester.post("/api/v1/evaluations", body.replace(image, "sha256:" + "1".repeat(64)),
        "application/json", "Idempotency-Key", key);
    assertEquals(422, reused.status(), reused.body());
  }

  @Test
  void onlyTheEvaluationsTenantGetsItAndBadRequestsAreClear4xx() {
    String id = evaluate("staging");
    attestation(tollgate.api(TestInstallation.VIEWER), id, "");
    assertEquals(404, attestation(tollgate.api(TestInstallation.OTHER_TENANT), id, "").status(), "another tenant's: as unknown");
    assertEquals(401, new Api(tollgate.gate().httpPort(), null).get("/api/v1/evaluations/" + id + "/attestation").status());
    Api viewer = tollgate.api(TestInstallation.VIEWER);
    Api.Response noRevision = viewer.get("/api/v1/evaluations/" + id + "/attestation?revision=9");
    assertEquals(404, noRevision.status());
    assertTrue(noRevision.json().path("detail").asText().contains("no revision 9 (the latest is 1)"), noRevision.body());
    for (String bad : List.of("revision=0", "revision=x", "waitSeconds=61", "format=pem")) {
      Api.Response r = viewer.get("/api/v1/evaluations/" + id + "/attestation?" + bad);
      assertEquals(400, r.status(), bad + ": " + r.body());
      assertNotNull(r.json().path("field").asText(null), r.body());
    }
    assertEquals(404, viewer.get("/api/v1/evaluations/no-such-evaluation/attestation").status());
    assertEquals(404, viewer.get("/api/v1/evaluations/%3Cscript%3E/attestation").status());
    assertEquals(400, new Api(tollgate.gate().httpPort(), null).get("/api/v1/attestations/keys?format=der").status());
  }

  @Test
  void keysAreServedAsJwksAndPemAndOpensslVerifiesTheEnvelopeWithThem() throws Exception {
    Api anonymous = new Api(tollgate.gate().httpPort(), null);
    Api.Response jwks = anonymous.get("/api/v1/attestations/keys?format=jwks");
    assertEquals("application/jwk-set+json", jwks.header("Content-Type"));
    JsonNode k = jwks.json().path("keys").get(0);
    assertEquals("OKP", k.path("kty").asText());
    assertEquals(key.keyId(), k.path("kid").asText());
    Api.Response pem = anonymous.get("/api/v1/attestations/keys?format=pem");
    assertTrue(pem.body().startsWith("# Key ID: " + key.keyId() + "\n-----BEGIN PUBLIC KEY-----"), pem.body());
    assertFalse(pem.body().contains("PRIVATE"), "never a private key");
    assertEquals(jwks.body(), new Api(second.httpPort(), null).get("/api/v1/attestations/keys").body(), "the same from every gate");

    assumeTrue(openssl("version").exitCode() == 0, "openssl is not installed");
    String id = evaluate("staging");
    JsonNode env = Json.mapper().readTree(attestation(tollgate.api(TestInstallation.VIEWER), id, "").body());
    byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
    String type = env.path("payloadType").asText();
    Path dir = Files.createTempDirectory(tmp, "openssl");
    Files.writeString(dir.resolve("pub.pem"), pem.body());
    Files.write(dir.resolve("sig.bin"), Base64.getDecoder().decode(env.path("signatures").get(0).path("sig").asText()));
    // PAE written out as a shell user would: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body.
    byte[] head = ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ").getBytes(StandardCharsets.US_ASCII);
    Files.write(dir.resolve("pae.bin"), concat(head, payload));
    Run ok = openssl("pkeyutl", "-verify", "-pubin", "-inkey", dir.resolve("pub.pem").toString(), "-rawin",
        "-in", dir.resolve("pae.bin").toString(), "-sigfile", dir.resolve("sig.bin").toString());
    assertEquals(0, ok.exitCode(), ok.output());
    assertTrue(ok.output().contains("Signature Verified Successfully"), ok.output());
    payload[payload.length - 2] ^= 1;
    Files.write(dir.resolve("pae.bin"), concat(head, payload));
    Run altered = openssl("pkeyutl", "-verify", "-pubin", "-inkey", dir.resolve("pub.pem").toString(), "-rawin",
        "-in", dir.resolve("pae.bin").toString(), "-sigfile", dir.resolve("sig.bin").toString());
    assertTrue(altered.exitCode() != 0, altered.output());
  }

  static VerdictReached awaitVerdict(GateService gate, String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (gate.views().verdict(id).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return gate.views().verdict(id).orElseThrow();
  }

  record Run(int exitCode, String output) {}

  static Run openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(p.waitFor(), out);
    } catch (java.io.IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, e.toString());
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
