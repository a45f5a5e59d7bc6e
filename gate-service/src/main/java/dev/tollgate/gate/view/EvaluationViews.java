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
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.VerdictReached;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.gate.kafka.TopicReplay;
import dev.tollgate.gate.offheap.ArrivalOrder;
import dev.tollgate.gate.offheap.OffHeapStore;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation views of one gate instance, rebuilt from Kafka on start and kept current by one consumer thread that
 * reads every partition of the request, check, result and verdict topics (assigned, not in a group: every instance
 * needs everything). Readers on other threads see immutable snapshots.
 *
 * <p>The heap holds the open evaluations and the {@code hotEvaluations} most recently changed decided ones; a decided
 * evaluation that leaves the hot set is written to an {@link OffHeapStore} (where the orders lists read are too,
 * {@link ViewIndex}) and read back from there on demand. So heap after GC does not grow with history; the store is a cache
 * of the topics, rebuilt on every start like the views.
 */
public final class EvaluationViews implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvaluationViews.class);

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final int maxEvaluations;
  /** Decided evaluations kept on the heap by default: about 5 KiB each (ViewsMemoryBench). */
  public static final int HOT_EVALUATIONS = 1_000;
  private static final byte ENTRY = 'e';
  private static final byte ARRIVAL = 'a';

  /** Evaluations without a verdict yet: always on the heap (there are few, and they change). */
  private final Map<String, Entry> open = new ConcurrentHashMap<>();
  /** Decided evaluations recently changed; every decided one is in {@link #offHeap} too. */
  private final Cache<String, Entry> hot;
  private final OffHeapStore offHeap;
  /** Evaluations known (open and decided). */
  private final AtomicLong size = new AtomicLong();
  /** The order evaluations arrived in: the cap evicts the oldest first. */
  private final ArrivalOrder arrivals;
  private final Map<String, List<Consumer<EvaluationView>>> listeners = new ConcurrentHashMap<>();
  private final List<Consumer<EvaluationView>> globalListeners = new CopyOnWriteArrayList<>();
  /** The orders lists read evaluations in, so that a request reads what it returns rather than the whole history. */
  private final ViewIndex index;
  private final DeployIndex deploys;
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

  /** Views over a temporary off-heap store, with {@link #HOT_EVALUATIONS} decided evaluations on the heap. */
  public EvaluationViews(Topics topics, Map<String, Object> kafka, int maxEvaluations, MeterRegistry meters) {
    this(topics, kafka, maxEvaluations, HOT_EVALUATIONS, OffHeapStore.temporary("views"), meters);
  }

  /**
   * @param hotEvaluations decided evaluations kept on the heap (the most recently changed)
   * @param offHeap where the others are (owned: closed with the views)
   */
  public EvaluationViews(Topics topics, Map<String, Object> kafka, int maxEvaluations, int hotEvaluations, OffHeapStore offHeap,
      MeterRegistry meters) {
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.maxEvaluations = maxEvaluations;
    this.offHeap = offHeap;
    this.index = new ViewIndex(offHeap);
    this.arrivals = new ArrivalOrder(offHeap, ARRIVAL);
    this.deploys = new DeployIndex(offHeap);
    // A decided evaluation is written off the heap when it leaves the hot set, not at every change (an evaluation
    // changes with each record that follows its verdict, and all of them at once while catching up). The listener runs
    // inside the eviction's atomic operation, so a reader finds it in one place or the other throughout. The executor
    // runs maintenance on the calling thread, but any thread's read or write may be the one that runs it: the eviction
    // (and this write) may happen on a reader's thread, and the count on the heap is an estimate.
    this.hot = Caffeine.newBuilder().maximumSize(hotEvaluations).executor(Runnable::run)
        .<String, Entry>evictionListener((id, entry, cause) -> {
          if (id != null && entry != null && cause.wasEvicted()) {
            writeOffHeap(id, entry);
          }
        }).build();
    this.unreadable = Counter.builder("tollgate.views.unreadable").description("Records the evaluation views could not read")
        .register(meters);
    this.listRead = Counter.builder("tollgate.views.list.read")
        .description("Evaluations the views read to answer lists and the audit log (returned, or dropped by a filter)")
        .register(meters);
    Gauge.builder("tollgate.views.evaluations", size, AtomicLong::get).description("Evaluations the views know").register(meters);
    Gauge.builder("tollgate.views.evaluations.heap", this, EvaluationViews::inMemory)
        .description("Evaluations held on the heap: the open ones and the hot set of decided ones").register(meters);
    Gauge.builder("tollgate.views.offheap.memory", offHeap, OffHeapStore::memoryBytes).baseUnit("bytes")
        .description("Native memory of the views' off-heap store (block cache, write buffers, table readers)").register(meters);
    Gauge.builder("tollgate.views.offheap.disk", offHeap, OffHeapStore::diskBytes).baseUnit("bytes")
        .description("Disk used by the views' off-heap store's table files").register(meters);
    this.replay = new TopicReplay(this.kafka, "gate-views", List.of(topics.evaluationsRequested(), topics.checksRequested(),
        topics.probesCompleted(), topics.verdictsReached(), topics.deploymentsRecorded(), topics.overridesRecorded(),
        topics.auditRecorded(), topics.environmentGatesChanged()), this::apply,
        done -> log.atInfo().addKeyValue("event", "views.caught-up").addKeyValue("records", done.records())
            .addKeyValue("evaluations", size.get()).addKeyValue("durationMs", done.durationMs())
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
      Entry before = lookup(id);
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
          deploys.onVerdict(v, parties(before.request()));
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

  /** What is known of one evaluation in what the views hold: the heap first, then the off-heap store. Any thread. */
  private Entry lookup(String id) {
    Entry e = open.get(id);
    if (e == null) {
      e = hot.getIfPresent(id);
    }
    if (e == null) {
      // Readers never put what they read back into the hot set: it could overwrite a newer version being written.
      e = readOffHeap(id);
    }
    return e == null ? Entry.EMPTY : e;
  }

  private Entry readOffHeap(String id) {
    byte[] bytes = offHeap.get(entryKey(id));
    if (bytes == null) {
      return null;
    }
    Stored s = Json.read(bytes, Stored.class);
    Map<ProbeId, CheckRequested> checks = new HashMap<>();
    s.checks().forEach(c -> checks.put(c.probe(), c));
    Map<ProbeId, ProbeCompleted> results = new HashMap<>();
    s.results().forEach(p -> results.put(p.probe(), p));
    return Entry.EMPTY.with(s.request(), checks, results, s.verdict(), s.overrides(), id);
  }

  private void writeOffHeap(String id, Entry e) {
    byte[] bytes = Json.write(new Stored(e.request(), List.copyOf(e.checks().values()), List.copyOf(e.results().values()),
        e.verdict(), e.overrides()));
    offHeap.write(b -> b.put(entryKey(id), bytes));
  }

  /** An evaluation as the off-heap store keeps it (the view is rendered again when read). */
  record Stored(EvaluationRequested request, List<CheckRequested> checks, List<ProbeCompleted> results, VerdictReached verdict,
      List<OverrideRecorded> overrides) {}

  private static byte[] entryKey(String id) {
    return OffHeapStore.key(new byte[] {ENTRY}, OffHeapStore.utf8(id));
  }

  private void store(String id, Entry before, Entry after) {
    index.update(before.view(), after.view());
    boolean added = before == Entry.EMPTY;
    if (after.verdict() == null) {
      open.put(id, after);
    } else {
      // Into the hot set, then out of the open ones: a reader finds it in one of them throughout. An older version
      // off the heap (a late record of an old evaluation) is shadowed by the hot one and replaced when it leaves.
      hot.put(id, after);
      open.remove(id);
    }
    if (added) {
      arrivals.add(id);
      size.incrementAndGet();
      arrivals.evictWhile(() -> size.get() > maxEvaluations, this::evict);
    }
  }

  private void evict(String oldest) {
    Entry gone = lookup(oldest);
    if (gone != Entry.EMPTY) {
      index.update(gone.view(), null);
      // Out of the hot set first: an eviction of it between the two (on any thread) would write it back off the heap.
      hot.invalidate(oldest);
      open.remove(oldest);
      offHeap.write(b -> b.delete(entryKey(oldest)));
      size.decrementAndGet();
    }
  }

  /** Evaluations held on the heap: the open ones and the hot set of decided ones (the rest are off the heap). */
  public long inMemory() {
    return open.size() + hot.estimatedSize();
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

  /**
   * The deploy history as recorded, reports nobody vouched for included (each record says who reported it and whether
   * it counts): what the API and people are shown; evaluations get {@link #historyFor}.
   */
  public DeployHistory recordedHistory(String tenant, String repository, String environment, String candidate) {
    return deploys.recordedHistory(tenant, repository, environment, candidate);
  }

  /** The commit last deployed successfully to the environment, whether Tollgate decided GO for it or not. */
  public Optional<String> lastDeployed(String tenant, String repository, String environment) {
    return deploys.lastDeployed(tenant, repository, environment);
  }

  /** The newest successful deploy of the environment that Tollgate decided GO or OVERRIDDEN for: the trusted baseline. */
  public Optional<String> lastTrustedDeploy(String tenant, String repository, String environment) {
    return deploys.lastTrustedDeploy(tenant, repository, environment);
  }

  /** The request's submitter and deployers in the namespace of its source; none when the request is not known. */
  private static List<Identity> parties(EvaluationRequested r) {
    if (r == null) {
      return List.of();
    }
    return Identity.parties(r.source(), r.submittedBy(), r.deployers());
  }

  /**
   * Who submitted (or deploys for) the GO and OVERRIDDEN evaluations of {@code commit} in {@code environment}, in their
   * namespaces, newest first, a few at most: a report by one of them stands on its own GO. O(1).
   */
  public List<Identity> goParties(String tenant, String repository, String environment, String commit) {
    return deploys.goParties(tenant, repository, environment, commit);
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
    return Optional.ofNullable(lookup(id).view());
  }

  /**
   * The request that started evaluation {@code id}, if known: what the view does not show (the GitHub origin a
   * reporter answers to, the idempotency key). Without its deploy history, which the views do not keep.
   */
  public Optional<EvaluationRequested> request(String id) {
    return Optional.ofNullable(lookup(id).request());
  }

  /** The newest verdict revision of evaluation {@code id} as published, if known (reporters judge it again). */
  public Optional<VerdictReached> verdict(String id) {
    return Optional.ofNullable(lookup(id).verdict());
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

  /**
   * Evaluations one request may read (returned or dropped by a filter) before it stops: a request runs on a thread
   * other requests share, so a filter that keeps little must not walk the whole history.
   */
  public static final int MAX_READ = 5_000;

  /**
   * What a list returned, and whether it stopped at {@link #MAX_READ} before it had {@code limit} items or had read
   * everything it could match (then older matches may exist: the caller narrows its filters or pages with until).
   */
  public record Page(List<EvaluationView> items, boolean truncated) {}

  /** Evaluations matching {@code filter}, newest first, at most {@code limit}. */
  public List<EvaluationView> list(Predicate<EvaluationView> filter, int limit) {
    return list(Query.ANY, filter, limit);
  }

  /** {@link #page(Query, Set, Predicate, int)} of every tenant, without its truncation marker. */
  public List<EvaluationView> list(Query query, Predicate<EvaluationView> filter, int limit) {
    return page(query, null, filter, limit).items();
  }

  /**
   * Evaluations matching {@code query} and {@code filter}, newest first (by request time), at most {@code limit}: reads
   * the query's smallest index until {@code limit} match, never the whole history unless nothing else matches, and at
   * most {@link #MAX_READ} evaluations.
   *
   * @param tenants when the query names no tenant, the tenants to read (each from its own order, merged); null: all
   */
  public Page page(Query query, Set<String> tenants, Predicate<EvaluationView> filter, int limit) {
    if (query.tenant() != null || tenants == null) {
      return read(limit, budget -> {
        budget.limitFound(limit);
        index.newestFirst(query.keys(), id -> budget.visit(id, v -> query.matches(v) && filter.test(v)));
      }, EvaluationView::requestedAt);
    }
    return read(limit, budget -> {
      for (String t : tenants) {
        Query q = new Query(t, query.environment(), query.repository(), query.verdict(), query.candidate());
        budget.limitFound(limit);
        index.newestFirst(q.keys(), id -> budget.visit(id, v -> q.matches(v) && filter.test(v)));
      }
    }, EvaluationView::requestedAt);
  }

  private EvaluationView read(String id) {
    listRead.increment();
    return lookup(id).view();
  }

  /** Decided evaluations of every tenant matching {@code filter}: {@link #decidedPage} without its truncation marker. */
  public List<EvaluationView> decided(Instant since, Instant until, Predicate<EvaluationView> filter, int limit) {
    return decidedPage(null, since, until, filter, limit).items();
  }

  /**
   * Decided evaluations matching {@code filter}, newest verdict first (the latest revision's decision time, in
   * [{@code since}, {@code until}) where given), at most {@code limit}, reading at most {@link #MAX_READ}: the audit
   * log's verdicts.
   *
   * @param tenants the tenants to read, each from its own order (merged); null: every tenant
   */
  public Page decidedPage(Set<String> tenants, Instant since, Instant until, Predicate<EvaluationView> filter, int limit) {
    Predicate<EvaluationView> keep = v -> v.verdict() != null && filter.test(v);
    return read(limit, budget -> {
      for (String t : tenants == null ? java.util.Collections.<String>singleton(null) : tenants) {
        budget.limitFound(limit);
        index.decidedNewestFirst(t, since, until, id -> budget.visit(id, keep));
      }
    }, v -> v.verdict().decidedAt());
  }

  /** Reads the orders {@code scans} visits through one {@link Budget}; the newest {@code limit} of what they found. */
  private Page read(int limit, Consumer<Budget> scans, java.util.function.Function<EvaluationView, Instant> at) {
    if (limit <= 0) {
      return new Page(List.of(), false);
    }
    Budget budget = new Budget();
    scans.accept(budget);
    // Each order is newest first and read up to the limit, so the newest of their union are among what was found.
    List<EvaluationView> items = budget.found.stream()
        .sorted(java.util.Comparator.comparing(at, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())))
        .limit(limit).toList();
    return new Page(items, budget.exhausted);
  }

  /** What one request found, and the evaluations it may still read. */
  private final class Budget {
    final List<EvaluationView> found = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    int left = MAX_READ;
    int stopAt;
    boolean exhausted;

    /** The next order scanned stops when {@code limit} more are found. */
    void limitFound(int limit) {
      stopAt = found.size() + limit;
    }

    /** Reads {@code id}; false when the scan must stop (limit reached, or the budget spent). */
    boolean visit(String id, Predicate<EvaluationView> keep) {
      if (left == 0) {
        exhausted = true;
        return false;
      }
      left--;
      EvaluationView v = read(id);
      if (v != null && keep.test(v) && seen.add(v.id())) {
        found.add(v);
      }
      return found.size() < stopAt;
    }
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
    offHeap.close();
  }
}
