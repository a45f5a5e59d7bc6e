package dev.tollgate.gate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.VerdictPredicate;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks a verdict attestation the way a deploy pipeline must before it deploys: the DSSE signature against keys the
 * verifier trusts, then that it is a Tollgate verdict statement, then the subject (the commit, the artifact), the
 * environment, and finally that the decision lets the deploy go ahead (GO, or OVERRIDDEN while its votes hold) and,
 * when asked, is recent enough.
 * Each failure has its own {@link Outcome} and a reason a person can act on. Used by {@code tollgate verify}.
 */
public final class AttestationVerifier {
  private AttestationVerifier() {}

  /**
   * What went wrong, in the order it is checked; the exit code is {@code tollgate verify}'s.
   */
  public enum Outcome {
    /** Signature, subject, environment and decision hold: deploy. */
    VERIFIED(0),
    /** A valid attestation of a decision that does not permit the deploy (NO_GO, an expired override, too old). */
    NOT_PERMITTED(1),
    /** No signature verifies with the given keys: altered, or signed by a key not trusted. */
    SIGNATURE_INVALID(3),
    /** Signed, but about another commit, artifact, repository or tenant. */
    SUBJECT_MISMATCH(4),
    /** Signed, but for another environment. */
    ENVIRONMENT_MISMATCH(5),
    /** Not a DSSE envelope of a Tollgate verdict statement. */
    MALFORMED(6);

    private final int exitCode;

    Outcome(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The exit code of {@code tollgate verify} for this outcome (2 is kept for usage errors). */
    public int exitCode() {
      return exitCode;
    }
  }

  /**
   * What the verifier expects; a null field is not checked.
   *
   * @param commit the full commit id about to be deployed
   * @param environment the environment being deployed to
   * @param artifact an artifact digest ({@code sha256:<hex>}) that must be a subject
   * @param repository the repository the commit must belong to, in any spelling {@link RepositoryLocation#sameRepository}
   *     accepts
   * @param maxAge how old the decision may be at the time of the check (an old GO must not authorize a deploy today,
   *     after freezes and findings changed), or null for any age
   * @param tenant the tenant the verdict must be for: locks, queues and approvers are per tenant, and every tenant's
   *     verdicts are signed by the same key, so another tenant's GO about the same commit is not this tenant's
   */
  public record Expectations(String commit, String environment, String artifact, String repository, Duration maxAge,
      String tenant) {
    /** Nothing but the signature and the decision. */
    public static final Expectations NONE = new Expectations(null, null, null, null, null, null);

    /** Any tenant. */
    public Expectations(String commit, String environment, String artifact, String repository, Duration maxAge) {
      this(commit, environment, artifact, repository, maxAge, null);
    }

    /** Without an age limit. */
    public Expectations(String commit, String environment, String artifact, String repository) {
      this(commit, environment, artifact, repository, null);
    }
  }

  /**
   * The answer.
   *
   * @param predicate the verified predicate, or null when the signature did not verify or the statement is malformed
   * @param keyId the key that verified the signature, or null
   */
  public record Result(Outcome outcome, String reason, VerdictPredicate predicate, String keyId) {
    public boolean verified() {
      return outcome == Outcome.VERIFIED;
    }
  }

