package dev.tollgate.gate.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.offheap.OffHeapStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one tenant's verdicts and deploys make of a commit never reaches another tenant, whatever their names hold. */
class DeployIndexTest {
  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
  final OffHeapStore store = OffHeapStore.temporary("deploy-index-test");
  final DeployIndex index = new DeployIndex(store);
  final String commit = EvaluationViewsIndexTest.commit(1);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aGoOfTenantABarBAndRepositoryCIsNotTheStatusOfTenantAAndRepositoryBBarC() {
    index.onVerdict(VerdictReached.of("e1", "r1", new DeployTarget("a|b", "c", "production", commit, null), Decision.GO, List.of(),
        List.of(), "server:v", T0, T0.plusSeconds(1), 1, null, false), List.of());
    assertTrue(index.status("a|b", "c", "production", commit).go());
    assertFalse(index.status("a", "b|c", "production", commit).go(), "another tenant's GO is not a trusted baseline here");
  }

  @Test
  void aDeployOfOneTargetIsNotTheHistoryOfAnother() {
    index.onDeployment(new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e1", "r1", "d1", "a|b", "c", "production",
        commit, DeployStatus.SUCCEEDED, null, Source.API, T0, T0.plusSeconds(5), T0.plusSeconds(5)));
    assertEquals(Optional.of(commit), index.lastDeployed("a|b", "c", "production"));
    assertEquals(Optional.empty(), index.lastDeployed("a", "b|c", "production"));
    assertFalse(index.status("a", "b|c", "production", commit).deployed());
  }

  /**
   * A succeeded report nobody vouched for (anyone's requester token, someone else's commit) is kept for people to see
   * and proves nothing: the commit is not deployed there (promotion proof), lends no artifact digest, is neither the
   * trusted baseline nor the rollback target, and probes do not see it. The requester's own report does all of these.
   */
  @Test
  void aSucceededReportNobodyVouchedForIsShownButIsNoProofNoBaselineAndNoRollbackTarget() {
    index.onVerdict(go("e1"), List.of(Identity.token("ci")));
    index.onDeployment(succeeded("d-false", "sha256:" + "a".repeat(64), Identity.token("mallory"), ReporterStanding.NONE));
    assertFalse(index.status("acme", "shop", "staging", commit).deployed(), "no promotion proof");
    assertEquals(null, index.status("acme", "shop", "staging", commit).artifactDigest(), "no digest lent");
    assertEquals(Optional.empty(), index.lastTrustedDeploy("acme", "shop", "staging"), "not the trusted baseline");
    assertEquals(Optional.of(commit), index.lastDeployed("acme", "shop", "staging"),
        "named as the untrusted baseline: a warning, the range still starts at the trusted one");
    assertEquals(List.of(), index.historyFor("acme", "shop", "staging", commit).deploys(), "probes do not see it");
    assertEquals(Optional.empty(), index.historyFor("acme", "shop", "staging", commit).lastSuccessful(), "no rollback target");
    DeployRecord shown = index.recordedHistory("acme", "shop", "staging", commit).deploys().get(0);
    assertEquals(Identity.token("mallory"), shown.reportedBy());
    assertFalse(shown.vouched(), "people see it, marked as not vouched");

    // The same deployment id reported by the requester is a deploy of its own: the false one neither replaced it nor
    // lent it anything.
    index.onDeployment(succeeded("d-false", null, Identity.token("ci"), ReporterStanding.REQUESTER));
    assertTrue(index.status("acme", "shop", "staging", commit).deployed());
    assertEquals(null, index.status("acme", "shop", "staging", commit).artifactDigest());
    assertEquals(Optional.of(commit), index.lastTrustedDeploy("acme", "shop", "staging"));
    assertEquals(1, index.historyFor("acme", "shop", "staging", commit).deploys().size());
    assertEquals(2, index.recordedHistory("acme", "shop", "staging", commit).deploys().size());
  }

  @Test
  void aRecordWithoutStandingFromBeforeReportersWereJudgedStillCounts() {
    // Safe: such records were accepted as proof when written; nothing newer wrote them.
    index.onDeployment(new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e1", "r1", "d1", "acme", "shop", "staging",
        commit, DeployStatus.SUCCEEDED, null, Source.API, T0, T0.plusSeconds(5), T0.plusSeconds(5)));
    assertTrue(index.status("acme", "shop", "staging", commit).deployed());
    assertEquals(1, index.historyFor("acme", "shop", "staging", commit).deploys().size());
  }

  /**
   * A flood of reports anyone may post (the reviewer's attack: 50 unvouched successes) must not evict the vouched
   * history: the trusted baseline, the rollback target, what runs there and the digest the commit lent stay. The newest
   * unvouched are kept to be shown, at most {@value DeployIndex#KEPT_UNVOUCHED_PER_ENVIRONMENT}.
   */
  @Test
  void aFloodOfUnvouchedReportsEvictsNeitherTheTrustedBaselineNorTheRollbackTarget() {
    index.onVerdict(go("e1"), List.of(Identity.token("ci")));
    index.onDeployment(succeeded("d-real", "sha256:" + "b".repeat(64), Identity.token("ci"), ReporterStanding.REQUESTER));
    for (int i = 0; i < DeployIndex.KEPT_PER_ENVIRONMENT + 10; i++) {
      index.onDeployment(succeeded("d-junk-" + i, null, Identity.token("mallory"), ReporterStanding.NONE));
    }
    assertEquals(Optional.of(commit), index.lastTrustedDeploy("acme", "shop", "staging"), "trusted baseline kept");
    assertEquals(List.of("d-real"), index.historyFor("acme", "shop", "staging", commit).deploys().stream()
        .map(DeployRecord::deploymentId).toList(), "rollback target kept");
    var environment = index.all().get(0);
    assertEquals("d-real", environment.current().orElseThrow().deploymentId(), "what runs there kept");
    assertEquals(DeployIndex.KEPT_UNVOUCHED_PER_ENVIRONMENT + 1, environment.deploys().size());
    assertEquals("d-junk-" + (DeployIndex.KEPT_PER_ENVIRONMENT + 9), environment.deploys().get(0).deploymentId(),
        "the newest unvouched are shown");
    assertEquals("sha256:" + "b".repeat(64), index.status("acme", "shop", "staging", commit).artifactDigest());
  }

  /**
   * Who got a GO of the commit there is kept per environment, newest first and bounded: a report by any of them stands
   * on their own GO, not only on the first one's (someone else's GO first must not make the pipeline's report count
   * for nothing).
   */
  @Test
  void keepsTheNewestGoPartiesOfACommitPerEnvironmentBounded() {
    index.onVerdict(go("e-bob"), List.of(Identity.token("bob")));
    index.onVerdict(go("e-ci"), List.of(Identity.token("ci"), new Identity(Identity.Kind.GITHUB, "octocat")));
    assertEquals(List.of(Identity.token("ci"), new Identity(Identity.Kind.GITHUB, "octocat"), Identity.token("bob")),
        index.goParties("acme", "shop", "staging", commit));
    assertEquals("e-bob", index.status("acme", "shop", "staging", commit).evaluationId(), "the first GO stays the one filed");
    assertEquals(List.of(), index.goParties("acme", "shop", "production", commit), "per environment");
    for (int i = 0; i < DeployIndex.KEPT_GO_PARTIES + 3; i++) {
      index.onVerdict(go("e" + i), List.of(Identity.token("t" + i)));
    }
    List<Identity> kept = index.goParties("acme", "shop", "staging", commit);
    assertEquals(DeployIndex.KEPT_GO_PARTIES, kept.size());
    assertEquals(Identity.token("t" + (DeployIndex.KEPT_GO_PARTIES + 2)), kept.get(0), "newest first");
    assertFalse(kept.contains(Identity.token("bob")), "the oldest dropped first");
    index.onVerdict(go("e-again"), List.of(Identity.token("t3")));
    assertEquals(Identity.token("t3"), index.goParties("acme", "shop", "staging", commit).get(0), "a repeat moves to the front");
    assertEquals(DeployIndex.KEPT_GO_PARTIES, index.goParties("acme", "shop", "staging", commit).size(), "once");
  }

  private VerdictReached go(String evaluationId) {
    return VerdictReached.of(evaluationId, "r1", new DeployTarget("acme", "shop", "staging", commit, null), Decision.GO,
        List.of(), List.of(), "server:v", T0, T0.plusSeconds(1), 1, null, false);
  }

  private DeploymentRecorded succeeded(String id, String digest, Identity reporter, ReporterStanding standing) {
    return new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e1", "r1", id, "acme", "shop", "staging", commit,
        DeployStatus.SUCCEEDED, digest, Source.API, T0, T0.plusSeconds(5), T0.plusSeconds(5)).withReporter(reporter, standing);
  }
}
