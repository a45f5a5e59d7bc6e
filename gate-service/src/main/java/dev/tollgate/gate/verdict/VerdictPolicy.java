package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.override.Ballot;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.OverrideVote;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ProbeRequirement;
import dev.tollgate.gate.verdict.AggregationState.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The decision, as a pure function of what is known and the time: no I/O, no clock of its own.
 *
 * <ul>
 *   <li>A required probe that FAILs, ERRORs, answers an unknown status, or gives no result by its deadline → NO_GO.
 *   <li>An invalid repository policy → NO_GO.
 *   <li>WARN → GO with warnings, unless the server or repository policy says warnings block.
 *   <li>The verdict waits until every required probe answered or ran out of time, so it lists every reason at
 *       once; optional probes are not waited for.
 *   <li>The repository policy may only tighten: union of required probes, the shorter deadline, warnings block
 *       if either says so.
 * </ul>
 */
public final class VerdictPolicy {
  /** An artifact digest as deploy records carry it ({@code sha256:<hex>}). */

  private VerdictPolicy() {}

  /**
   * Decides without Kafka (the {@code check} command): the environment's probes are dispatched at
   * {@code dispatchedAt}, every result is recorded (results of probes the repository policy added count as
   * required), and the verdict is taken at {@code now}; a probe without a result counts as timed out.
   */
  public static VerdictReached decideOffline(EvaluationRequested request, EnvironmentPolicy env, String serverPolicyVersion,
      List<ProbeCompleted> results, Instant dispatchedAt, Instant now) {
    AggregationState state = dispatch(request, env, serverPolicyVersion, dispatchedAt);
    Set<ProbeId> extra = new LinkedHashSet<>();
    results.forEach(r -> {
      if (!state.slots().containsKey(r.probe())) {
        extra.add(r.probe());
      }
    });
    AggregationState withExtra = addRequired(state, extra, env.defaultDeadline(), dispatchedAt);
    AggregationState recorded = withExtra;
    for (ProbeCompleted r : results) {
      recorded = record(recorded, r);
    }
    AggregationState done = recorded;
    // Deadlines are at most 1h, so a day later every missing result counts as timed out.
    return decide(done, now).orElseGet(() -> decide(done, now.plus(Duration.ofDays(1))).orElseThrow());
  }

  /** The state right after dispatching the environment's probes plus the ones the request added. */
  static AggregationState dispatch(EvaluationRequested request, EnvironmentPolicy env, String serverPolicyVersion,
      Instant now) {
    Map<ProbeId, Slot> slots = new TreeMap<>();
    env.probes().forEach((probe, req) -> slots.put(probe, Slot.pending(req.required(), req.deadline(), now)));
    for (ProbeId extra : request.extraProbes()) {
      ProbeRequirement req = env.probes().get(extra);
      slots.put(extra, Slot.pending(true, req == null ? env.defaultDeadline() : req.deadline(), now));
    }
    return new AggregationState(AggregationState.VERSION, request.evaluationId(), request.requestId(), request.target(),
        request.requestedAt(), serverPolicyVersion, env.warningsBlock(), slots, null, null, null, request.history(),
        env.holdFor(), 0, null, List.of(), Map.of(), notes(request), request.submittedBy(), request.deployers(),
        request.artifactDigest(), request.source());
  }

  /** What the request itself tells every verdict: the baseline asked for that Tollgate did not trust, and what it used. */
  static List<Reason> notes(EvaluationRequested request) {
    String untrusted = request.untrustedBaseline();
    if (untrusted == null) {
      return List.of();
    }
    String used = request.target().baseline();
    // Short ids: the full ones are the evaluation's untrustedBaseline and baseline.
    return List.of(new Reason(ReasonCode.WARNING, null, "baseline " + untrusted.substring(0, 12) + " is not trusted "
        + "(Tollgate decided no GO or OVERRIDDEN for it in " + request.target().environment() + ", or nobody who may vouch"
        + " for its deploy reported it): checked "
        + (used == null ? "as a first deploy (the whole tree)"
            : "from " + used.substring(0, 12) + ", the last deploy it decided GO for")));
  }