  /**
   * Verifies {@code envelope} with any of {@code keys} against {@code expected} at {@code now} (override expiry).
   */
  public static Result verify(byte[] envelope, List<AttestationKey> keys, Expectations expected, Instant now) {
    Dsse.Envelope env;
    try {
      env = Dsse.parse(envelope);
    } catch (IllegalArgumentException e) {
      return fail(Outcome.MALFORMED, e.getMessage());
    }
    if (env.signatures().isEmpty()) {
      return fail(Outcome.SIGNATURE_INVALID, "the envelope has no signature");
    }
    // The keyid is an unauthenticated hint (DSSE): only the signature decides, so every key is tried on every signature.
    byte[] pae = env.pae();
    AttestationKey verifiedBy = null;
    for (Dsse.Signature s : env.signatures()) {
      for (AttestationKey k : keys) {
        if (k.verify(pae, s.sig())) {
          verifiedBy = k;
          break;
        }
      }
      if (verifiedBy != null) {
        break;
      }
    }
    if (verifiedBy == null) {
      return fail(Outcome.SIGNATURE_INVALID, signatureFailure(env, keys));
    }
    String keyId = verifiedBy.keyId();
    if (!VerdictPredicate.PAYLOAD_TYPE.equals(env.payloadType())) {
      return new Result(Outcome.MALFORMED, "payloadType is " + quote(env.payloadType()) + ", not " + VerdictPredicate.PAYLOAD_TYPE
          + ": not an in-toto attestation", null, keyId);
    }
    JsonNode statement;
    VerdictPredicate predicate;
    try {
      statement = Json.mapper().readTree(env.payload());
      if (statement == null || !VerdictPredicate.STATEMENT_TYPE.equals(statement.path("_type").asText(null))) {
        return new Result(Outcome.MALFORMED, "the payload is not an in-toto Statement v1 (_type "
            + quote(statement == null ? null : statement.path("_type").asText(null)) + ")", null, keyId);
      }
      if (!VerdictPredicate.PREDICATE_TYPE.equals(statement.path("predicateType").asText(null))) {
        return new Result(Outcome.MALFORMED, "predicateType is " + quote(statement.path("predicateType").asText(null))
            + ", not " + VerdictPredicate.PREDICATE_TYPE + ": not a Tollgate verdict", null, keyId);
      }
      predicate = Json.mapper().treeToValue(statement.path("predicate"), VerdictPredicate.class);
    } catch (IOException | IllegalArgumentException e) {
      return new Result(Outcome.MALFORMED, "the statement cannot be read as a Tollgate verdict", null, keyId);
    }
    List<String> commits = digests(statement, "gitCommit");
    if (expected.commit() != null && !commits.contains(expected.commit().toLowerCase(Locale.ROOT))) {
      return new Result(Outcome.SUBJECT_MISMATCH, "the attestation is for commit " + String.join(", ", commits) + ", not "
          + expected.commit(), predicate, keyId);
    }
    // The lock's normalisation: .git, http/https, a default port, the path's case or slashes do not make another repository.
    if (expected.repository() != null && !RepositoryLocation.sameRepository(expected.repository(), predicate.repository())) {
      return new Result(Outcome.SUBJECT_MISMATCH, "the attestation is for repository " + predicate.repository() + ", not "
          + expected.repository(), predicate, keyId);
    }
    if (expected.tenant() != null && !expected.tenant().equals(predicate.tenant())) {
      return new Result(Outcome.SUBJECT_MISMATCH, "the attestation is for tenant " + predicate.tenant() + ", not "
          + expected.tenant(), predicate, keyId);
    }
    if (expected.artifact() != null) {
      String wanted = expected.artifact().toLowerCase(Locale.ROOT);
      int colon = wanted.indexOf(':');
      List<String> named = colon < 1 ? List.of() : digests(statement, wanted.substring(0, colon));
      if (colon < 1 || !named.contains(wanted.substring(colon + 1))) {
        return new Result(Outcome.SUBJECT_MISMATCH, "the attestation does not name artifact " + expected.artifact()
            + (predicate.artifactDigests().isEmpty() ? " (it names no artifact: the gate knew none for this commit)"
                : " (it names " + String.join(", ", predicate.artifactDigests()) + ")"), predicate, keyId);
      }
    }
    if (expected.environment() != null && !expected.environment().equals(predicate.environment())) {
      return new Result(Outcome.ENVIRONMENT_MISMATCH, "the attestation is for environment " + predicate.environment() + ", not "
          + expected.environment(), predicate, keyId);
    }
    String what = predicate.decision() + " for " + predicate.environment() + ", commit " + predicate.candidate() + ", repository "
        + predicate.repository() + ", tenant " + predicate.tenant() + ", revision "
        + predicate.revision() + ", decided " + predicate.decidedAt() + ", signed by key " + keyId;
    if (!predicate.permitsDeploy()) {
      String why = predicate.reasons().stream().filter(r -> !"WARNING".equals(r.code())).map(VerdictPredicate.Reason::message)
          .collect(Collectors.joining("; "));
      return new Result(Outcome.NOT_PERMITTED, "the verdict is " + predicate.decision() + (predicate.held() ? " (held)" : "")
          + (why.isEmpty() ? "" : ": " + why) + " [" + what + "]", predicate, keyId);
    }
    if (expected.maxAge() != null && predicate.decidedAt().plus(expected.maxAge()).isBefore(now)) {
      return new Result(Outcome.NOT_PERMITTED, "the verdict was decided at " + predicate.decidedAt() + ", more than "
          + Durations.format(expected.maxAge()) + " ago: request a new evaluation [" + what + "]", predicate, keyId);
    }
    if (predicate.decision().equals("OVERRIDDEN")) {
      Instant until = predicate.overrides().stream().map(VerdictPredicate.Vote::expiresAt).min(Instant::compareTo).orElse(null);
      if (until == null || !now.isBefore(until)) {
        return new Result(Outcome.NOT_PERMITTED, "the override " + (until == null ? "names no votes" : "expired at " + until)
            + ": request a new evaluation [" + what + "]", predicate, keyId);
      }
      what += ", overridden by " + predicate.overrides().stream().map(VerdictPredicate.Vote::approver)
          .collect(Collectors.joining(", ")) + " until " + until;
    }
    return new Result(Outcome.VERIFIED, "verified: " + what, predicate, keyId);
  }

  /** Why no signature verified: a known key whose signature fails means the envelope was altered. */
  private static String signatureFailure(Dsse.Envelope env, List<AttestationKey> keys) {
    List<String> named = env.signatures().stream().map(Dsse.Signature::keyId).filter(k -> !k.isEmpty()).toList();
    List<String> given = keys.stream().map(AttestationKey::keyId).toList();
    List<String> known = new ArrayList<>(named);
    known.retainAll(given);
    if (!known.isEmpty()) {
      return "the signature by key " + known.get(0) + " does not match the payload: the attestation was altered after it was "
          + "signed";
    }
    return "no signature verifies with the given key" + (given.size() == 1 ? " " : "s ") + String.join(", ", given)
        + (named.isEmpty() ? "" : "; the attestation was signed by key " + String.join(", ", named)
            + ", which is not among them (fetch it from GET /api/v1/attestations/keys, or the attestation is not Tollgate's)");
  }

  /** The digest values of every subject for {@code algorithm}. */
  private static List<String> digests(JsonNode statement, String algorithm) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : statement.path("subject")) {
      JsonNode d = s.path("digest").path(algorithm);
      if (d.isTextual()) {
        out.add(d.textValue().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  private static String quote(String s) {
    return s == null ? "missing" : "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
  }

  private static Result fail(Outcome outcome, String reason) {
    return new Result(outcome, reason, null, null);
  }
}
