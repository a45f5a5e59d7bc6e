package dev.tollgate.gate.view;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.kafka.TopicReplay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory evaluation views of one gate instance, rebuilt from Kafka on start and kept current by one
 * consumer thread that reads every partition of the request, check, result and verdict topics (assigned, not
 * in a group: every instance needs everything). Readers on other threads see immutable snapshots.
 */
public final class EvaluationViews implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvaluationViews.class);

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final int maxEvaluations;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
  private final Map<String, List<Consumer<EvaluationView>>> listeners = new ConcurrentHashMap<>();
  private final List<Consumer<EvaluationView>> globalListeners = new CopyOnWriteArrayList<>();
  /** The orders lists read evaluations in, so that a request reads what it returns rather than the whole history. */
  private final ViewIndex index = new ViewIndex();
  private final DeployIndex deploys = new DeployIndex();
  private final AuditLog audit = new AuditLog(20_000);
  private final EnvironmentGates gates = new EnvironmentGates();
  private final Counter unreadable;
  /** Evaluations read to answer lists: what they returned plus what their filters dropped, never the history. */
  private final Counter listRead;
  private final TopicReplay replay;

  /** What is known of one evaluation; replaced, never mutated, so readers need no lock. */
  private record Entry(EvaluationRequested request, Map<ProbeId, CheckRequested> checks,
      Map<ProbeId, ProbeCompleted> results, VerdictReached verdict, List<OverrideRecorded> overrides, EvaluationView view) {
    static final Entry EMPTY = new Entry(null, Map.of(), Map.of(), null, List.of(), null);

    Entry with(EvaluationRequested r, Map<ProbeId, CheckRequested> c, Map<ProbeId, ProbeCompleted> p, VerdictReached v, String id) {
      return with(r, c, p, v, overrides, id);
    }

    Entry with(EvaluationRequested r, Map<ProbeId, CheckRequested> c, Map<ProbeId, ProbeCompleted> p, VerdictReached v,
        List<OverrideRecorded> o, String id) {
      EvaluationView rendered = r == null && v == null ? null : EvaluationView.of(id, r, c, p, v, o);
      return new Entry(r, Map.copyOf(c), Map.copyOf(p), v, List.copyOf(o), rendered);
    }
  }

  public EvaluationViews(Topics topics, Map<String, Object> kafka, int maxEvaluations, MeterRegistry meters) {
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.maxEvaluations = maxEvaluations;
    this.unreadable = Counter.builder("tollgate.views.unreadable").description("Records the evaluation views could not read")
        .register(meters);
    this.listRead = Counter.builder("tollgate.views.list.read")
        .description("Evaluations the views read to answer lists and the audit log (returned, or dropped by a filter)")
        .register(meters);
    Gauge.builder("tollgate.views.evaluations", entries, Map::size).description("Evaluations held in memory").register(meters);
    this.replay = new TopicReplay(this.kafka, "gate-views", List.of(topics.evaluationsRequested(), topics.checksRequested(),
        topics.probesCompleted(), topics.verdictsReached(), topics.deploymentsRecorded(), topics.overridesRecorded(),
        topics.auditRecorded(), topics.environmentGatesChanged()), this::apply,
        done -> log.atInfo().addKeyValue("event", "views.caught-up").addKeyValue("records", done.records())
            .addKeyValue("evaluations", entries.size()).addKeyValue("durationMs", done.durationMs())
            .log("evaluation views rebuilt from Kafka"));
  }

  /** Reads every topic from the beginning, then follows them. */
  public void start() {
    replay.start();
  }

  /** Applies one record of any of the topics read (package-private: tests feed records without a broker). */
  void apply(ConsumerRecord<String, byte[]> record) {
    String id = record.key();
    if (id == null) {
      unreadable.increment();
      return;
    }
    try {
      String topic = record.topic();
      if (topic.equals(topics.deploymentsRecorded())) {
        deploys.onDeployment(Json.readRetained(record.value(), DeploymentRecorded.class));
        return;
      }
      if (topic.equals(topics.environmentGatesChanged())) {
        gates.onChange(Json.readRetained(record.value(), dev.tollgate.contracts.lock.EnvironmentGateChanged.class));
        return;
      }
      if (topic.equals(topics.auditRecorded())) {
        audit.add(Json.readRetained(record.value(), AuditRecorded.class));
        return;
      }
      Entry before = entries.getOrDefault(id, Entry.EMPTY);
      if (topic.equals(topics.overridesRecorded())) {
        OverrideRecorded o = Json.readRetained(record.value(), OverrideRecorded.class);
        if (before.overrides().stream().anyMatch(x -> x.overrideId().equals(o.overrideId()))) {
          return;
        }
        List<OverrideRecorded> overrides = new ArrayList<>(before.overrides());
        overrides.add(o);
        Entry after = before.with(before.request(), before.checks(), before.results(), before.verdict(), overrides, id);
        store(id, before, after);
        notifyListeners(id, after.view());
        return;
      }
      Entry after;
      if (topic.equals(topics.evaluationsRequested())) {
        // Without its deploy history (up to 20 deploys): the aggregator has it; views and reporters never read it.
        EvaluationRequested r = withoutHistory(Json.readRetained(record.value(), EvaluationRequested.class));
        after = before.request() != null ? before : before.with(r, before.checks(), before.results(), before.verdict(), id);
      } else if (topic.equals(topics.checksRequested())) {
        CheckRequested read = Json.readRetained(record.value(), CheckRequested.class);
        // Each check carries the request's deploy history (up to 20 deploys) and target; the view shows only its
        // deadline and attempt: neither five copies of the history nor of the target are kept as long as the evaluation.
        DeployTarget target = before.request() != null ? before.request().target() : read.target();
        CheckRequested c = new CheckRequested(read.schemaVersion(), read.evaluationId(), read.checkId(), read.requestId(),
            target, read.probe(), read.deadline(), read.requestedAt(), null, read.attempt());
        Map<ProbeId, CheckRequested> checks = new HashMap<>(before.checks());
        checks.merge(c.probe(), c, (old, neu) -> neu.attempt() > old.attempt() ? neu : old);
        after = before.with(before.request(), checks, before.results(), before.verdict(), id);
      } else if (topic.equals(topics.probesCompleted())) {
        ProbeCompleted read = Json.readRetained(record.value(), ProbeCompleted.class);
        // The view shows neither the repository policy nor the commit range the worker read (the aggregator has them).
        ProbeCompleted p = new ProbeCompleted(read.schemaVersion(), read.evaluationId(), read.checkId(), read.requestId(),
            read.probe(), read.status(), read.reason(), read.findings(), read.findingsTruncated(), null, read.worker(),
            read.startedAt(), read.completedAt(), read.retryAt(), read.attempt(), null);
        Map<ProbeId, ProbeCompleted> results = new HashMap<>(before.results());
        results.merge(p.probe(), p, (old, neu) -> neu.attempt() > old.attempt() ? neu : old); // first answer per attempt
        after = before.with(before.request(), before.checks(), results, before.verdict(), id);
      } else {
        VerdictReached v = Json.readRetained(record.value(), VerdictReached.class);
        // Keep the highest revision: a re-evaluation (a freeze ended) supersedes the first verdict.
        boolean newer = before.verdict() == null || v.revision() > before.verdict().revision();
        after = newer ? before.with(before.request(), before.checks(), before.results(), v, id) : before;
        if (newer) {
          deploys.onVerdict(v);
        }
      }
      if (after == before) {
        return;
      }
      store(id, before, after);
      notifyListeners(id, after.view());
    } catch (Json.MalformedMessageException e) {
      // The aggregator or the workers dead-letter unreadable records; the view only skips them.
      unreadable.increment();
    }
  }

  private static EvaluationRequested withoutHistory(EvaluationRequested r) {
    return new EvaluationRequested(r.schemaVersion(), r.evaluationId(), r.requestId(), r.target(), r.source(), r.requestedBy(),
        r.deliveryId(), r.idempotencyKey(), r.requestFingerprint(), r.extraProbes(), r.requestedAt(), null, r.github(), r.gitlab(), r.submittedBy(),
        r.deployers(), r.untrustedBaseline(), r.artifactDigest());
  }

  private void store(String id, Entry before, Entry after) {
    index.update(before.view(), after.view());
    if (entries.put(id, after) == null) {
      order.add(id);
      evictOldest();
    }
  }

  private void evictOldest() {
    while (entries.size() > maxEvaluations) {
      String oldest = order.poll();
      if (oldest == null) {
        return;
      }
      Entry gone = entries.remove(oldest);
      if (gone != null) {
        index.update(gone.view(), null);
      }
    }
  }

  private void notifyListeners(String id, EvaluationView view) {
    if (view == null) {
      return;
    }
    List<Consumer<EvaluationView>> ls = listeners.get(id);
    if (ls != null) {
      for (Consumer<EvaluationView> l : ls) {
        l.accept(view);
      }
    }
    for (Consumer<EvaluationView> l : globalListeners) {
      l.accept(view);
    }
  }

  /**
   * Calls {@code listener} (on the views thread, so it must not block) each time any evaluation changes, until the
   * returned handle is run. The dashboard's live updates use it; the views are rebuilt on start, so while catching
   * up it sees every historical change too.
   */
  public Runnable listenAll(Consumer<EvaluationView> listener) {
    globalListeners.add(listener);
    return () -> globalListeners.remove(listener);
  }

  /** Recent deploys of every repository and environment, per (tenant, repository, environment). */
  public List<EnvironmentDeploys> deployments() {
    return deploys.all();
  }

  /** Every environment's locks and queue. */
  public EnvironmentGates gates() {
    return gates;
  }

  /** The recent audit records (bypasses, override votes and refusals), newest first. */
  public AuditLog audit() {
    return audit;
  }

  /** The deploy history to attach to a new evaluation. */
  public DeployHistory historyFor(String tenant, String repository, String environment, String candidate) {
    return deploys.historyFor(tenant, repository, environment, candidate);
  }

  /** The commit last deployed successfully to the environment, whether Tollgate decided GO for it or not. */
  public Optional<String> lastDeployed(String tenant, String repository, String environment) {
    return deploys.lastDeployed(tenant, repository, environment);
  }

  /** The newest successful deploy of the environment that Tollgate decided GO or OVERRIDDEN for: the trusted baseline. */
  public Optional<String> lastTrustedDeploy(String tenant, String repository, String environment) {
    return deploys.lastTrustedDeploy(tenant, repository, environment);
  }

  /**
   * What Tollgate decided and recorded for {@code commit} in {@code environment} (GO or OVERRIDDEN there, deployed
   * there); {@code go} is what makes a commit a trusted baseline and a deploy of it not a bypass. O(1).
   */
  public CandidateStatus commitStatus(String tenant, String repository, String environment, String commit) {
    return deploys.status(tenant, repository, environment, commit);
  }

  /** The evaluation, if known. */
  public Optional<EvaluationView> get(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.ofNullable(e.view());
  }

  /**
   * The request that started evaluation {@code id}, if known: what the view does not show (the GitHub origin a
   * reporter answers to, the idempotency key). Without its deploy history, which the views do not keep.
   */
  public Optional<EvaluationRequested> request(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.ofNullable(e.request());
  }

  /** The newest verdict revision of evaluation {@code id} as published, if known (reporters judge it again). */
  public Optional<VerdictReached> verdict(String id) {
    Entry e = entries.get(id);
    return e == null ? Optional.empty() : Optional.ofNullable(e.verdict());
  }

  /**
   * What a list is about, as far as the views index it: each value given (not null) must match. The views then read
   * only the evaluations of the most selective of them, newest first, and stop at the limit.
   *
   * @param verdict {@code GO}, {@code NO_GO}, {@code OVERRIDDEN} or {@code PENDING}
   * @param candidate a full commit id
   */
  public record Query(String tenant, String environment, String repository, String verdict, String candidate) {
    /** Every evaluation. */
    public static final Query ANY = new Query(null, null, null, null, null);

    /** The evaluations of one environment (of {@code tenant}, unless null). */
    public static Query environment(String tenant, String name) {
      return new Query(tenant, name, null, null, null);
    }

    boolean matches(EvaluationView v) {
      return (tenant == null || tenant.equals(v.tenant()))
          && (environment == null || environment.equals(v.environment()))
          && (repository == null || repository.equals(v.repository()))
          && (verdict == null || verdict.equals(v.verdict() == null ? "PENDING" : v.verdict().decision()))
          && (candidate == null || candidate.equals(v.candidate()));
    }

    List<String> keys() {
      List<String> keys = new ArrayList<>(List.of(ViewIndex.ALL));
      if (tenant != null) {
        keys.add(ViewIndex.tenant(tenant));
      }
      if (environment != null) {
        keys.add(ViewIndex.environment(environment));
      }
      if (repository != null) {
        keys.add(ViewIndex.repository(repository));
      }
      if (verdict != null) {
        keys.add(ViewIndex.verdict(verdict));
      }
      if (candidate != null) {
        keys.add(ViewIndex.candidate(candidate));
      }
      return keys;
    }
  }

  /** Evaluations matching {@code filter}, newest first, at most {@code limit}. */
  public List<EvaluationView> list(Predicate<EvaluationView> filter, int limit) {
    return list(Query.ANY, filter, limit);
  }

  /**
   * Evaluations matching {@code query} and {@code filter}, newest first (by request time), at most {@code limit}: reads
   * the query's smallest index until {@code limit} match, never the whole history unless nothing else matches.
   */
  public List<EvaluationView> list(Query query, Predicate<EvaluationView> filter, int limit) {
    Set<String> seen = new HashSet<>();
    return index.newestFirst(query.keys()).map(this::read).filter(Objects::nonNull).map(Entry::view)
        .filter(v -> v != null && query.matches(v) && filter.test(v) && seen.add(v.id())).limit(limit).toList();
  }

  private Entry read(String id) {
    listRead.increment();
    return entries.get(id);
  }

  /**
   * Decided evaluations matching {@code filter}, newest verdict first (the latest revision's decision time, in
   * [{@code since}, {@code until}) where given), at most {@code limit}: the audit log's verdicts.
   */
  public List<EvaluationView> decided(Instant since, Instant until, Predicate<EvaluationView> filter, int limit) {
    Set<String> seen = new HashSet<>();
    return index.decidedNewestFirst(since, until).map(this::read).filter(Objects::nonNull).map(Entry::view)
        .filter(v -> v != null && v.verdict() != null && filter.test(v) && seen.add(v.id())).limit(limit).toList();
  }

  /**
   * Calls {@code listener} (on the views thread) each time evaluation {@code id} changes, until the returned
   * handle is run.
   */
  public Runnable listen(String id, Consumer<EvaluationView> listener) {
    listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> listeners.computeIfPresent(id, (k, list) -> {
      list.remove(listener);
      return list.isEmpty() ? null : list;
    });
  }

  /** True once everything on the topics at start has been read. */
  public boolean caughtUp() {
    return replay.caughtUp();
  }

  /** Waits until the views are caught up. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return replay.awaitCaughtUp(timeout);
  }

  /** True while the views read Kafka (they poll at least every 200 ms). */
  public boolean isRunning() {
    return replay.isRunning();
  }

  @Override
  public void close() {
    replay.close();
  }
}
