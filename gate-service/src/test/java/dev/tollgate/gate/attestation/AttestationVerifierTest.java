package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.VerdictPredicate;
import dev.tollgate.gate.attestation.AttestationVerifier.Expectations;
import dev.tollgate.gate.attestation.AttestationVerifier.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a pipeline's {@code tollgate verify} accepts and refuses, each refusal with its outcome and reason. */
class AttestationVerifierTest {
  static final AttestationKey KEY = VerdictStatementTest.KEY;
  static final Instant NOW = Verdicts.T0.plusSeconds(600);
  static final Expectations PRODUCTION = new Expectations(Verdicts.CANDIDATE, "production", null, null);

  static AttestationVerifier.Result verify(byte[] envelope, List<AttestationKey> keys, Expectations expected) {
    return AttestationVerifier.verify(envelope, keys, expected, NOW);
  }

  @Test
  void signThenVerifyRoundTrips() {
    byte[] envelope = VerdictStatement.sign(Verdicts.go(), KEY).envelope();
    AttestationVerifier.Result r = verify(envelope, List.of(KEY.publicOnly()), PRODUCTION);
    assertEquals(Outcome.VERIFIED, r.outcome(), r.reason());
    assertEquals(0, r.outcome().exitCode());
    assertEquals("tollgate-test", r.keyId());
    assertTrue(r.reason().startsWith("verified: GO for production, commit " + Verdicts.CANDIDATE), r.reason());
    assertEquals(Outcome.VERIFIED, verify(envelope, List.of(KEY.publicOnly()),
        new Expectations(Verdicts.CANDIDATE, "production", Verdicts.ARTIFACT, "https://github.com/acme/shop.git")).outcome());
  }

