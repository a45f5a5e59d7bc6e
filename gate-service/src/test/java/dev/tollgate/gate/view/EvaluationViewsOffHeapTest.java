package dev.tollgate.gate.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.offheap.OffHeapStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decided evaluations leave the heap: with thousands decided, the views hold only the open ones and the bounded hot set
 * ({@code tollgate.views.evaluations.heap}), and every read — get, request, verdict, lists, the audit log's verdicts,
 * a late record, listeners — still answers about the old ones, with the same view as when they were on the heap.
 */
class EvaluationViewsOffHeapTest {
  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
  static final int HOT = 50;
  final Topics topics = Topics.standard();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<EvaluationViews> opened = new ArrayList<>();
  long offset;

  @TempDir
  Path dir;

  EvaluationViews views(int max) {
    EvaluationViews v = new EvaluationViews(topics, Map.of(), max, HOT, OffHeapStore.open(dir.resolve("views")), meters);
    opened.add(v);
    return v;
  }

  @AfterEach
  void close() {
    opened.forEach(EvaluationViews::close);
  }

  void apply(EvaluationViews views, String topic, String id, Object message) {
    views.apply(new ConsumerRecord<>(topic, 0, offset++, id, Json.write(message)));
  }

  static DeployTarget target(int i) {
    return new DeployTarget("acme", "/srv/git/service-" + (i % 7), i % 2 == 0 ? "staging" : "production",
        EvaluationViewsIndexTest.commit(i), null);
  }

  /** One whole evaluation as the gate writes it: request, two checks, two results with findings, the verdict. */
  void decide(EvaluationViews views, int i) {
    String id = "e" + i;
    DeployTarget t = target(i);
    Instant at = T0.plusSeconds(60L * i);
    apply(views, topics.evaluationsRequested(), id, EvaluationRequested.of(id, "r-" + id, t, Source.API, "ci", null, null, null,
        List.of(), at, null));
    for (ProbeId p : List.of(ProbeId.SECRETS, ProbeId.MIGRATIONS)) {
      apply(views, topics.checksRequested(), id, CheckRequested.of(id, "r-" + id, t, p, at.plusSeconds(30), at, null));
      apply(views, topics.probesCompleted(), id, ProbeCompleted.of(id, CheckRequested.checkId(id, p), "r-" + id, p,
          i % 3 == 0 ? ProbeStatus.FAIL : ProbeStatus.PASS, "reason " + i, List.of(new Finding("secrets/aws-key", Severity.BLOCK,
              "config/app-" + i + ".yaml", 7, "an AWS key (redacted)", "rotate it", "fp-" + i, t.candidate())), false, null,
          "worker-1", at.plusMillis(100), at.plusMillis(900), null));
    }
    apply(views, topics.verdictsReached(), id, VerdictReached.of(id, "r-" + id, t, i % 3 == 0 ? Decision.NO_GO : Decision.GO,
        List.of(), List.of(), "server:v", at, at.plusSeconds(2), 1, null, false));
  }

  double heapGauge() {
    return meters.get("tollgate.views.evaluations.heap").gauge().value();
  }

  @Test
  void thousandsDecidedKeepOnlyTheHotSetOnTheHeapAndStillAnswer() {
    EvaluationViews views = views(100_000);
    Map<String, EvaluationView> asDecided = new HashMap<>();
    Runnable stop = views.listenAll(v -> {
      if (v.complete()) {
        asDecided.put(v.id(), v);
      }
    });
    int decided = 3_000;
    for (int i = 0; i < decided; i++) {
      decide(views, i);
    }
    stop.run();
    for (int i = 0; i < 5; i++) { // still open
      apply(views, topics.evaluationsRequested(), "open" + i, EvaluationRequested.of("open" + i, "r-open" + i, target(10_000 + 2 * i),
          Source.API, "ci", null, null, null, List.of(), T0.plusSeconds(60L * decided + i), null));
    }

    assertEquals(HOT + 5, views.inMemory(), "the hot set and the open ones, not " + (decided + 5));
    assertEquals(HOT + 5, heapGauge());
    assertEquals(decided + 5, meters.get("tollgate.views.evaluations").gauge().value());

    // The oldest, long off the heap: the same view as when it was decided, its request and its verdict.
    assertEquals(asDecided.get("e0"), views.get("e0").orElseThrow());
    assertEquals(asDecided.get("e1234"), views.get("e1234").orElseThrow());
    assertEquals("r-e7", views.request("e7").orElseThrow().requestId());
    assertEquals(Decision.NO_GO, views.verdict("e9").orElseThrow().decision());
    assertEquals(1, views.get("e3").orElseThrow().probes().get(0).findings().size());
    assertFalse(views.get("e" + decided).isPresent());

    // Lists reach back to the oldest, newest first, and stop at the limit.
    List<EvaluationView> ofCommit = views.list(new EvaluationViews.Query(null, null, null, null, EvaluationViewsIndexTest.commit(1)),
        v -> true, 10);
    assertEquals(List.of(asDecided.get("e1")), ofCommit);
    List<EvaluationView> all = views.list(v -> true, 10_000);
    assertEquals(decided + 5, all.size());
    assertEquals("open4", all.get(0).id());
    assertEquals("e0", all.get(all.size() - 1).id());
    assertEquals(List.of("e2999", "e2997", "e2995"), views.list(EvaluationViews.Query.environment("acme", "production"), v -> true, 3)
        .stream().map(EvaluationView::id).toList());
    // The audit log's verdicts: a window of old decisions.
    assertEquals(List.of("e11", "e10"), views.decided(T0.plusSeconds(600), T0.plusSeconds(60L * 12), v -> true, 10).stream()
        .map(EvaluationView::id).toList());
    assertEquals(HOT + 5, views.inMemory(), "reading old evaluations does not bring them back onto the heap");
  }