  /** Records a result; the first result per probe wins (delivery is at-least-once). Unknown probes are ignored. */
  static AggregationState record(AggregationState state, ProbeCompleted result) {
    Slot slot = state.slots().get(result.probe());
    AggregationState next = state;
    if (state.repoPolicy() == null && result.repoPolicy() != null) {
      next = next.withRepoPolicy(result.repoPolicy());
    }
    if (slot == null || !slot.pending() || slot.attempt() != result.attempt()) {
      return next; // unknown probe, a duplicate, or the answer to an earlier attempt
    }
    int blocking = (int) result.findings().stream()
        .filter(f -> f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN).count();
    List<String> ruleIds = result.findings().stream().map(Finding::ruleId).distinct().sorted().toList();
    Map<ProbeId, Slot> slots = new TreeMap<>(next.slots());
    slots.put(result.probe(), new Slot(slot.required(), slot.deadline(), slot.dispatchedAt(), result.status(),
        result.reason(), result.findings().size(), blocking, result.completedAt(), result.retryAt(), slot.attempt(), ruleIds,
        result.findingsTruncated()));
    return next.withSlots(slots);
  }

  /** Probes the repository policy requires that were not dispatched yet. */
  static Set<ProbeId> undispatchedRequirements(AggregationState state) {
    Set<ProbeId> missing = new LinkedHashSet<>();
    if (state.repoPolicy() != null && state.repoPolicy().error() == null) {
      for (ProbeId p : state.repoPolicy().requiredProbes()) {
        if (!state.slots().containsKey(p)) {
          missing.add(p);
        }
      }
    }
    return missing;
  }

  /** Adds slots for probes dispatched later (required by the repository policy). */
  static AggregationState addRequired(AggregationState state, Set<ProbeId> probes, Duration deadline, Instant now) {
    Map<ProbeId, Slot> slots = new TreeMap<>(state.slots());
    probes.forEach(p -> slots.putIfAbsent(p, Slot.pending(true, deadline, now)));
    return state.withSlots(slots);
  }

  /** The verdict if it can be decided at {@code now}, else empty. */
  static Optional<VerdictReached> decide(AggregationState state, Instant now) {
    if (state.decided()) {
      return Optional.empty();
    }
    RepoPolicy repo = state.repoPolicy();
    boolean anyPending = false;
    boolean requiredPending = false;
    for (var e : state.slots().entrySet()) {
      Slot s = e.getValue();
      if (s.pending() && !timedOut(s, e.getKey(), repo, now)) {
        anyPending = true;
        requiredPending |= required(s, e.getKey(), repo);
      }
    }
    // Without the repository policy we do not know every requirement yet: wait for a result or the deadlines.
    if (requiredPending || (repo == null && anyPending)) {
      return Optional.empty();
    }
    boolean warningsBlock = state.warningsBlock() || (repo != null && repo.warningsBlock());
    List<Reason> blocking = new ArrayList<>();
    List<Reason> warnings = new ArrayList<>();
    List<ProbeSummary> summaries = new ArrayList<>();
    if (repo != null && repo.error() != null) {
      blocking.add(new Reason(ReasonCode.REPO_POLICY_INVALID, null, "invalid repository policy " + repo.source() + ": " + repo.error()));
    }
    for (var e : state.slots().entrySet()) {
      ProbeId probe = e.getKey();
      Slot s = e.getValue();
      boolean required = required(s, probe, repo);
      Duration deadline = effectiveDeadline(s, probe, repo);
      ProbeSummary summary = summary(probe, s, repo, now);
      if (summary == null) {
        continue; // an optional probe still running: not part of this verdict
      }
      ProbeStatus status = summary.status();
      summaries.add(summary);
      Reason reason = reason(probe, status, s.reason(), deadline);
      if (reason == null) {
        continue;
      }
      if (status == ProbeStatus.WARN) {
        if (required && warningsBlock) {
          blocking.add(new Reason(ReasonCode.WARNINGS_BLOCK, probe,
              "probe " + probe + " warned and warnings block this environment: " + s.reason()));
        } else {
          warnings.add(reason);
        }
      } else if (required) {
        blocking.add(reason);
      } else {
        warnings.add(new Reason(ReasonCode.WARNING, probe, "optional " + reason.message()));
      }
    }
    warnings.addAll(state.notes());
    if (state.slots().isEmpty()) {
      warnings.add(new Reason(ReasonCode.WARNING, null, "no probes are configured for environment " + state.target().environment()));
    }
    Decision decision = blocking.isEmpty() ? Decision.GO : Decision.NO_GO;
    List<Reason> reasons = new ArrayList<>(blocking);
    reasons.addAll(warnings);
    String policyVersion = "server:" + state.serverPolicyVersion() + (repo == null ? "" : ";repo:" + repo.source());
    Instant retryAt = decision == Decision.NO_GO ? retryAt(state, blocking) : null;
    boolean held = retryAt != null && state.holdFor() != null && !state.holdFor().isZero()
        && !retryAt.isAfter(state.requestedAt().plus(state.holdFor()));
    return Optional.of(VerdictReached.of(state.evaluationId(), state.requestId(), state.target(), decision, reasons, summaries,
        policyVersion, state.requestedAt(), now, state.revision() + 1, retryAt, held)
        .withArtifactDigests(artifactDigests(state)));
  }