  @Test
  void aFlippedByteInThePayloadBreaksTheSignature() throws Exception {
    byte[] envelope = VerdictStatement.sign(Verdicts.noGo(), KEY).envelope();
    ObjectNode env = (ObjectNode) Json.mapper().readTree(envelope);
    byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
    // Turn the NO_GO into a GO: the attack a user of the gate would try first.
    String tampered = new String(payload, StandardCharsets.UTF_8).replace("\"decision\":\"NO_GO\"", "\"decision\":\"GO\"");
    env.put("payload", Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)));
    AttestationVerifier.Result r = verify(Json.write(env), List.of(KEY.publicOnly()), PRODUCTION);
    assertEquals(Outcome.SIGNATURE_INVALID, r.outcome());
    assertTrue(r.reason().contains("altered"), r.reason());

    payload[payload.length / 2] ^= 0x01; // one bit anywhere
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    assertEquals(Outcome.SIGNATURE_INVALID, verify(Json.write(env), List.of(KEY.publicOnly()), PRODUCTION).outcome());
  }

  /**
   * Attack on the envelope's JSON: a second {@code payload} member (parsers disagree on which one wins) and a second
   * signature by the attacker's own key. Whichever payload is read, only a signature by a trusted key over it counts.
   */
  @Test
  void aDuplicatePayloadMemberOrAnExtraSignatureByAnotherKeyNeverVerifiesAForgedPayload() throws Exception {
    byte[] signed = VerdictStatement.sign(Verdicts.noGo(), KEY).envelope();
    String env = new String(signed, StandardCharsets.UTF_8);
    String payload = Json.mapper().readTree(signed).path("payload").asText();
    String forged = Base64.getEncoder().encodeToString(new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8)
        .replace("\"decision\":\"NO_GO\"", "\"decision\":\"GO\"").getBytes(StandardCharsets.UTF_8));
    String forgedLast = env.substring(0, env.length() - 1) + ",\"payload\":\"" + forged + "\"}";
    String forgedFirst = "{\"payload\":\"" + forged + "\"," + env.substring(1);
    for (String e : List.of(forgedLast, forgedFirst)) {
      AttestationVerifier.Result r = verify(e.getBytes(StandardCharsets.UTF_8), List.of(KEY.publicOnly()), PRODUCTION);
      assertTrue(r.outcome() == Outcome.SIGNATURE_INVALID || r.outcome() == Outcome.NOT_PERMITTED
          || r.outcome() == Outcome.MALFORMED, r.outcome() + ": " + r.reason());
    }
    // The forged GO signed by the attacker's key, beside the gate's signature of the NO_GO: the gate's key verifies
    // neither signature over the forged payload.
    AttestationKey attacker = AttestationKey.generate();
    byte[] attackersGo = VerdictStatement.sign(Verdicts.go(), attacker).envelope();
    String withBoth = new String(attackersGo, StandardCharsets.UTF_8).replace("\"signatures\":[",
        "\"signatures\":[" + env.substring(env.indexOf("\"signatures\":[") + 14, env.lastIndexOf(']')) + ",");
    AttestationVerifier.Result r = verify(withBoth.getBytes(StandardCharsets.UTF_8), List.of(KEY.publicOnly()), PRODUCTION);
    assertEquals(Outcome.SIGNATURE_INVALID, r.outcome(), r.reason());
  }

  @Test
  void aKeyThatDidNotSignItIsRefused() {
    byte[] envelope = VerdictStatement.sign(Verdicts.go(), KEY).envelope();
    AttestationKey other = AttestationKey.generate();
    AttestationVerifier.Result r = verify(envelope, List.of(other.publicOnly()), PRODUCTION);
    assertEquals(Outcome.SIGNATURE_INVALID, r.outcome());
    assertEquals(3, r.outcome().exitCode());
    assertTrue(r.reason().contains("signed by key tollgate-test, which is not among them"), r.reason());
    // The keyid is only a hint: another key under the same id does not verify either.
    AttestationKey impostor = new AttestationKey("tollgate-test", other.publicKey(), null);
    assertEquals(Outcome.SIGNATURE_INVALID, verify(envelope, List.of(impostor), PRODUCTION).outcome());
  }

  @Test
  void anotherCommitArtifactOrRepositoryIsASubjectMismatch() {
    byte[] envelope = VerdictStatement.sign(Verdicts.go(), KEY).envelope();
    String other = "0".repeat(40);
    AttestationVerifier.Result r = verify(envelope, List.of(KEY), new Expectations(other, "production", null, null));
    assertEquals(Outcome.SUBJECT_MISMATCH, r.outcome());
    assertEquals("the attestation is for commit " + Verdicts.CANDIDATE + ", not " + other, r.reason());
    assertEquals(Outcome.SUBJECT_MISMATCH, verify(envelope, List.of(KEY),
        new Expectations(Verdicts.CANDIDATE, null, "sha256:" + "cd".repeat(32), null)).outcome());
    assertEquals(Outcome.SUBJECT_MISMATCH, verify(envelope, List.of(KEY),
        new Expectations(Verdicts.CANDIDATE, null, null, "https://github.com/acme/other.git")).outcome());
  }

  @Test
  void anotherEnvironmentIsRefused() {
    byte[] envelope = VerdictStatement.sign(Verdicts.go(), KEY).envelope();
    AttestationVerifier.Result r = verify(envelope, List.of(KEY), new Expectations(Verdicts.CANDIDATE, "staging", null, null));
    assertEquals(Outcome.ENVIRONMENT_MISMATCH, r.outcome());
    assertEquals("the attestation is for environment production, not staging", r.reason());
  }

  @Test
  void aNoGoIsValidButDoesNotPermitTheDeploy() {
    byte[] envelope = VerdictStatement.sign(Verdicts.noGo(), KEY).envelope();
    AttestationVerifier.Result r = verify(envelope, List.of(KEY), PRODUCTION);
    assertEquals(Outcome.NOT_PERMITTED, r.outcome());
    assertEquals(1, r.outcome().exitCode());
    assertTrue(r.reason().startsWith("the verdict is NO_GO: probe migrations failed: 1 blocking finding"), r.reason());
  }

  @Test
  void anOverridePermitsTheDeployOnlyWhileItsVotesHold() {
    byte[] valid = VerdictStatement.sign(Verdicts.overridden(NOW.plusSeconds(60), "behind a flag"), KEY).envelope();
    AttestationVerifier.Result r = verify(valid, List.of(KEY), PRODUCTION);
    assertEquals(Outcome.VERIFIED, r.outcome(), r.reason());
    assertTrue(r.reason().contains("overridden by alice"), r.reason());
    byte[] expired = VerdictStatement.sign(Verdicts.overridden(NOW.minusSeconds(1), "behind a flag"), KEY).envelope();
    AttestationVerifier.Result late = verify(expired, List.of(KEY), PRODUCTION);
    assertEquals(Outcome.NOT_PERMITTED, late.outcome());
    assertTrue(late.reason().startsWith("the override expired at"), late.reason());
  }

  @Test
  void anOldGoDoesNotAuthorizeADeployTodayWhenTheVerifierSetsAnAge() {
    byte[] envelope = VerdictStatement.sign(Verdicts.go(), KEY).envelope(); // decided 598 s before NOW
    assertEquals(Outcome.VERIFIED, verify(envelope, List.of(KEY), new Expectations(Verdicts.CANDIDATE, "production", null,
        null, java.time.Duration.ofMinutes(10))).outcome());
    AttestationVerifier.Result stale = verify(envelope, List.of(KEY), new Expectations(Verdicts.CANDIDATE, "production", null,
        null, java.time.Duration.ofMinutes(5)));
    assertEquals(Outcome.NOT_PERMITTED, stale.outcome());
    assertTrue(stale.reason().contains("more than 5m ago"), stale.reason());
  }

  @Test
  void afterKeyRotationOldAttestationsVerifyWithTheOldKeyAndNewOnesWithTheNew() {
    AttestationKey old = AttestationKey.generate();
    AttestationKey current = AttestationKey.generate();
    AttestationKeys rotated = new AttestationKeys(current, List.of(old), java.util.Set.of());
    byte[] before = VerdictStatement.sign(Verdicts.go(), old).envelope();
    byte[] after = VerdictStatement.sign(Verdicts.go(), rotated.signing()).envelope();
    List<AttestationKey> published = rotated.published();
    assertEquals(List.of(current.keyId(), old.keyId()), published.stream().map(AttestationKey::keyId).toList(), "newest first");
    assertEquals(Outcome.VERIFIED, verify(before, published, PRODUCTION).outcome());
    assertEquals(Outcome.VERIFIED, verify(after, published, PRODUCTION).outcome());
    assertEquals(Outcome.SIGNATURE_INVALID, verify(before, List.of(current.publicOnly()), PRODUCTION).outcome(),
        "the new key alone does not vouch for what the old one signed");
    AttestationKeys revoked = new AttestationKeys(current, List.of(old), java.util.Set.of(old.keyId()));
    assertEquals(List.of(current.keyId()), revoked.published().stream().map(AttestationKey::keyId).toList());
  }

  @Test
  void anEd25519KeyRotatedToAP256KeyKeepsItsEnvelopesVerifyingAndEachKeyVouchesOnlyForItsOwn() {
    AttestationKey ed25519 = AttestationKey.generate(AttestationKey.Kind.ED25519);
    AttestationKey p256 = AttestationKey.fromPrivatePem(AttestationKeyTest.P256_PRIVATE, "tollgate-2027");
    AttestationKeys rotated = new AttestationKeys(p256, List.of(ed25519), java.util.Set.of());
    byte[] before = VerdictStatement.sign(Verdicts.go(), ed25519).envelope();
    byte[] after = VerdictStatement.sign(Verdicts.go(), rotated.signing()).envelope();
    // As a pipeline reads them: the served JWKS, both kinds in one document.
    String jwks = dev.tollgate.contracts.Json.writeString(java.util.Map.of("keys",
        rotated.published().stream().map(AttestationKey::jwk).toList()));
    List<AttestationKey> served = KeyFiles.parse(jwks);
    assertEquals(List.of(AttestationKey.Kind.P256, AttestationKey.Kind.ED25519), served.stream().map(AttestationKey::kind).toList());
    AttestationVerifier.Result old = verify(before, served, PRODUCTION);
    assertEquals(Outcome.VERIFIED, old.outcome(), old.reason());
    assertEquals(ed25519.keyId(), old.keyId());
    AttestationVerifier.Result current = verify(after, served, PRODUCTION);
    assertEquals(Outcome.VERIFIED, current.outcome(), current.reason());
    assertEquals("tollgate-2027", current.keyId());
    assertEquals(Outcome.SIGNATURE_INVALID, verify(before, List.of(p256.publicOnly()), PRODUCTION).outcome());
    assertEquals(Outcome.SIGNATURE_INVALID, verify(after, List.of(ed25519.publicOnly()), PRODUCTION).outcome());
    // The keyid is only a hint: the old key's signature under the new key's id still verifies, with the old key.
    String relabelled = new String(before, StandardCharsets.UTF_8).replace("\"keyid\":\"" + ed25519.keyId() + "\"",
        "\"keyid\":\"tollgate-2027\"");
    assertEquals(ed25519.keyId(), verify(relabelled.getBytes(StandardCharsets.UTF_8), served, PRODUCTION).keyId());
  }

  @Test
  void aP256EnvelopeAlteredOrForAnotherCommitOrANoGoFailsWithItsReason() {
    AttestationKey p256 = AttestationKey.fromPrivatePem(AttestationKeyTest.P256_PRIVATE, "p256");
    List<AttestationKey> keys = List.of(p256.publicOnly());
    byte[] go = VerdictStatement.sign(Verdicts.go(), p256).envelope();
    assertEquals(Outcome.VERIFIED, verify(go, keys, PRODUCTION).outcome());
    byte[] flipped = go.clone();
    int at = new String(go, StandardCharsets.UTF_8).indexOf("\"payload\":\"") + 40;
    flipped[at] = (byte) (flipped[at] == 'A' ? 'B' : 'A');
    AttestationVerifier.Result altered = verify(flipped, keys, PRODUCTION);
    assertEquals(Outcome.SIGNATURE_INVALID, altered.outcome(), altered.reason());
    assertTrue(altered.reason().contains("altered"), altered.reason());
    assertEquals(Outcome.SUBJECT_MISMATCH, verify(go, keys, new Expectations("0".repeat(40), "production", null, null)).outcome());
    assertEquals(Outcome.NOT_PERMITTED, verify(VerdictStatement.sign(Verdicts.noGo(), p256).envelope(), keys, PRODUCTION).outcome());
  }

  @Test
  void somethingThatIsNotATollgateVerdictIsMalformed() {
    AttestationVerifier.Result notJson = verify("not json".getBytes(StandardCharsets.UTF_8), List.of(KEY), PRODUCTION);
    assertEquals(Outcome.MALFORMED, notJson.outcome());
    assertEquals(6, notJson.outcome().exitCode());
    // Signed by our key, but another payload type or predicate: a confusion attack, not a verdict.
    byte[] statement = VerdictStatement.payload(Verdicts.go());
    byte[] otherType = Dsse.envelope("application/json", statement, KEY.keyId(), KEY.sign(Dsse.pae("application/json", statement)));
    assertEquals(Outcome.MALFORMED, verify(otherType, List.of(KEY), PRODUCTION).outcome());
    byte[] provenance = new String(statement, StandardCharsets.UTF_8).replace(VerdictPredicate.PREDICATE_TYPE,
        "https://slsa.dev/provenance/v1").getBytes(StandardCharsets.UTF_8);
    byte[] slsa = Dsse.envelope(VerdictPredicate.PAYLOAD_TYPE, provenance, KEY.keyId(),
        KEY.sign(Dsse.pae(VerdictPredicate.PAYLOAD_TYPE, provenance)));
    AttestationVerifier.Result r = verify(slsa, List.of(KEY), PRODUCTION);
    assertEquals(Outcome.MALFORMED, r.outcome());
    assertTrue(r.reason().contains("not a Tollgate verdict"), r.reason());
  }
}
