package dev.tollgate.gate.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The views answer a list by reading what it returns: with thousands of evaluations in them, a list, the audit log's
 * verdicts and its records are read newest first from the most selective index and stop at the limit. The views count
 * every evaluation a list reads ({@code tollgate.views.list.read}); the audit records are counted by their filter.
 */
class EvaluationViewsIndexTest {
  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
  final Topics topics = Topics.standard();
  long offset;

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  final List<EvaluationViews> opened = new java.util.ArrayList<>();

  EvaluationViews views(int max) {
    EvaluationViews v = new EvaluationViews(topics, Map.of(), max, meters);
    opened.add(v);
    return v;
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    opened.forEach(EvaluationViews::close); // each holds an off-heap store in a temporary directory
  }

  /** Evaluations read by lists since the last call. */
  long read() {
    double total = meters.counter("tollgate.views.list.read").count();
    double since = total - lastRead;
    lastRead = total;
    return (long) since;
  }

  double lastRead;

  static String commit(int i) {
    return HexFormat.of().formatHex(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (i >> 24), (byte) (i >> 16),
        (byte) (i >> 8), (byte) i});
  }

  static DeployTarget target(String environment, int i) {
    return new DeployTarget("acme", "/srv/git/service-" + (i % 7), environment, commit(i), null);
  }

  void request(EvaluationViews views, String id, DeployTarget target, Instant at) {
    views.apply(new ConsumerRecord<>(topics.evaluationsRequested(), 0, offset++, id, Json.write(EvaluationRequested.of(id, "r-" + id,
        target, Source.API, "ci", null, null, null, List.of(), at, null))));
  }

  void verdict(EvaluationViews views, String id, DeployTarget target, Instant requestedAt, Instant decidedAt, Decision d, int revision) {
    views.apply(new ConsumerRecord<>(topics.verdictsReached(), 0, offset++, id, Json.write(VerdictReached.of(id, "r-" + id, target,
        d, List.of(), List.of(), "server:v", requestedAt, decidedAt, revision, null, false))));
  }

  /** A filter that counts what it is shown. */
  static <T> Predicate<T> counting(AtomicInteger calls, Predicate<T> filter) {
    return v -> {
      calls.incrementAndGet();
      return filter.test(v);
    };
  }

  /** 5,000 decided in staging, 3 in a rarely used environment, 5 still pending, 4 of another tenant. */
  EvaluationViews history() {
    EvaluationViews views = views(100_000);
    for (int i = 0; i < 5_000; i++) {
      Instant at = T0.plusSeconds(60L * i);
      DeployTarget t = target("staging", i);
      request(views, "e" + i, t, at);
      verdict(views, "e" + i, t, at, at.plusSeconds(2), i % 10 == 0 ? Decision.NO_GO : Decision.GO, 1);
    }
    for (int i = 0; i < 3; i++) {
      request(views, "rare" + i, target("rare", 20_000 + i), T0.plusSeconds(60L * 100 * i + 30));
    }
    for (int i = 0; i < 5; i++) {
      request(views, "open" + i, target("staging", 30_000 + i), T0.plusSeconds(60L * 5_000 + i));
    }
    for (int i = 0; i < 4; i++) {
      request(views, "globex" + i, new DeployTarget("globex", "/srv/git/g", "staging", commit(40_000 + i), null),
          T0.plusSeconds(60L * 1_000 * i + 45));
    }
    return views;
  }

  @Test
  void aListReadsOnlyWhatItReturns() {
    EvaluationViews views = history();
    read();

    List<EvaluationView> newest = views.list(EvaluationViews.Query.ANY, v -> true, 20);
    assertEquals(20, newest.size());
    assertEquals(20, read(), "the newest 20, read in order: nothing more");
    assertEquals("open4", newest.get(0).id());

    List<EvaluationView> rare = views.list(EvaluationViews.Query.environment(null, "rare"), v -> true, 20);
    assertEquals(List.of("rare2", "rare1", "rare0"), rare.stream().map(EvaluationView::id).toList());
    assertEquals(3, read(), "the environment's own index: 3 read of 5,012");

    List<EvaluationView> pending = views.list(new EvaluationViews.Query("acme", "staging", null, "PENDING", null), v -> true, 20);
    assertEquals(List.of("open4", "open3", "open2", "open1", "open0"), pending.stream().map(EvaluationView::id).toList());
    assertEquals(12, read(), "the smallest index named, PENDING (12: 5 here, 3 rare, 4 of globex), not staging's 5,009");

    List<EvaluationView> ofCommit = views.list(new EvaluationViews.Query("acme", "staging", "/srv/git/service-" + (4242 % 7), null,
        commit(4242)), v -> true, 50);
    assertEquals(List.of("e4242"), ofCommit.stream().map(EvaluationView::id).toList());
    assertEquals(1, read(), "a commit's evaluations are found by the commit");

    List<EvaluationView> globex = views.list(new EvaluationViews.Query("globex", "staging", null, null, null), v -> true, 20);
    assertEquals(List.of("globex3", "globex2", "globex1", "globex0"), globex.stream().map(EvaluationView::id).toList());
    assertEquals(4, read(), "a tenant's own index: the other tenant's history is not read");

    List<EvaluationView> noGo = views.list(new EvaluationViews.Query(null, null, null, "NO_GO", null), v -> true, 10);
    assertEquals(10, noGo.size());
    assertEquals(10, read(), "NO_GO has its own index: no GO is read");
    assertTrue(noGo.stream().allMatch(v -> v.verdict().decision().equals("NO_GO")));

    AtomicInteger shown = new AtomicInteger();
    List<EvaluationView> odd = views.list(EvaluationViews.Query.ANY, counting(shown, v -> v.id().endsWith("7")), 5);
    assertEquals(5, odd.size());
    assertEquals(shown.get(), read(), "a filter the index cannot answer: read until the limit matched, no further");
    assertTrue(shown.get() < 100, "read " + shown.get());
  }

  @Test
  void listsKeepTheirOrderNewestFirstThenById() {
    EvaluationViews views = views(1_000);
    Instant same = T0.plusSeconds(5);
    for (int i = 0; i < 50; i++) {
      request(views, "id" + (char) ('a' + i % 26) + i, target("staging", i), i % 5 == 0 ? same : T0.plusSeconds(i * 13L % 17));
    }
    List<EvaluationView> all = views.list(v -> true, 1_000);
    List<EvaluationView> sorted = all.stream().sorted(Comparator.comparing(EvaluationView::requestedAt, Comparator.reverseOrder())
        .thenComparing(EvaluationView::id)).toList();
    assertEquals(50, all.size());
    assertEquals(sorted, all);
  }

  @Test
  void aVerdictMovesAnEvaluationBetweenIndexes() {
    EvaluationViews views = views(1_000);
    DeployTarget t = target("production", 1);
    request(views, "x", t, T0);
    assertEquals(1, views.list(new EvaluationViews.Query(null, null, null, "PENDING", null), v -> true, 10).size());
    verdict(views, "x", t, T0, T0.plusSeconds(3), Decision.NO_GO, 1);
    assertEquals(0, views.list(new EvaluationViews.Query(null, null, null, "PENDING", null), v -> true, 10).size());
    assertEquals(1, views.list(new EvaluationViews.Query(null, null, null, "NO_GO", null), v -> true, 10).size());
    verdict(views, "x", t, T0, T0.plusSeconds(600), Decision.OVERRIDDEN, 2);
    assertEquals(0, views.list(new EvaluationViews.Query(null, null, null, "NO_GO", null), v -> true, 10).size());
    assertEquals(List.of("x"), views.decided(T0.plusSeconds(599), null, v -> true, 10).stream().map(EvaluationView::id).toList(),
        "filed under its latest verdict's time");
    assertEquals(List.of(), views.decided(null, T0.plusSeconds(599), v -> true, 10));
  }

  @Test
  void theAuditLogsVerdictsAreReadNewestDecisionFirstUntilTheLimit() {
    EvaluationViews views = history();
    read();
    List<EvaluationView> decided = views.decided(null, null, v -> true, 200);
    assertEquals(200, decided.size());
    assertEquals(200, read());
    assertEquals("e4999", decided.get(0).id());

    Instant since = T0.plusSeconds(60L * 2_000);
    Instant until = T0.plusSeconds(60L * 2_010);
    List<EvaluationView> window = views.decided(since, until, v -> true, 200);
    // Decided 2 s after each minute: 2000..2009 fall in the ten minutes.
    assertEquals(List.of("e2009", "e2008", "e2007", "e2006", "e2005", "e2004", "e2003", "e2002", "e2001", "e2000"),
        window.stream().map(EvaluationView::id).toList());
    assertEquals(10, read(), "only the window is read");
  }

  @Test
  void aSmallTenantsVerdictsAndListsReadOnlyItsOwnOrders() {
    EvaluationViews views = history(); // 5,000 decided evaluations of acme
    for (int i = 0; i < 4; i++) {
      DeployTarget g = new DeployTarget("globex", "/srv/git/g", "staging", commit(40_000 + i), null);
      Instant at = T0.plusSeconds(60L * 1_000 * i + 45);
      verdict(views, "globex" + i, g, at, at.plusSeconds(1), Decision.GO, 1);
    }
    for (int i = 0; i < 2; i++) {
      DeployTarget t = new DeployTarget("initech", "/srv/git/i", "staging", commit(50_000 + i), null);
      Instant at = T0.plusSeconds(60L * 1_500 * i + 50);
      request(views, "initech" + i, t, at);
      verdict(views, "initech" + i, t, at, at.plusSeconds(1), Decision.NO_GO, 1);
    }
    read();

    EvaluationViews.Page audit = views.decidedPage(java.util.Set.of("globex", "initech"), null, null, v -> true, 100);
    assertEquals(List.of("globex3", "globex2", "initech1", "globex1", "initech0", "globex0"),
        audit.items().stream().map(EvaluationView::id).toList(), "both tenants' orders, merged newest verdict first");
    assertEquals(6, read(), "their own verdicts only: none of acme's 5,000");
    assertEquals(false, audit.truncated());

    EvaluationViews.Page list = views.page(EvaluationViews.Query.ANY, java.util.Set.of("globex", "initech"), v -> true, 3);
    assertEquals(List.of("globex3", "globex2", "initech1"), list.items().stream().map(EvaluationView::id).toList());
    assertTrue(read() <= 6, "at most the limit from each tenant's order");
  }

  @Test
  void aRequestStopsAtTheReadCapAndSaysSo() {
    EvaluationViews views = history();
    DeployTarget g = new DeployTarget("globex", "/srv/git/g", "staging", commit(40_000), null);
    verdict(views, "globex0", g, T0.plusSeconds(45), T0.plusSeconds(46), Decision.GO, 1); // 5,001 decided
    read();
    EvaluationViews.Page none = views.decidedPage(null, null, null, v -> false, 10);
    assertEquals(List.of(), none.items());
    assertTrue(none.truncated(), "5,001 decided evaluations, none kept: the cap ends the walk");
    assertEquals(EvaluationViews.MAX_READ, read());

    EvaluationViews.Page all = views.page(EvaluationViews.Query.ANY, null, v -> false, 10);
    assertTrue(all.truncated());
    assertEquals(EvaluationViews.MAX_READ, read());

    assertEquals(false, views.page(new EvaluationViews.Query("globex", null, null, null, null), null, v -> false, 10).truncated(),
        "an order read to its end is not truncated");
  }

  @Test
  void evictedEvaluationsLeaveTheIndexes() {
    EvaluationViews views = views(100);
    for (int i = 0; i < 300; i++) {
      DeployTarget t = target("staging", i);
      request(views, "e" + i, t, T0.plusSeconds(i));
      verdict(views, "e" + i, t, T0.plusSeconds(i), T0.plusSeconds(i + 1), Decision.GO, 1);
    }
    assertEquals(100, views.list(v -> true, 1_000).size());
    assertEquals(100, views.decided(null, null, v -> true, 1_000).size());
    assertEquals(List.of(), views.list(new EvaluationViews.Query(null, null, null, null, commit(5)), v -> true, 10));
    assertEquals(1, views.list(new EvaluationViews.Query(null, null, null, null, commit(250)), v -> true, 10).size());
  }

  @Test
  void auditRecordsAreReadNewestFirstUntilTheLimit() {
    AuditLog log = new AuditLog(20_000);
    // Delivered out of order (several partitions): the log orders them by when they happened.
    for (int i = 0; i < 5_000; i++) {
      int n = (i * 7919) % 5_000;
      log.add(new AuditRecorded(AuditRecorded.SCHEMA_VERSION, "e" + n, "r", "a" + n, AuditKind.OVERRIDE_DENIED, "acme", "/r", "staging",
          null, Source.API, "alice", null, "denied " + n, T0.plus(Duration.ofMinutes(n)), T0.plus(Duration.ofMinutes(n + 1))));
    }
    AtomicInteger calls = new AtomicInteger();
    List<AuditRecorded> newest = log.list(counting(calls, a -> true), 10);
    assertEquals("a4999", newest.get(0).auditId());
    assertEquals(10, calls.get());

    calls.set(0);
    List<AuditRecorded> window = log.list(T0.plus(Duration.ofMinutes(100)), T0.plus(Duration.ofMinutes(103)), counting(calls, a -> true),
        10);
    assertEquals(List.of("a102", "a101", "a100"), window.stream().map(AuditRecorded::auditId).toList());
    assertEquals(3, calls.get());

    AuditLog small = new AuditLog(3);
    for (int n : new int[] {5, 1, 9, 7}) {
      small.add(new AuditRecorded(AuditRecorded.SCHEMA_VERSION, "e", "r", "a" + n, AuditKind.OVERRIDE_DENIED, "acme", "/r", "staging",
          null, Source.API, "alice", null, "d", T0.plusSeconds(n), T0.plusSeconds(n)));
    }
    assertEquals(List.of("a9", "a7", "a5"), small.list(a -> true, 10).stream().map(AuditRecorded::auditId).toList(),
        "the oldest by time is the one dropped");
  }
}
