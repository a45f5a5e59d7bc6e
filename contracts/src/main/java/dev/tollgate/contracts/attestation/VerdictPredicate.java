package dev.tollgate.contracts.attestation;

import static dev.tollgate.contracts.Checks.listOf;
import static dev.tollgate.contracts.Checks.requireText;
import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The predicate of a verdict attestation ({@value #PREDICATE_TYPE}): one verdict revision as Tollgate decided it. A
 * public, signed format: every field is listed here on purpose (nothing reaches it by being added to an internal
 * record), and none carries a secret value — rule ids, statuses and the reasons the verdict already shows, with
 * token-shaped strings masked. Schema: {@code schemas/VerdictPredicate.v1.schema.json}.
 *
 * @param baseline the commit running in the environment when it was decided, or null for a first deploy
 * @param decision {@code GO}, {@code NO_GO} or {@code OVERRIDDEN}; only GO and OVERRIDDEN permit the deploy
 * @param revision 1 for the first verdict of the evaluation; a re-evaluation or an override is the next
 * @param held a NO_GO the gate holds and decides again at {@code retryAt}
 * @param retryAt when a NO_GO whose blockers clear by themselves may pass, else null
 * @param overrides on an OVERRIDDEN verdict, the votes that counted; else empty
 * @param artifactDigests artifacts recorded for the candidate when it was decided ({@code sha256:<hex>}); they are
 *     also subjects of the statement
 * @param policyVersion the server (and repository) policy the verdict was decided under
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VerdictPredicate(String evaluationId, String tenant, String repository, String environment, String candidate,
    String baseline, String decision, int revision, boolean held, Instant retryAt, List<Reason> reasons, List<Probe> probes,
    List<Vote> overrides, List<String> artifactDigests, String policyVersion, Instant requestedAt, Instant decidedAt) {

  /** The in-toto predicate type of a verdict. */
  public static final String PREDICATE_TYPE = "https://tollgate.dev/attestation/verdict/v1";
  /** The in-toto Statement type this predicate travels in. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  /** The DSSE payload type of an in-toto statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  public VerdictPredicate {
    requireText(evaluationId, "predicate.evaluationId");
    requireText(tenant, "predicate.tenant");
    requireText(repository, "predicate.repository");
    requireText(environment, "predicate.environment");
    requireText(candidate, "predicate.candidate");
    requireText(decision, "predicate.decision");
    requireText(policyVersion, "predicate.policyVersion");
    requireValue(decidedAt, "predicate.decidedAt");
    reasons = listOf(reasons);
    probes = listOf(probes);
    overrides = listOf(overrides);
    artifactDigests = listOf(artifactDigests);
  }

  /** True when the decision lets the deploy go ahead (GO, or a NO_GO overridden by its approvers). */
  public boolean permitsDeploy() {
    return decision.equals("GO") || decision.equals("OVERRIDDEN");
  }

  /**
   * One reason of the verdict.
   *
   * @param code the machine-readable reason ({@code PROBE_FAILED}, {@code OVERRIDDEN}, ...)
   * @param probe the probe it is about, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Reason(String code, String probe, String message) {}

  /**
   * One probe's part.
   *
   * @param status {@code PASS}, {@code WARN}, {@code FAIL}, {@code ERROR} or {@code TIMED_OUT}
   * @param ruleIds the distinct rule ids of its findings, sorted
   * @param findingsTruncated the probe found more than it reported: {@code ruleIds} may be incomplete
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Probe(String probe, boolean required, String status, String reason, Duration deadline, int findings,
      int blocking, List<String> ruleIds, boolean findingsTruncated) {
    public Probe {
      ruleIds = listOf(ruleIds);
    }
  }

  /** One override vote that counted: who accepted the risk, why, when, and until when the vote held. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Vote(String approver, String reason, Instant votedAt, Instant expiresAt) {}
}
