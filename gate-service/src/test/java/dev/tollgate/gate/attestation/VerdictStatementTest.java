package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A verdict revision as an in-toto statement and its envelope: shape, content, redaction and determinism. */
class VerdictStatementTest {
  static final AttestationKey KEY = AttestationKey.fromPrivatePem(AttestationKeyTest.RFC8037_PRIVATE, "tollgate-test");

  @Test
  void theStatementIsAnInTotoStatementAboutTheCandidateCommitAndItsArtifact() throws Exception {
    JsonNode s = Json.mapper().readTree(VerdictStatement.payload(Verdicts.go()));
    assertEquals("https://in-toto.io/Statement/v1", s.path("_type").asText());
    assertEquals("https://tollgate.dev/attestation/verdict/v1", s.path("predicateType").asText());
    assertEquals("https://github.com/acme/shop.git", s.path("subject").get(0).path("name").asText());
    assertEquals(Verdicts.CANDIDATE, s.path("subject").get(0).path("digest").path("gitCommit").asText());
    assertEquals("ab".repeat(32), s.path("subject").get(1).path("digest").path("sha256").asText());
    JsonNode p = s.path("predicate");
    assertEquals("GO", p.path("decision").asText());
    assertEquals("production", p.path("environment").asText());
    assertEquals(Verdicts.BASELINE, p.path("baseline").asText());
    assertEquals(1, p.path("revision").asInt());
    assertEquals("server:8c1f2a3b;repo:none", p.path("policyVersion").asText());
    assertEquals("2026-11-26T10:15:30.123Z", p.path("requestedAt").asText());
    assertEquals("PT20S", p.path("probes").get(0).path("deadline").asText());
  }

  @Test
  void theStatementNamesRuleIdsAndOverrideVotes() throws Exception {
    JsonNode p = Json.mapper().readTree(VerdictStatement.payload(Verdicts.overridden(Verdicts.T0.plusSeconds(3600),
        "the drop is behind a flag"))).path("predicate");
    assertEquals("OVERRIDDEN", p.path("decision").asText());
    assertEquals("[\"migration/drop-column\",\"migration/missing-lock-timeout\"]", p.path("probes").get(0).path("ruleIds").toString());
    JsonNode vote = p.path("overrides").get(0);
    assertEquals("alice", vote.path("approver").asText());
    assertEquals("the drop is behind a flag", vote.path("reason").asText());
    assertEquals("2026-11-26T10:20:29.123Z", vote.path("votedAt").asText());
  }

  @Test
  void aCredentialSomeoneTypedIntoAReasonIsMasked() {
    String token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    String slack = "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrSt";
    VerdictReached v = Verdicts.overridden(Verdicts.T0.plusSeconds(3600), "use " + token + " and " + slack + " to check");
    String payload = new String(VerdictStatement.payload(v), StandardCharsets.UTF_8);
    assertFalse(payload.contains(token.substring(4)), payload);
    assertFalse(payload.contains(slack.substring(5)), payload);
    assertTrue(payload.contains("ghp_…(redacted)"), payload);
  }

  @Test
  void theSameRevisionAlwaysGivesTheSameBytes() {
    VerdictReached v = Verdicts.noGo();
    VerdictStatement.Signed first = VerdictStatement.sign(v, KEY);
    // Another gate: the same key read from its own file, the verdict read from its own copy of the record.
    AttestationKey elsewhere = AttestationKey.fromPrivatePem(AttestationKeyTest.RFC8037_PRIVATE, "tollgate-test");
    VerdictReached reread = Json.read(Json.write(v), VerdictReached.class);
    VerdictStatement.Signed second = VerdictStatement.sign(reread, elsewhere);
    assertArrayEquals(first.envelope(), second.envelope());
    assertEquals(first.sha256(), second.sha256());
  }

  @Test
  void aP256SignatureDiffersEachTimeOverTheSameStatementSoTheStoredEnvelopeIsTheOneServed() throws Exception {
    AttestationKey p256 = AttestationKey.fromPrivatePem(AttestationKeyTest.P256_PRIVATE, "p256");
    VerdictStatement.Signed first = VerdictStatement.sign(Verdicts.noGo(), p256);
    VerdictStatement.Signed second = VerdictStatement.sign(Verdicts.noGo(), p256);
    assertFalse(java.util.Arrays.equals(first.envelope(), second.envelope()), "randomized ECDSA: never re-signed to serve");
    JsonNode a = Json.mapper().readTree(first.envelope());
    JsonNode b = Json.mapper().readTree(second.envelope());
    assertEquals(a.path("payload"), b.path("payload"), "the statement itself is the same canonical bytes");
  }

  @Test
  void theEnvelopeIsCanonicalJsonWithTheStatementAsPayload() throws Exception {
    VerdictStatement.Signed signed = VerdictStatement.sign(Verdicts.go(), KEY);
    String text = new String(signed.envelope(), StandardCharsets.UTF_8);
    assertTrue(text.startsWith("{\"payload\":\"") && text.contains("\",\"payloadType\":\"application/vnd.in-toto+json\","
        + "\"signatures\":[{\"keyid\":\"tollgate-test\",\"sig\":\""), text);
    JsonNode env = Json.mapper().readTree(signed.envelope());
    assertArrayEquals(VerdictStatement.payload(Verdicts.go()), Base64.getDecoder().decode(env.path("payload").asText()));
    assertEquals(List.of(), Verdicts.go().overrides());
  }
}
