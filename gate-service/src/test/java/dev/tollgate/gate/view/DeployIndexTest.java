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
        List.of(), "server:v", T0, T0.plusSeconds(1), 1, null, false));
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
    index.onVerdict(VerdictReached.of("e1", "r1", new DeployTarget("acme", "shop", "staging", commit, null), Decision.GO,
        List.of(), List.of(), "server:v", T0, T0.plusSeconds(1), 1, null, false));
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

  private DeploymentRecorded succeeded(String id, String digest, Identity reporter, ReporterStanding standing) {
    return new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e1", "r1", id, "acme", "shop", "staging", commit,
        DeployStatus.SUCCEEDED, digest, Source.API, T0, T0.plusSeconds(5), T0.plusSeconds(5)).withReporter(reporter, standing);
  }
}
