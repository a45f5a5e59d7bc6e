package dev.tollgate.gate.attestation;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.OverrideVote;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Verdict revisions as the aggregator publishes them, for the attestation tests. */
final class Verdicts {
  static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123Z");
  static final String CANDIDATE = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final String BASELINE = "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344";
  static final DeployTarget TARGET = new DeployTarget("acme", "https://github.com/acme/shop.git", "production", CANDIDATE, BASELINE);
  static final String ARTIFACT = "sha256:" + "ab".repeat(32);

  private Verdicts() {}

  static VerdictReached go() {
    return VerdictReached.of("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req-1", TARGET, Decision.GO, List.of(), List.of(
        new ProbeSummary(ProbeId.of("migrations"), true, ProbeStatus.PASS, "no unsafe migration", Duration.ofSeconds(20), 0, 0),
        new ProbeSummary(ProbeId.SECRETS, true, ProbeStatus.PASS, null, Duration.ofSeconds(30), 0, 0)),
        "server:8c1f2a3b;repo:none", T0, T0.plusSeconds(2), 1, null, false).withArtifactDigests(List.of(ARTIFACT));
  }

  static VerdictReached noGo() {
    return VerdictReached.of("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req-1", TARGET, Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.of("migrations"), "probe migrations failed: 1 blocking finding")),
        List.of(new ProbeSummary(ProbeId.of("migrations"), true, ProbeStatus.FAIL, "1 blocking finding", Duration.ofSeconds(20), 2,
            1, List.of("migration/drop-column", "migration/missing-lock-timeout"), false)),
        "server:8c1f2a3b;repo:none", T0, T0.plusSeconds(2), 1, null, false);
  }

  static VerdictReached overridden(Instant votesExpire, String reason) {
    VerdictReached no = noGo();
    List<Reason> reasons = new java.util.ArrayList<>(no.reasons());
    reasons.add(new Reason(ReasonCode.OVERRIDDEN, null, "overridden by alice: alice: " + reason));
    return VerdictReached.of(no.evaluationId(), no.requestId(), no.target(), Decision.OVERRIDDEN, reasons, no.probes(),
        no.policyVersion(), no.requestedAt(), T0.plusSeconds(300), 2, null, false)
        .withOverrides(List.of(new OverrideVote("alice", reason, T0.plusSeconds(299), votesExpire)));
  }
}
