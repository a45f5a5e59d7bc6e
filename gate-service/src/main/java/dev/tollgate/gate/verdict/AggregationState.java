package dev.tollgate.gate.verdict;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.override.Ballot;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.verdict.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the aggregator knows about one open evaluation. Stored as JSON in the aggregator's changelog-backed
 * store (an internal format, versioned by {@code version}); deleted some time after the decision.
 *
 * @param warningsBlock the server policy's setting for the environment
 * @param repoPolicy the repository policy from the first result that carried one, else null
 * @param decision null until decided
 * @param history the request's deploy history, passed on to every check
 * @param holdFor the environment's hold policy for calendar-only NO_GOs (zero: reject)
 * @param revision verdicts published so far
 * @param heldUntil when a held NO_GO is re-evaluated, else null
 * @param reasons the reasons of the last verdict published (an override lists them)
 * @param votes the standing override votes by voter ({@link Ballot}: one per person per revision)
 * @param notes reasons known from the request that every verdict repeats (the baseline Tollgate did not trust)
 * @param submittedBy the request's authenticated submitter, and {@code deployers} its platform identities: a deploy
 *     lock lets its holder's own deploys pass (null and empty in states stored before they were kept)
 * @param artifactDigest the artifact the request named ({@code sha256:<hex>}), a subject of every revision's
 *     attestation; null when none (and in states stored before it was kept)
 * @param source where the request came from: the namespace of {@code submittedBy} and {@code deployers} (a token's
 *     name, a GitHub or GitLab login); null in states stored before it was kept, whose deploys no deploy lock passes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record AggregationState(int version, String evaluationId, String requestId, DeployTarget target, Instant requestedAt,
    String serverPolicyVersion, boolean warningsBlock, Map<ProbeId, Slot> slots, RepoPolicy repoPolicy,
    Decision decision, Instant decidedAt, DeployHistory history, Duration holdFor, int revision, Instant heldUntil,
    java.util.List<dev.tollgate.contracts.verdict.Reason> reasons, Map<String, Ballot.Vote> votes,
    java.util.List<dev.tollgate.contracts.verdict.Reason> notes, String submittedBy, java.util.List<String> deployers,
    String artifactDigest, dev.tollgate.contracts.evaluation.Source source) {

  static final int VERSION = 1;

  AggregationState {
    slots = Collections.unmodifiableMap(new TreeMap<>(slots));
    reasons = reasons == null ? java.util.List.of() : java.util.List.copyOf(reasons);
    votes = votes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(votes));
    notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
    deployers = deployers == null ? java.util.List.of() : java.util.List.copyOf(deployers);
  }

  /**
   * One dispatched probe.
   *
   * @param dispatchedAt when its check was sent; its deadline counts from here
   * @param status null while pending
   * @param attempt which dispatch of the check a result must answer
   * @param ruleIds the distinct rule ids of the result's findings, sorted (the verdict and its attestation name them)
   * @param findingsTruncated the result said it had more findings than it carried
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Slot(boolean required, Duration deadline, Instant dispatchedAt, ProbeStatus status, String reason, int findings,
      int blocking, Instant completedAt, Instant retryAt, int attempt, java.util.List<String> ruleIds,
      boolean findingsTruncated) {
    Slot {
      ruleIds = ruleIds == null ? java.util.List.of() : java.util.List.copyOf(ruleIds);
    }

    static Slot pending(boolean required, Duration deadline, Instant dispatchedAt) {
      return new Slot(required, deadline, dispatchedAt, null, null, 0, 0, null, null, 1, null, false);
    }

    /** The same probe dispatched again. */
    Slot again(Instant at) {
      return new Slot(required, deadline, at, null, null, 0, 0, null, null, attempt + 1, null, false);
    }

    boolean pending() {
      return status == null;
    }
  }

  boolean decided() {
    return decision != null;
  }

  AggregationState withSlots(Map<ProbeId, Slot> newSlots) {
    return new AggregationState(version, evaluationId, requestId, target, requestedAt, serverPolicyVersion, warningsBlock,
        newSlots, repoPolicy, decision, decidedAt, history, holdFor, revision, heldUntil, reasons, votes, notes, submittedBy, deployers,
        artifactDigest, source);
  }

  AggregationState withRepoPolicy(RepoPolicy policy) {
    return new AggregationState(version, evaluationId, requestId, target, requestedAt, serverPolicyVersion, warningsBlock,
        slots, policy, decision, decidedAt, history, holdFor, revision, heldUntil, reasons, votes, notes, submittedBy, deployers,
        artifactDigest, source);
  }

  /** Decided: the verdict of {@code newRevision} was published; held until {@code until} (or null). */
  AggregationState decided(Decision d, Instant at, int newRevision, Instant until,
      java.util.List<dev.tollgate.contracts.verdict.Reason> newReasons) {
    return new AggregationState(version, evaluationId, requestId, target, requestedAt, serverPolicyVersion, warningsBlock,
        slots, repoPolicy, d, at, history, holdFor, newRevision, until, newReasons, votes, notes, submittedBy, deployers,
        artifactDigest, source);
  }

  AggregationState withVotes(Map<String, Ballot.Vote> newVotes) {
    return new AggregationState(version, evaluationId, requestId, target, requestedAt, serverPolicyVersion, warningsBlock,
        slots, repoPolicy, decision, decidedAt, history, holdFor, revision, heldUntil, reasons, newVotes, notes, submittedBy, deployers,
        artifactDigest, source);
  }

  /** Open again, waiting for the given slots (a held evaluation re-evaluated). */
  AggregationState reopened(Map<ProbeId, Slot> newSlots) {
    return new AggregationState(version, evaluationId, requestId, target, requestedAt, serverPolicyVersion, warningsBlock,
        newSlots, repoPolicy, null, null, history, holdFor, revision, null, reasons, votes, notes, submittedBy, deployers,
        artifactDigest, source);
  }
}
