package dev.tollgate.gate.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.override.Ballot;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One evaluation as the API (and {@code tollgate check --format json}) shows it: what was asked, each probe's
 * result with its findings, and the verdict. Built from the messages of one evaluation in any order.
 *
 * @param status {@code PENDING} until the verdict, then {@code COMPLETE}
 * @param baseline the baseline the range was checked from (the gate's choice: see {@code untrustedBaseline})
 * @param overrides the standing approvals (withdrawn ones are gone; the audit log keeps them)
 * @param requestFingerprint hash of the request, to detect a reused idempotency key (not shown in JSON)
 * @param votes every standing vote, approve or reject, with the verdict revision it was cast on
 * @param untrustedBaseline the baseline asked for (or last deployed) that Tollgate did not trust and replaced, or null
 * @param artifactDigest the artifact the request named ({@code sha256:<hex>}), or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EvaluationView(String id, String status, String tenant, String repository, String environment,
    String candidate, String baseline, String source, String requestedBy, String requestId, Instant requestedAt,
    Verdict verdict, List<ProbeView> probes, List<OverrideView> overrides,
    @com.fasterxml.jackson.annotation.JsonIgnore String requestFingerprint, List<VoteView> votes, String untrustedBaseline,
    String artifactDigest) {

  /** Without votes and baseline notes (callers that build views by hand). */
  public EvaluationView(String id, String status, String tenant, String repository, String environment, String candidate,
      String baseline, String source, String requestedBy, String requestId, Instant requestedAt, Verdict verdict,
      List<ProbeView> probes, List<OverrideView> overrides, String requestFingerprint) {
    this(id, status, tenant, repository, environment, candidate, baseline, source, requestedBy, requestId, requestedAt,
        verdict, probes, overrides, requestFingerprint, List.of(), null, null);
  }

  /** One standing approval: who accepted the risk, why, until when. */
  public record OverrideView(String approver, String reason, Instant recordedAt, Instant expiresAt) {}

  /**
   * One standing vote.
   *
   * @param decision {@code APPROVE} or {@code REJECT}
   * @param revision the verdict revision it was cast on (0: unknown, recorded before revisions were)
   */
  public record VoteView(String voter, String decision, int revision, String reason, Instant recordedAt, Instant expiresAt) {}

  /** The standing vote of {@code person} (case-insensitive), if any. */
  public java.util.Optional<VoteView> voteOf(String person) {
    return votes.stream().filter(v -> v.voter().equalsIgnoreCase(person)).findFirst();
  }

  /**
   * The verdict part.
   *
   * @param revision 1, or higher after a held evaluation was re-evaluated
   * @param held the gate waits until {@code retryAt} and decides again
   */
  public record Verdict(String decision, List<Reason> reasons, String policyVersion, Instant decidedAt, long durationMs,
      int revision, Instant retryAt, boolean held) {}

  /**
   * One probe's part.
   *
   * @param status {@code PENDING} until a result or the verdict arrives
   * @param completedAt when the worker finished (null until a result), the dashboard's timeline
   */
  public record ProbeView(String probe, Boolean required, String status, String reason, Instant deadline, Long durationMs,
      String worker, List<Finding> findings, boolean findingsTruncated, Instant completedAt) {
    /** Without the completion time (callers that build views by hand). */
    public ProbeView(String probe, Boolean required, String status, String reason, Instant deadline, Long durationMs,
        String worker, List<Finding> findings, boolean findingsTruncated) {
      this(probe, required, status, reason, deadline, durationMs, worker, findings, findingsTruncated, null);
    }
  }

  /** True once the verdict is known. */
  public boolean complete() {
    return verdict != null;
  }

  /**
   * Renders the view from what is known. {@code request} or {@code verdict} must be present (they carry the
   * target).
   */
  public static EvaluationView of(String id, EvaluationRequested request, Map<ProbeId, CheckRequested> checks,
      Map<ProbeId, ProbeCompleted> results, VerdictReached verdict) {
    return of(id, request, checks, results, verdict, List.of());
  }

  /** Renders the view, with the override votes recorded so far. */
  public static EvaluationView of(String id, EvaluationRequested request, Map<ProbeId, CheckRequested> checks,
      Map<ProbeId, ProbeCompleted> results, VerdictReached verdict, List<OverrideRecorded> overrides) {
    DeployTarget target = request != null ? request.target() : verdict.target();
    Set<ProbeId> probes = new TreeSet<>(checks.keySet());
    probes.addAll(results.keySet());
    if (verdict != null) {
      verdict.probes().forEach(s -> probes.add(s.probe()));
    }
    List<ProbeView> probeViews = new ArrayList<>();
    for (ProbeId p : probes) {
      CheckRequested check = checks.get(p);
      ProbeCompleted result = results.get(p);
      if (check != null && result != null && result.attempt() < check.attempt()) {
        result = null; // dispatched again (a held evaluation re-evaluated): the old answer no longer counts
      }
      ProbeSummary summary = verdict == null ? null
          : verdict.probes().stream().filter(s -> s.probe().equals(p)).findFirst().orElse(null);
      boolean redispatched = check != null && check.attempt() > 1 && result == null;
      String status = result != null ? result.status().name()
          : summary != null && !redispatched ? summary.status().name() : "PENDING";
      String reason = result != null ? result.reason() : summary != null && !redispatched ? summary.reason() : null;
      Long duration = result != null && result.startedAt() != null
          ? Duration.between(result.startedAt(), result.completedAt()).toMillis() : null;
      probeViews.add(new ProbeView(p.value(), summary == null ? null : summary.required(), status, reason,
          check == null ? null : check.deadline(), duration, result == null ? null : result.worker(),
          result == null ? List.of() : result.findings(), result != null && result.findingsTruncated(),
          result == null ? null : result.completedAt()));
    }
    Verdict v = verdict == null ? null : new Verdict(verdict.decision().name(), verdict.reasons(), verdict.policyVersion(),
        verdict.decidedAt(), verdict.requestedAt() == null ? 0 : Duration.between(verdict.requestedAt(), verdict.decidedAt()).toMillis(),
        verdict.revision(), verdict.retryAt(), verdict.held());
    List<VoteView> votes = new ArrayList<>();
    Ballot.of(overrides).forEach((who, vote) -> votes.add(new VoteView(who, vote.decision().name(), vote.revision(),
        vote.reason(), vote.at(), vote.expiresAt())));
    votes.sort(java.util.Comparator.comparing(VoteView::recordedAt));
    return new EvaluationView(id, verdict == null ? "PENDING" : "COMPLETE", target.tenant(), target.repository(),
        target.environment(), target.candidate(), target.baseline(),
        request == null ? null : request.source().name(), request == null ? null : request.requestedBy(),
        request != null ? request.requestId() : verdict.requestId(),
        request != null ? request.requestedAt() : verdict.requestedAt(), v, probeViews,
        votes.stream().filter(x -> x.decision().equals("APPROVE"))
            .map(x -> new OverrideView(x.voter(), x.reason(), x.recordedAt(), x.expiresAt())).toList(),
        request == null ? null : request.requestFingerprint(), List.copyOf(votes),
        request == null ? null : request.untrustedBaseline(), request == null ? null : request.artifactDigest());
  }
}