  /** One probe's part in a verdict decided at {@code now}, or null for an optional probe still running. */
  private static ProbeSummary summary(ProbeId probe, Slot s, RepoPolicy repo, Instant now) {
    ProbeStatus status = s.pending() ? (timedOut(s, probe, repo, now) ? ProbeStatus.TIMED_OUT : null) : s.status();
    if (status == null) {
      return null;
    }
    return new ProbeSummary(probe, required(s, probe, repo), status, s.reason(), effectiveDeadline(s, probe, repo),
        s.findings(), s.blocking(), s.ruleIds(), s.findingsTruncated());
  }

  /**
   * The artifacts of the candidate when the evaluation was requested, sorted: the one the request named (what this
   * deploy ships), and those recorded by deploys of the candidate in the target environment (a redeploy) and in the
   * environments it was deployed to before (a promotion).
   */
  static List<String> artifactDigests(AggregationState state) {
    Set<String> digests = new java.util.TreeSet<>();
    if (dev.tollgate.contracts.Checks.isArtifactDigest(state.artifactDigest())) {
      digests.add(state.artifactDigest());
    }
    if (state.history() != null) {
      state.history().deploys().stream().filter(d -> d.commit().equals(state.target().candidate()))
          .map(DeployRecord::artifactDigest).filter(dev.tollgate.contracts.Checks::isArtifactDigest).forEach(digests::add);
      state.history().candidate().values().stream().filter(CandidateStatus::deployed).map(CandidateStatus::artifactDigest)
          .filter(dev.tollgate.contracts.Checks::isArtifactDigest).forEach(digests::add);
    }
    return List.copyOf(digests);
  }

  /**
   * The blocking reasons of a verdict that nobody may override under {@code policy}: an invalid repository policy,
   * a rejected request, an unknown reason, or a failure of a probe the policy lists as not overridable (a leaked
   * secret, by default). Empty when the NO_GO may be overridden.
   */
  public static List<Reason> notOverridable(List<Reason> reasons, dev.tollgate.gate.policy.OverridePolicy policy) {
    List<Reason> out = new ArrayList<>();
    for (Reason r : reasons) {
      switch (r.code()) {
        case WARNING, OVERRIDDEN -> { }
        case PROBE_FAILED, PROBE_ERRORED, PROBE_TIMED_OUT, PROBE_STATUS_UNKNOWN, WARNINGS_BLOCK, OVERRIDE_EXPIRED -> {
          if (r.probe() != null && policy.notOverridable().contains(r.probe())) {
            out.add(r);
          }
        }
        default -> out.add(r);
      }
    }
    return out;
  }

  /**
   * True for a NO_GO that the environment's approvers may still override: it is final, not held, has approvers and
   * no blocking reason {@link #notOverridable}. Platforms are then not told to reject the deploy (their rejection is
   * final) but to wait: an OVERRIDDEN revision approves it, a new deploy replaces it.
   */
  public static boolean awaitsOverride(VerdictReached v, dev.tollgate.gate.policy.ServerPolicy policy) {
    if (v.decision() != Decision.NO_GO || v.held()) {
      return false;
    }
    return policy.environment(v.target().environment()).map(EnvironmentPolicy::overrides)
        .filter(o -> !o.approvers().isEmpty() && notOverridable(v.reasons(), o).isEmpty()).isPresent();
  }

