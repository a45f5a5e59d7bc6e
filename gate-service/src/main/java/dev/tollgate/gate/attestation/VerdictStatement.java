package dev.tollgate.gate.attestation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.VerdictPredicate;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.report.ReportText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A verdict revision as an in-toto Statement v1 and its signed DSSE envelope. A pure function of the
 * {@link VerdictReached} record and the key: no clock, no nonce, canonical JSON and a deterministic signature, so every
 * gate (and every retry) produces the same bytes for the same revision.
 *
 * <p>Subjects: the candidate commit ({@code {"name": <repository>, "digest": {"gitCommit": <sha>}}}) and each artifact
 * recorded for it ({@code {"name": "_", "digest": {"sha256": <hex>}}}, "_" because Tollgate does not know the
 * artifact's name).
 */
public final class VerdictStatement {
  private VerdictStatement() {}

  /** A signed envelope: its bytes, their SHA-256 (hex), and the key that signed. */
  public record Signed(byte[] envelope, String sha256, String keyId) {}

  /** The predicate of {@code v}: what the verdict says, text with credential-shaped strings masked. */
  public static VerdictPredicate predicate(VerdictReached v) {
    var t = v.target();
    return new VerdictPredicate(v.evaluationId(), t.tenant(), t.repository(), t.environment(), t.candidate(), t.baseline(),
        v.decision() == Decision.UNKNOWN ? Decision.NO_GO.name() : v.decision().name(), v.revision(), v.held(), v.retryAt(),
        v.reasons().stream().map(r -> new VerdictPredicate.Reason(r.code().name(), r.probe() == null ? null : r.probe().value(),
            ReportText.maskTokens(r.message()))).toList(),
        v.probes().stream().map(p -> new VerdictPredicate.Probe(p.probe().value(), p.required(), p.status().name(),
            ReportText.maskTokens(p.reason()), p.deadline(), p.findings(), p.blocking(), p.ruleIds(), p.findingsTruncated()))
            .toList(),
        v.overrides().stream().map(o -> new VerdictPredicate.Vote(o.approver(), ReportText.maskTokens(o.reason()), o.votedAt(),
            o.expiresAt())).toList(),
        v.artifactDigests(), v.policyVersion(), v.requestedAt(), v.decidedAt());
  }

  /** The statement's canonical bytes: the DSSE payload. */
  public static byte[] payload(VerdictReached v) {
    VerdictPredicate predicate = predicate(v);
    ObjectNode statement = Json.mapper().createObjectNode();
    statement.put("_type", VerdictPredicate.STATEMENT_TYPE);
    ArrayNode subjects = statement.putArray("subject");
    ObjectNode commit = subjects.addObject();
    commit.put("name", predicate.repository());
    commit.putObject("digest").put("gitCommit", predicate.candidate());
    for (String digest : predicate.artifactDigests()) {
      int colon = digest.indexOf(':');
      ObjectNode artifact = subjects.addObject();
      artifact.put("name", "_");
      artifact.putObject("digest").put(digest.substring(0, colon), digest.substring(colon + 1));
    }
    statement.put("predicateType", VerdictPredicate.PREDICATE_TYPE);
    statement.set("predicate", Json.mapper().valueToTree(predicate));
    return CanonicalJson.bytes(statement);
  }

  /** The DSSE envelope of {@code v} signed with {@code key}. */
  public static Signed sign(VerdictReached v, AttestationKey key) {
    byte[] payload = payload(v);
    byte[] sig = key.sign(Dsse.pae(VerdictPredicate.PAYLOAD_TYPE, payload));
    byte[] envelope = Dsse.envelope(VerdictPredicate.PAYLOAD_TYPE, payload, key.keyId(), sig);
    return new Signed(envelope, sha256(envelope), key.keyId());
  }

  /** SHA-256 of {@code bytes}, lower-case hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The envelope as text (it is UTF-8 JSON). */
  public static String text(byte[] envelope) {
    return new String(envelope, StandardCharsets.UTF_8);
  }
}
