package dev.tollgate.gate.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ProbeRequirement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision function, with a fixed notion of time: no broker, no clock. */
class VerdictPolicyTest {
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final ProbeId A = ProbeId.of("alpha");
  static final ProbeId B = ProbeId.of("beta");
  static final ProbeId C = ProbeId.of("gamma");
  static final DeployTarget TARGET = new DeployTarget("acme", "/r", "production",
      "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null);
  static final EvaluationRequested REQUEST = EvaluationRequested.of("ev", "req", TARGET, Source.API, "ci", null, null, null,
      List.of(), T0, null);

  static EnvironmentPolicy env(boolean warningsBlock, Map<ProbeId, ProbeRequirement> probes) {
    return new EnvironmentPolicy("production", probes, Duration.ofSeconds(60), warningsBlock, Duration.ofDays(7),
        dev.tollgate.gate.policy.OverridePolicy.NONE);
  }

  static ProbeCompleted result(ProbeId probe, ProbeStatus status, RepoPolicy policy, Instant retryAt) {
    return ProbeCompleted.of("ev", "ev/" + probe, "req", probe, status, status + " reason", List.of(), false, policy, "w",
        T0, T0.plusSeconds(1), retryAt);
  }

  static ProbeCompleted result(ProbeId probe, ProbeStatus status) {
    return result(probe, status, RepoPolicy.none(), null);
  }

  static AggregationState dispatched(EnvironmentPolicy env) {
    return VerdictPolicy.dispatch(REQUEST, env, "v1", T0);
  }

  static final Map<ProbeId, ProbeRequirement> A_AND_B = Map.of(
      A, new ProbeRequirement(true, Duration.ofSeconds(30)), B, new ProbeRequirement(true, Duration.ofSeconds(30)));

  @Test
  void waitsForEveryRequiredProbeThenGoes() {
    AggregationState s = VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.PASS));
    assertTrue(VerdictPolicy.decide(s, T0.plusSeconds(5)).isEmpty(), "beta still running");
    s = VerdictPolicy.record(s, result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(5)).orElseThrow();
    assertEquals(Decision.GO, v.decision());
    assertTrue(v.reasons().isEmpty());
    assertEquals("server:v1;repo:none", v.policyVersion());
  }

  @Test
  void failErrorAndUnknownStatusesBlock() {
    for (ProbeStatus status : List.of(ProbeStatus.FAIL, ProbeStatus.ERROR, ProbeStatus.UNKNOWN)) {
      AggregationState s = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, status)),
          result(B, ProbeStatus.PASS));
      VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
      assertEquals(Decision.NO_GO, v.decision(), status.name());
    }
  }

  @Test
  void aRequiredProbeWithoutAResultByItsDeadlineTimesOut() {
    AggregationState s = VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.PASS));
    assertTrue(VerdictPolicy.decide(s, T0.plusSeconds(29)).isEmpty());
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(30)).orElseThrow();
    assertEquals(Decision.NO_GO, v.decision());
    assertEquals(new Reason(ReasonCode.PROBE_TIMED_OUT, B, "probe beta gave no result within 30s"), v.reasons().get(0));
    assertEquals(ProbeStatus.TIMED_OUT, v.probes().get(1).status());
  }

  @Test
  void theFirstResultWinsForRedeliveredChecks() {
    AggregationState s = VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.FAIL));
    s = VerdictPolicy.record(s, result(A, ProbeStatus.PASS));
    s = VerdictPolicy.record(s, result(B, ProbeStatus.PASS));
    assertEquals(Decision.NO_GO, VerdictPolicy.decide(s, T0).orElseThrow().decision());
  }

  @Test
  void optionalProbesNeitherBlockNorAreWaitedFor() {
    AggregationState s = dispatched(env(false, Map.of(A, new ProbeRequirement(true, Duration.ofSeconds(30)),
        C, new ProbeRequirement(false, Duration.ofSeconds(30)))));
    s = VerdictPolicy.record(s, result(A, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
    assertEquals(Decision.GO, v.decision(), "gamma is optional and still running: not waited for");
    assertEquals(1, v.probes().size());

    AggregationState failed = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, Map.of(
        A, new ProbeRequirement(true, Duration.ofSeconds(30)), C, new ProbeRequirement(false, Duration.ofSeconds(30))))),
        result(C, ProbeStatus.FAIL)), result(A, ProbeStatus.PASS));
    VerdictReached w = VerdictPolicy.decide(failed, T0.plusSeconds(1)).orElseThrow();
    assertEquals(Decision.GO, w.decision());
    assertEquals(ReasonCode.WARNING, w.reasons().get(0).code());
    assertTrue(w.reasons().get(0).message().startsWith("optional probe gamma failed"));
  }

  @Test
  void warningsGoUnlessThePolicyMakesThemBlock() {
    AggregationState lax = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.WARN)),
        result(B, ProbeStatus.PASS));
    assertEquals(Decision.GO, VerdictPolicy.decide(lax, T0).orElseThrow().decision());
    AggregationState strict = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(true, A_AND_B)), result(A, ProbeStatus.WARN)),
        result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(strict, T0).orElseThrow();
    assertEquals(Decision.NO_GO, v.decision());
    assertEquals(ReasonCode.WARNINGS_BLOCK, v.reasons().get(0).code());
  }

  @Test
  void theRepositoryPolicyOnlyTightens() {
    Map<ProbeId, ProbeRequirement> aRequiredCOptional = Map.of(A, new ProbeRequirement(true, Duration.ofSeconds(30)),
        C, new ProbeRequirement(false, Duration.ofSeconds(30)));
    RepoPolicy repo = new RepoPolicy(".tollgate.yml@x", List.of(C), Map.of(A, Duration.ofSeconds(5), C, Duration.ofHours(1)),
        true, null);
    AggregationState s = VerdictPolicy.record(dispatched(env(false, aRequiredCOptional)), result(C, ProbeStatus.WARN, repo, null));
    assertTrue(VerdictPolicy.decide(s, T0.plusSeconds(4)).isEmpty(), "alpha still within the shorter deadline");
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(5)).orElseThrow();
    assertEquals(Decision.NO_GO, v.decision());
    assertEquals("probe alpha gave no result within 5s", v.reasons().get(0).message(), "the repository's shorter deadline applies");
    assertEquals(ReasonCode.WARNINGS_BLOCK, v.reasons().get(1).code(), "gamma became required and warnings block");
    assertEquals(Duration.ofSeconds(30), v.probes().get(1).deadline(), "a longer repository deadline is ignored");
  }

  @Test
  void anInvalidRepositoryPolicyIsANoGo() {
    RepoPolicy invalid = RepoPolicy.invalid(".tollgate.yml@x", "environments.production.requiredProbes: unknown probe \"x\"");
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)),
        result(A, ProbeStatus.PASS, invalid, null)), result(B, ProbeStatus.PASS, invalid, null));
    VerdictReached v = VerdictPolicy.decide(s, T0).orElseThrow();
    assertEquals(Decision.NO_GO, v.decision());
    assertEquals(ReasonCode.REPO_POLICY_INVALID, v.reasons().get(0).code());
  }

  @Test
  void probesTheRepositoryRequiresAreDispatchedLater() {
    RepoPolicy repo = new RepoPolicy("r", List.of(C), Map.of(), false, null);
    AggregationState s = VerdictPolicy.record(dispatched(env(false, Map.of(A, new ProbeRequirement(true, Duration.ofSeconds(30))))),
        result(A, ProbeStatus.PASS, repo, null));
    assertEquals(java.util.Set.of(C), VerdictPolicy.undispatchedRequirements(s));
    s = VerdictPolicy.addRequired(s, VerdictPolicy.undispatchedRequirements(s), Duration.ofSeconds(10), T0.plusSeconds(2));
    assertTrue(VerdictPolicy.decide(s, T0.plusSeconds(3)).isEmpty(), "waits for gamma");
    assertEquals("probe gamma gave no result within 10s", VerdictPolicy.decide(s, T0.plusSeconds(12)).orElseThrow().reasons()
        .get(0).message());
  }

  @Test
  void aNoGoThatOnlyWaitsForAWindowSaysWhenItMayPass() {
    Instant windowEnds = T0.plus(Duration.ofHours(14));
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)),
        result(A, ProbeStatus.FAIL, RepoPolicy.none(), windowEnds)), result(B, ProbeStatus.PASS));
    assertEquals(windowEnds, VerdictPolicy.decide(s, T0).orElseThrow().retryAt());
    AggregationState mixed = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)),
        result(A, ProbeStatus.FAIL, RepoPolicy.none(), windowEnds)), result(B, ProbeStatus.FAIL));
    assertNull(VerdictPolicy.decide(mixed, T0).orElseThrow().retryAt(), "another failure does not clear by itself");
  }

  @Test
  void waitsForTheRepositoryPolicyBeforeDecidingOnlyOptionalProbes() {
    AggregationState s = dispatched(env(false, Map.of(C, new ProbeRequirement(false, Duration.ofSeconds(30)))));
    assertEquals(Optional.empty(), VerdictPolicy.decide(s, T0.plusSeconds(1)),
        "no result yet: the repository might still require gamma");
    assertEquals(Decision.GO, VerdictPolicy.decide(s, T0.plusSeconds(31)).orElseThrow().decision());
  }

  static dev.tollgate.gate.policy.ServerPolicy withApprovers(List<String> approvers) {
    var overrides = new dev.tollgate.gate.policy.OverridePolicy(approvers, 1, Duration.ofHours(4), java.util.Set.of(ProbeId.SECRETS));
    return new dev.tollgate.gate.policy.ServerPolicy(Map.of("production", new EnvironmentPolicy("production", A_AND_B,
        Duration.ofSeconds(60), false, Duration.ofDays(7), overrides)), "test");
  }

  static VerdictReached verdict(Decision decision, boolean held, Reason... reasons) {
    return VerdictReached.of("ev", "req", TARGET, decision, List.of(reasons), List.of(), "v1", T0, T0.plusSeconds(1), 1,
        held ? T0.plusSeconds(3600) : null, held);
  }

  @Test
  void aFinalNoGoWithApproversAwaitsOverride() {
    Reason failed = new Reason(ReasonCode.PROBE_FAILED, A, "probe alpha failed");
    assertTrue(VerdictPolicy.awaitsOverride(verdict(Decision.NO_GO, false, failed), withApprovers(List.of("alice"))));
  }

  @Test
  void noOverrideAwaitedWithoutApproversForHeldVerdictsOrForWhatNobodyMayOverride() {
    Reason failed = new Reason(ReasonCode.PROBE_FAILED, A, "probe alpha failed");
    Reason leaked = new Reason(ReasonCode.PROBE_FAILED, ProbeId.SECRETS, "probe secrets failed");
    var policy = withApprovers(List.of("alice"));
    assertEquals(false, VerdictPolicy.awaitsOverride(verdict(Decision.NO_GO, false, failed), withApprovers(List.of())));
    assertEquals(false, VerdictPolicy.awaitsOverride(verdict(Decision.NO_GO, true, failed), policy), "held: decided again");
    assertEquals(false, VerdictPolicy.awaitsOverride(verdict(Decision.NO_GO, false, failed, leaked), policy), "a secret");
    assertEquals(false, VerdictPolicy.awaitsOverride(verdict(Decision.GO, false), policy));
    assertEquals(false, VerdictPolicy.awaitsOverride(verdict(Decision.UNKNOWN, false, failed), policy), "fail closed");
    VerdictReached elsewhere = VerdictReached.of("ev", "req", new DeployTarget("acme", "/r", "staging",
        TARGET.candidate(), null), Decision.NO_GO, List.of(failed), List.of(), "v1", T0, T0, 1, null, false);
    assertEquals(false, VerdictPolicy.awaitsOverride(elsewhere, policy), "an environment without a policy");
  }

  static dev.tollgate.contracts.probe.Finding finding(String ruleId, dev.tollgate.contracts.probe.Severity severity) {
    return new dev.tollgate.contracts.probe.Finding(ruleId, severity, "db/V2.sql", 1, "unsafe", "do it differently",
        "db/V2.sql:" + ruleId + ":1", null);
  }

  @Test
  void aVerdictNamesEachProbesRuleIdsSortedAndDistinctAndWhetherTheyWereCut() {
    ProbeCompleted many = ProbeCompleted.of("ev", "ev/alpha", "req", A, ProbeStatus.FAIL, "3 findings", List.of(
        finding("migration/drop-column", dev.tollgate.contracts.probe.Severity.BLOCK),
        finding("migration/add-column-required", dev.tollgate.contracts.probe.Severity.WARN),
        finding("migration/drop-column", dev.tollgate.contracts.probe.Severity.BLOCK)), true, RepoPolicy.none(), "w", T0,
        T0.plusSeconds(1), null);
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)), many),
        result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(2)).orElseThrow();
    assertEquals(List.of("migration/add-column-required", "migration/drop-column"), v.probes().get(0).ruleIds());
    assertTrue(v.probes().get(0).findingsTruncated());
    assertEquals(List.of(), v.probes().get(1).ruleIds(), "a probe that passed names no rule");
    assertEquals(false, v.probes().get(1).findingsTruncated());
  }

  @Test
  void anOverriddenVerdictNamesTheVotesThatCountedAndTheProbesAsTheNoGoShowedThem() {
    AggregationState s = VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.FAIL));
    VerdictReached noGo = VerdictPolicy.decide(s, T0.plusSeconds(30)).orElseThrow(); // beta timed out
    AggregationState decided = s.decided(noGo.decision(), noGo.decidedAt(), noGo.revision(), null, noGo.reasons());
    Instant later = T0.plusSeconds(600);
    AggregationState voted = decided.withVotes(Map.of(
        "alice", new dev.tollgate.contracts.override.Ballot.Vote(dev.tollgate.contracts.override.VoteDecision.APPROVE, 1, "the drop is behind a flag", T0.plusSeconds(100), later.plusSeconds(3600)),
        "bob", new dev.tollgate.contracts.override.Ballot.Vote(dev.tollgate.contracts.override.VoteDecision.APPROVE, 1, "expired vote", T0.plusSeconds(50), T0.plusSeconds(60))));
    VerdictReached overridden = VerdictPolicy.override(voted, 1, later).orElseThrow();
    assertEquals(Decision.OVERRIDDEN, overridden.decision());
    assertEquals(List.of(new dev.tollgate.contracts.verdict.OverrideVote("alice", "the drop is behind a flag",
        T0.plusSeconds(100), later.plusSeconds(3600))), overridden.overrides(), "bob's vote had expired: it did not count");
    assertEquals(noGo.probes(), overridden.probes(), "the probes as the overridden NO_GO showed them, beta timed out");
    assertEquals(2, overridden.revision());
  }

  @Test
  void aVerdictNamesTheArtifactsRecordedForItsCandidate() {
    String candidate = TARGET.candidate();
    String staging = "sha256:" + "a".repeat(64);
    String redeploy = "sha256:" + "b".repeat(64);
    var history = new dev.tollgate.contracts.history.DeployHistory(List.of(
        new dev.tollgate.contracts.history.DeployRecord(candidate, dev.tollgate.contracts.history.DeployStatus.SUCCEEDED, T0, T0,
            redeploy, "d1"),
        new dev.tollgate.contracts.history.DeployRecord("a1b2c3d4e5f60718293a4b5c6d7e8f9011223344",
            dev.tollgate.contracts.history.DeployStatus.SUCCEEDED, T0, T0, "sha256:" + "c".repeat(64), "d0")),
        Map.of("staging", new dev.tollgate.contracts.history.CandidateStatus(true, true, "ev-s", staging),
            "qa", new dev.tollgate.contracts.history.CandidateStatus(true, false, "ev-q", "sha256:" + "d".repeat(64))));
    EvaluationRequested request = EvaluationRequested.of("ev", "req", TARGET, Source.API, "ci", null, null, null, List.of(), T0,
        history);
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(VerdictPolicy.dispatch(request, env(false, A_AND_B), "v1", T0),
        result(A, ProbeStatus.PASS)), result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
    // Not the other commit's artifact, nor one of an environment the candidate was never deployed to.
    assertEquals(List.of(staging, redeploy), v.artifactDigests());
  }

  @Test
  void aVerdictNamesTheArtifactTheRequestNamedBesideTheRecordedOnesInEveryRevision() {
    String shipped = "sha256:" + "e".repeat(64);
    String staging = "sha256:" + "a".repeat(64);
    var history = new dev.tollgate.contracts.history.DeployHistory(List.of(),
        Map.of("staging", new dev.tollgate.contracts.history.CandidateStatus(true, true, "ev-s", staging)));
    EvaluationRequested request = EvaluationRequested.of("ev", "req", TARGET, Source.API, "ci", null, null, null, List.of(), T0,
        history).withArtifactDigest(shipped);
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(VerdictPolicy.dispatch(request, env(false, A_AND_B), "v1", T0),
        result(A, ProbeStatus.FAIL)), result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
    assertEquals(List.of(staging, shipped), v.artifactDigests(), "sorted, the request's with the recorded ones");
    // The stored state keeps it: an override (the next revision) names the same artifact.
    AggregationState stored = dev.tollgate.contracts.Json.read(dev.tollgate.contracts.Json.write(s), AggregationState.class);
    assertEquals(shipped, stored.artifactDigest());
    assertEquals(List.of(), VerdictPolicy.artifactDigests(VerdictPolicy.dispatch(REQUEST, env(false, A_AND_B), "v1", T0)),
        "no artifact named, none recorded: none");
  }

  static AggregationState noGo() {
    AggregationState s = VerdictPolicy.record(VerdictPolicy.record(dispatched(env(false, A_AND_B)), result(A, ProbeStatus.FAIL)),
        result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
    return s.decided(v.decision(), v.decidedAt(), v.revision(), null, v.reasons());
  }

  static AggregationState voted(AggregationState s, String who, dev.tollgate.contracts.override.VoteDecision decision,
      int revision) {
    var record = dev.tollgate.contracts.override.OverrideRecorded.vote("ev", "req", who + decision + revision, TARGET, who,
        decision, "INC-4411 hotfix, tested", revision, T0.plusSeconds(3600), T0.plusSeconds(2));
    return s.withVotes(dev.tollgate.contracts.override.Ballot.apply(s.votes(), record));
  }

  @Test
  void onlyStandingApprovalsOfThisRevisionOverride() {
    var approve = dev.tollgate.contracts.override.VoteDecision.APPROVE;
    var reject = dev.tollgate.contracts.override.VoteDecision.REJECT;
    var withdraw = dev.tollgate.contracts.override.VoteDecision.WITHDRAW;
    AggregationState s = noGo();
    assertEquals(1, s.revision());
    assertTrue(VerdictPolicy.override(voted(s, "bob", reject, 1), 1, T0).isEmpty(), "a rejection overrides nothing");
    assertTrue(VerdictPolicy.override(voted(voted(s, "bob", reject, 1), "bob", approve, 1), 1, T0).isEmpty(),
        "an approval after one's own rejection does not count");
    assertTrue(VerdictPolicy.override(voted(voted(s, "alice", approve, 1), "alice", withdraw, 1), 1, T0).isEmpty(),
        "a withdrawn approval does not count");
    assertTrue(VerdictPolicy.override(voted(s, "alice", approve, 2), 1, T0).isEmpty(), "cast on another revision");
    AggregationState changedMind = voted(voted(voted(s, "bob", reject, 1), "bob", withdraw, 1), "bob", approve, 1);
    assertEquals(Decision.OVERRIDDEN, VerdictPolicy.override(changedMind, 1, T0).orElseThrow().decision(),
        "withdraw, then approve: counts");
  }

  @Test
  void aBaselineTheGateDidNotTrustIsNamedInTheVerdict() {
    String asked = "a".repeat(40);
    EvaluationRequested request = EvaluationRequested.of("ev", "req", TARGET, Source.API, "ci", null, null, null, List.of(), T0,
        null).withUntrustedBaseline(asked);
    AggregationState s = VerdictPolicy.dispatch(request, env(false, A_AND_B), "v1", T0);
    s = VerdictPolicy.record(VerdictPolicy.record(s, result(A, ProbeStatus.PASS)), result(B, ProbeStatus.PASS));
    VerdictReached v = VerdictPolicy.decide(s, T0.plusSeconds(1)).orElseThrow();
    assertEquals(Decision.GO, v.decision(), "a note, not a block: the whole range was checked");
    assertEquals(ReasonCode.WARNING, v.reasons().get(0).code());
    assertTrue(v.reasons().get(0).message().contains(asked.substring(0, 12)) && v.reasons().get(0).message().contains("first deploy"),
        v.reasons().get(0).message());
  }
}