  /**
   * The OVERRIDDEN verdict once {@code required} distinct approvers approved this revision within their votes'
   * validity, else empty (a rejection or a withdrawn approval counts for nothing). The verdict keeps the NO_GO's
   * reasons and adds who overrode it and why.
   */
  static Optional<VerdictReached> override(AggregationState state, int required, Instant now) {
    Map<String, Ballot.Vote> valid = new TreeMap<>();
    state.votes().forEach((who, vote) -> {
      if (vote.approves(state.revision(), now)) {
        valid.put(who, vote);
      }
    });
    if (state.decision() != Decision.NO_GO || valid.size() < required) {
      return Optional.empty();
    }
    Instant expires = valid.values().stream().map(Ballot.Vote::expiresAt).min(Instant::compareTo).orElseThrow();
    String why = "overridden by " + String.join(", ", valid.keySet()) + ": "
        + String.join("; ", valid.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().reason()).toList())
        + " (valid until " + expires + ", for this commit only)";
    List<Reason> reasons = new ArrayList<>(state.reasons().stream().filter(r -> r.code() != ReasonCode.WARNING).toList());
    reasons.add(new Reason(ReasonCode.OVERRIDDEN, null, why));
    String policyVersion = "server:" + state.serverPolicyVersion()
        + (state.repoPolicy() == null ? "" : ";repo:" + state.repoPolicy().source());
    // The probes as the overridden NO_GO showed them: the slots have not changed since, so the same time gives the same list.
    List<ProbeSummary> probes = new ArrayList<>();
    state.slots().forEach((probe, slot) -> {
      ProbeSummary summary = summary(probe, slot, state.repoPolicy(), state.decidedAt());
      if (summary != null) {
        probes.add(summary);
      }
    });
    List<OverrideVote> votes = valid.entrySet().stream()
        .map(e -> new OverrideVote(e.getKey(), e.getValue().reason(), e.getValue().at(), e.getValue().expiresAt())).toList();
    return Optional.of(VerdictReached.of(state.evaluationId(), state.requestId(), state.target(), Decision.OVERRIDDEN, reasons,
        probes, policyVersion, state.requestedAt(), now, state.revision() + 1, null, false)
        .withOverrides(votes).withArtifactDigests(artifactDigests(state)));
  }

  /**
   * Re-opens a held evaluation at the end of its window: every probe whose findings were to clear by themselves
   * is dispatched again (next attempt); the other results stand.
   */
  static AggregationState reopen(AggregationState state, Instant now) {
    Map<ProbeId, Slot> slots = new TreeMap<>(state.slots());
    slots.replaceAll((probe, slot) -> slot.retryAt() != null ? slot.again(now) : slot);
    return state.reopened(slots);
  }

  /**
   * When a NO_GO may pass by itself: only if every blocking reason is a failed probe whose findings all clear
   * at a known time (calendar windows); then the latest of those times.
   */
  static Instant retryAt(AggregationState state, List<Reason> blocking) {
    Instant latest = null;
    for (Reason r : blocking) {
      Slot s = r.probe() == null ? null : state.slots().get(r.probe());
      if (r.code() != ReasonCode.PROBE_FAILED || s == null || s.retryAt() == null) {
        return null;
      }
      latest = latest == null || s.retryAt().isAfter(latest) ? s.retryAt() : latest;
    }
    return latest;
  }

  /**
   * The earliest deadline of a probe still pending that falls after {@code after}, if any: when time alone can next
   * change what {@link #decide} answers for an open evaluation (results change it too, but they arrive as records).
   */
  static Optional<Instant> deadlineAfter(AggregationState state, Instant after) {
    Instant earliest = null;
    for (var e : state.slots().entrySet()) {
      Slot s = e.getValue();
      if (s.pending()) {
        Instant deadline = s.dispatchedAt().plus(effectiveDeadline(s, e.getKey(), state.repoPolicy()));
        if (deadline.isAfter(after) && (earliest == null || deadline.isBefore(earliest))) {
          earliest = deadline;
        }
      }
    }
    return Optional.ofNullable(earliest);
  }

  private static Reason reason(ProbeId probe, ProbeStatus status, String detail, Duration deadline) {
    String d = detail == null || detail.isBlank() ? "" : ": " + detail;
    return switch (status) {
      case PASS -> null;
      case WARN -> new Reason(ReasonCode.WARNING, probe, "probe " + probe + " warned" + d);
      case FAIL -> new Reason(ReasonCode.PROBE_FAILED, probe, "probe " + probe + " failed" + d);
      case ERROR -> new Reason(ReasonCode.PROBE_ERRORED, probe, "probe " + probe + " could not decide" + d);
      case TIMED_OUT -> new Reason(ReasonCode.PROBE_TIMED_OUT, probe,
          "probe " + probe + " gave no result within " + Durations.format(deadline));
      case UNKNOWN -> new Reason(ReasonCode.PROBE_STATUS_UNKNOWN, probe,
          "probe " + probe + " answered with a status this gate does not know" + d);
    };
  }

  private static boolean required(Slot slot, ProbeId probe, RepoPolicy repo) {
    return slot.required() || (repo != null && repo.requiredProbes().contains(probe));
  }

  private static Duration effectiveDeadline(Slot slot, ProbeId probe, RepoPolicy repo) {
    Duration repoDeadline = repo == null ? null : repo.deadlines().get(probe);
    return repoDeadline != null && repoDeadline.compareTo(slot.deadline()) < 0 ? repoDeadline : slot.deadline();
  }

  private static boolean timedOut(Slot slot, ProbeId probe, RepoPolicy repo, Instant now) {
    return !now.isBefore(slot.dispatchedAt().plus(effectiveDeadline(slot, probe, repo)));
  }
}
