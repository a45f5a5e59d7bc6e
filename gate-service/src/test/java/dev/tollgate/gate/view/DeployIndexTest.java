package dev.tollgate.gate.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
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
}