  @Test
  void aLateRecordOfAnOldEvaluationIsAppliedAndHeard() {
    EvaluationViews views = views(100_000);
    for (int i = 0; i < 500; i++) {
      decide(views, i);
    }
    List<EvaluationView> heard = new ArrayList<>();
    views.listen("e3", heard::add);
    DeployTarget t = target(3);
    apply(views, topics.overridesRecorded(), "e3", OverrideRecorded.vote("e3", "r-e3", "o-1", t, "alice", VoteDecision.APPROVE,
        "hotfix", 1, T0.plusSeconds(86_400), T0.plusSeconds(3_600)));
    apply(views, topics.verdictsReached(), "e3", VerdictReached.of("e3", "r-e3", t, Decision.OVERRIDDEN, List.of(), List.of(),
        "server:v", T0.plusSeconds(180), T0.plusSeconds(60L * 1_000), 2, null, false));

    assertEquals(2, heard.size());
    EvaluationView now = views.get("e3").orElseThrow();
    assertEquals("OVERRIDDEN", now.verdict().decision());
    assertEquals("alice", now.overrides().get(0).approver());
    assertEquals(2, now.probes().size(), "the probes read back from off the heap are kept");
    assertEquals(List.of("e3"), views.list(new EvaluationViews.Query(null, null, null, "OVERRIDDEN", null), v -> true, 10).stream()
        .map(EvaluationView::id).toList());
    assertTrue(views.list(new EvaluationViews.Query(null, null, null, "NO_GO", null), v -> true, 1_000).stream()
        .noneMatch(v -> v.id().equals("e3")), "moved out of NO_GO");
    assertEquals("e3", views.decided(null, null, v -> true, 1).get(0).id(), "filed under its new decision time");
    assertTrue(views.inMemory() <= HOT);
  }

  @Test
  void whatWasDecidedAndDeployedPerCommitIsKeptOffTheHeapAndStillAnswers() {
    EvaluationViews views = views(100_000);
    for (int i = 0; i < 500; i++) {
      decide(views, i); // i % 3 == 0: NO_GO
    }
    DeployTarget go = target(4);
    DeployTarget noGo = target(18); // the same repository and environment as e4, a NO_GO
    assertTrue(views.commitStatus("acme", go.repository(), go.environment(), go.candidate()).go());
    assertFalse(views.commitStatus("acme", go.repository(), "production", go.candidate()).go(), "per environment");
    assertFalse(views.commitStatus("acme", noGo.repository(), noGo.environment(), noGo.candidate()).go());
    apply(views, topics.deploymentsRecorded(), "k", new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e4", "r-e4", "d-4",
        "acme", go.repository(), go.environment(), go.candidate(), DeployStatus.SUCCEEDED, null, Source.API, T0, T0.plusSeconds(9),
        T0.plusSeconds(9)));
    apply(views, topics.deploymentsRecorded(), "k", new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "e18", "r-e18", "d-18",
        "acme", noGo.repository(), noGo.environment(), noGo.candidate(), DeployStatus.SUCCEEDED, null, Source.API, T0.plusSeconds(20),
        T0.plusSeconds(29), T0.plusSeconds(29)));
    assertTrue(views.commitStatus("acme", go.repository(), go.environment(), go.candidate()).deployed());
    assertEquals("e4", views.commitStatus("acme", go.repository(), go.environment(), go.candidate()).evaluationId());
    assertEquals(go.candidate(), views.lastTrustedDeploy("acme", go.repository(), go.environment()).orElseThrow(),
        "the bypass deployed after it (a NO_GO commit) is not trusted");
    assertEquals(noGo.candidate(), views.lastDeployed("acme", go.repository(), go.environment()).orElseThrow());
    assertTrue(views.historyFor("acme", go.repository(), go.environment(), go.candidate()).candidate().get(go.environment()).go());
  }

  @Test
  void theCapForgetsTheOldestOffTheHeapToo() {
    EvaluationViews views = views(200);
    for (int i = 0; i < 1_000; i++) {
      decide(views, i);
    }
    assertEquals(200, meters.get("tollgate.views.evaluations").gauge().value());
    assertFalse(views.get("e799").isPresent());
    assertTrue(views.get("e800").isPresent());
    assertEquals(200, views.list(v -> true, 10_000).size());
    assertEquals(200, views.decided(null, null, v -> true, 10_000).size());
    assertEquals(List.of(), views.list(new EvaluationViews.Query(null, null, null, null, EvaluationViewsIndexTest.commit(5)),
        v -> true, 10));
  }

  @Test
  void theStoreIsACacheWipedOnOpenAndDeletedOnClose() throws Exception {
    Path store = dir.resolve("views");
    Files.createDirectories(store);
    Files.writeString(store.resolve("LOCK-from-a-crashed-run"), "x");
    EvaluationViews views = views(1_000);
    for (int i = 0; i < HOT * 2; i++) {
      decide(views, i);
    }
    assertFalse(Files.exists(store.resolve("LOCK-from-a-crashed-run")));
    assertTrue(views.get("e1").isPresent());
    views.close();
    assertFalse(Files.exists(store));
    assertFalse(views.get("e1").isPresent(), "a read after close finds nothing rather than touching freed memory");
    assertEquals(List.of(), views.decided(null, null, v -> true, 10), "nor does a scan");
  }
}
