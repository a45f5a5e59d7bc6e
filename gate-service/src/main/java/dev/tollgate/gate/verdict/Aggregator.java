package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.TraceContext;
import dev.tollgate.gate.kafka.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.override.Ballot;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregation processor: one instance per partition (Streams task). On {@code EvaluationRequested} it
 * dispatches one {@code CheckRequested} per probe; on {@code ProbeCompleted} it records the result; after each
 * and on a wall-clock tick it asks {@link VerdictPolicy} whether the verdict can be decided, and publishes it
 * once. Nothing it receives can stop it: an unreadable record goes to the dead-letter topic.
 *
 * <p>The store keeps decided evaluations for {@code keepDecided} (overrides and late results still find them), so it
 * holds days of history; the tick must not pay for it. Every write goes through {@link #save}, which also files the
 * evaluation in a {@link DueIndex} under the one time it next needs the tick (a deadline, the end of a hold, its
 * expiry): a tick visits only what is due. The index is rebuilt from the store on {@link #init}, once per task
 * assignment (Streams calls it after restoring the store from the changelog).
 */
final class Aggregator implements Processor<String, byte[], String, byte[]> {
  static final String STORE = "aggregations";
  static final String CHECKS_SINK = "checks-sink";
  static final String VERDICTS_SINK = "verdicts-sink";
  static final String DEAD_LETTER_SINK = "dead-letter-sink";
  static final String ADMISSIONS_SINK = "admissions-sink";
  /** How often the wall clock is looked at: the latest a deadline or the end of a hold is acted on. */
  static final Duration TICK = Duration.ofMillis(100);
  /** Decided evaluations stay this long, so overrides and late results still find them. */
  static final Duration KEEP_DECIDED = Duration.ofDays(7);
  private static final Logger log = LoggerFactory.getLogger(Aggregator.class);

  private final Topics topics;
  private final ServerPolicy policy;
  private final Clock clock;
  private final Duration tick;
  /** Decided evaluations stay this long, so overrides and late results still find them. */
  private final Duration keepDecided;
  private final Counter deadLetters;
  private final MeterRegistry meters;
  private ProcessorContext<String, byte[]> context;
  /** The span of the record being processed (null in punctuations). */
  private Span span;
  private KeyValueStore<String, byte[]> store;
  private final DueIndex due = new DueIndex();
  /** Evaluations a tick read from the store: what is due, never the whole history. */
  private final Counter visited;
  private final Counter expired;
  /** The open evaluations' states as last written, so a result does not parse again what this task just stored. */
  private final ParsedStates parsed;
  private final Counter readFromCopy;
  private final Counter readParsed;

  Aggregator(Topics topics, ServerPolicy policy, Clock clock, Duration tick, Duration keepDecided, MeterRegistry meters) {
    this(topics, policy, clock, tick, keepDecided, meters, ParsedStates.DEFAULT_MAX_BYTES);
  }

  Aggregator(Topics topics, ServerPolicy policy, Clock clock, Duration tick, Duration keepDecided, MeterRegistry meters,
      long parsedBytes) {
    this.parsed = new ParsedStates(parsedBytes);
    this.topics = topics;
    this.policy = policy;
    this.clock = clock;
    this.tick = tick;
    this.keepDecided = keepDecided;
    this.meters = meters;
    this.deadLetters = Counter.builder("tollgate.deadletters").description("Records copied to the dead-letter topic")
        .tag("consumer", "verdict-aggregator").register(meters);
    this.visited = Counter.builder("tollgate.aggregator.tick.visited")
        .description("Evaluations the aggregator's wall-clock tick read from its store (only those due)").register(meters);
    this.expired = Counter.builder("tollgate.aggregator.expired")
        .description("Decided evaluations deleted from the aggregator's store after their retention").register(meters);
    this.readFromCopy = Counter.builder("tollgate.aggregator.states.read").tag("from", "copy")
        .description("States the aggregator read from its store: parsed, or the parsed copy of the same bytes").register(meters);
    this.readParsed = Counter.builder("tollgate.aggregator.states.read").tag("from", "parsed")
        .description("States the aggregator read from its store: parsed, or the parsed copy of the same bytes").register(meters);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    rebuildIndex();
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ts -> tick());
  }

  /**
   * Files every stored evaluation under its due time: the one pass over the store, when the task is (re)initialised.
   * Streams may initialise the same processor again after suspending its task, so it starts from empty.
   */
  private void rebuildIndex() {
    long started = System.nanoTime();
    due.clear();
    parsed.clear(); // the store may have been restored from the changelog: no copy of before is trusted
    List<String> unreadable = new ArrayList<>();
    int open = 0;
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        AggregationState state = parse(kv.value);
        if (state == null) {
          unreadable.add(kv.key);
        } else {
          due.schedule(kv.key, dueAt(state));
          open += state.decided() ? 0 : 1;
        }
      }
    }
    unreadable.forEach(store::delete);
    log.atInfo().addKeyValue("event", "aggregator.index.rebuilt")
        .addKeyValue("task", context.taskId().toString()).addKeyValue("evaluations", due.size()).addKeyValue("open", open)
        .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000)
        .log("aggregator task indexed {} stored evaluations ({} open)", due.size(), open);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    var parent = record.headers().lastHeader(HeaderNames.TRACEPARENT);
    String key = record.key() == null ? "unknown" : record.key();
    span = Tracing.start("aggregate " + topic.substring(topic.lastIndexOf("tollgate.") + 9), SpanKind.CONSUMER, key,
        parent == null ? null : new String(parent.value(), StandardCharsets.UTF_8));
    try {
      if (topic.equals(topics.evaluationsRequested())) {
        onRequested(Json.read(record.value(), EvaluationRequested.class));
      } else if (topic.equals(topics.probesCompleted())) {
        onCompleted(Json.read(record.value(), ProbeCompleted.class));
      } else if (topic.equals(topics.overridesRecorded())) {
        onOverride(Json.read(record.value(), OverrideRecorded.class));
      }
    } catch (Json.MalformedMessageException e) {
      deadLetter(record, topic, e.getMessage());
    } catch (RuntimeException e) {
      // A bug must not stop aggregation for every other evaluation on this partition.
      log.atError().addKeyValue("event", "aggregator.failed").addKeyValue("topic", topic).setCause(e)
          .log("aggregator could not process a record; it was dead-lettered");
      deadLetter(record, topic, "aggregator failed: " + e.getClass().getSimpleName());
    } finally {
      span.end();
      span = null;
    }
  }

  private void onRequested(EvaluationRequested request) {
    if (store.get(request.evaluationId()) != null) {
      return; // a duplicate publish of the same request
    }
    Instant now = clock.instant();
    Optional<EnvironmentPolicy> env = policy.environment(request.target().environment());
    if (env.isEmpty()) {
      // The gate validated the environment, but the server policy may have changed since: fail closed.
      AggregationState state = new AggregationState(AggregationState.VERSION, request.evaluationId(), request.requestId(),
          request.target(), request.requestedAt(), policy.version(), false, Map.of(), null, null, null, request.history(),
          Duration.ZERO, 0, null, List.of(), Map.of(), List.of(), request.submittedBy(), request.deployers(),
          request.artifactDigest(), request.source());
      publish(VerdictReached.of(request.evaluationId(), request.requestId(), request.target(), Decision.NO_GO,
          List.of(new Reason(ReasonCode.POLICY_REJECTED, null, "environment " + request.target().environment()
              + " is not configured on this server")), List.of(), "server:" + policy.version(), request.requestedAt(), now,
          1, null, false).withArtifactDigests(VerdictPolicy.artifactDigests(state)),
          state);
      return;
    }
    AggregationState state = VerdictPolicy.dispatch(request, env.get(), policy.version(), now);
    for (var slot : state.slots().entrySet()) {
      dispatch(state, slot.getKey(), slot.getValue(), now);
    }
    log.atInfo().addKeyValue("event", "checks.dispatched").addKeyValue("requestId", request.requestId())
        .addKeyValue("evaluationId", request.evaluationId()).addKeyValue("tenant", request.target().tenant())
        .addKeyValue("probes", state.slots().size()).log("dispatched {} checks", state.slots().size());
    decideOrStore(state, now);
  }

  private void onCompleted(ProbeCompleted result) {
    AggregationState state = load(result.evaluationId());
    if (state == null || state.decided()) {
      return; // a late or duplicate result: the verdict does not change
    }
    Instant now = clock.instant();
    state = VerdictPolicy.record(state, result);
    Set<ProbeId> extra = VerdictPolicy.undispatchedRequirements(state);
    if (!extra.isEmpty()) {
      Duration deadline = policy.environment(state.target().environment()).map(EnvironmentPolicy::defaultDeadline)
          .orElse(Duration.ofSeconds(60));
      state = VerdictPolicy.addRequired(state, extra, deadline, now);
      for (ProbeId p : extra) {
        dispatch(state, p, state.slots().get(p), now);
      }
    }
    decideOrStore(state, now);
  }

  /**
   * A vote (validated by the gate's override service): approve, reject or withdraw, applied by {@link Ballot}'s rule
   * (one standing vote per person per revision), only for the NO_GO of the same commit and while valid. When the
   * environment's N approvals of this revision are in, the OVERRIDDEN verdict follows; a withdrawn approval no longer
   * counts.
   */
  private void onOverride(OverrideRecorded vote) {
    AggregationState state = load(vote.evaluationId());
    Instant now = clock.instant();
    if (state == null || state.decision() != Decision.NO_GO || !state.target().candidate().equals(vote.target().candidate())
        || !vote.expiresAt().isAfter(now)) {
      log.atWarn().addKeyValue("event", "override.ignored").addKeyValue("requestId", vote.requestId())
          .addKeyValue("evaluationId", vote.evaluationId())
          .log("override vote not counted: the evaluation is not a NO_GO of this commit here, or the vote expired");
      return;
    }
    AggregationState voted = state.withVotes(Ballot.apply(state.votes(), vote));
    int required = policy.environment(state.target().environment()).map(e -> e.overrides().required()).orElse(Integer.MAX_VALUE);
    Optional<VerdictReached> overridden = VerdictPolicy.override(voted, required, now);
    if (overridden.isPresent()) {
      publish(overridden.get(), voted);
    } else {
      save(voted);
    }
  }

  /** The wall-clock tick: acts on the evaluations due now, in time order, and on nothing else. */
  private void tick() {
    Instant now = clock.instant();
    for (String id = due.pollDue(now); id != null; id = due.pollDue(now)) {
      visited.increment();
      byte[] bytes = store.get(id);
      AggregationState state = read(id, bytes);
      if (state == null) {
        if (bytes != null) {
          store.delete(id); // unreadable (logged by parse): nothing could ever decide it
        }
        continue;
      }
      try {
        fire(state, now);
      } catch (RuntimeException e) {
        log.atError().addKeyValue("event", "aggregator.tick.failed").addKeyValue("evaluationId", id).setCause(e)
            .log("could not decide evaluation; trying again in a second");
        due.schedule(id, now.plusSeconds(1));
      }
    }
  }

  /** One due evaluation: decide it, re-evaluate it, expire it, or file it again under its (later) due time. */
  private void fire(AggregationState state, Instant now) {
    if (!state.decided()) {
      Optional<VerdictReached> verdict = VerdictPolicy.decide(state, now);
      if (verdict.isPresent()) {
        publish(verdict.get(), state);
      } else {
        // Some probe is still within its deadline: due again at the next one.
        due.schedule(state.evaluationId(), VerdictPolicy.deadlineAfter(state, now).orElse(now.plus(tick)));
      }
    } else if (state.heldUntil() != null) {
      if (now.isBefore(state.heldUntil())) {
        due.schedule(state.evaluationId(), state.heldUntil());
      } else {
        reevaluate(state, now);
      }
    } else if (state.decidedAt().plus(keepDecided).isBefore(now)) {
      store.delete(state.evaluationId()); // decided: save() kept no parsed copy of it
      expired.increment();
    } else {
      due.schedule(state.evaluationId(), dueAt(state));
    }
  }

  /** When {@code state} next needs the tick: its earliest deadline, the end of its hold, or when it expires. */
  private Instant dueAt(AggregationState state) {
    if (!state.decided()) {
      // Stored open states always have a pending probe; without one, the next tick decides it.
      return VerdictPolicy.deadlineAfter(state, Instant.MIN).orElse(state.requestedAt());
    }
    if (state.heldUntil() != null) {
      return state.heldUntil();
    }
    // Expired strictly after this instant (see fire): one tick later is soon enough.
    return state.decidedAt().plus(keepDecided).plus(tick);
  }

  /** The one way state is written: the store, and the index of when it is next due. */
  private void save(AggregationState state) {
    byte[] bytes = Json.write(state);
    store.put(state.evaluationId(), bytes);
    if (state.decided()) {
      parsed.remove(state.evaluationId()); // read again only by an override, a late result or the tick: rare
    } else {
      parsed.put(state.evaluationId(), bytes, state);
    }
    due.schedule(state.evaluationId(), dueAt(state));
  }

  /** A held NO_GO's window ended: ask the probes whose findings were to clear again. */
  private void reevaluate(AggregationState held, Instant now) {
    AggregationState reopened = VerdictPolicy.reopen(held, now);
    reopened.slots().forEach((probe, slot) -> {
      if (slot.pending()) {
        dispatch(reopened, probe, slot, now);
      }
    });
    log.atInfo().addKeyValue("event", "evaluation.reevaluated").addKeyValue("requestId", held.requestId())
        .addKeyValue("evaluationId", held.evaluationId()).addKeyValue("revision", held.revision())
        .log("held evaluation re-evaluated at the end of its window");
    save(reopened);
  }

  private void decideOrStore(AggregationState state, Instant now) {
    Optional<VerdictReached> verdict = VerdictPolicy.decide(state, now);
    if (verdict.isPresent()) {
      publish(verdict.get(), state);
    } else {
      save(state);
    }
  }

  private void dispatch(AggregationState state, ProbeId probe, AggregationState.Slot slot, Instant now) {
    CheckRequested check = CheckRequested.of(state.evaluationId(), state.requestId(), state.target(), probe,
        slot.dispatchedAt().plus(slot.deadline()), now, state.history());
    if (slot.attempt() > 1) {
      check = check.again(slot.attempt(), check.deadline(), now);
    }
    context.forward(new Record<>(state.evaluationId(), Json.write(check), now.toEpochMilli(),
        headers(state.requestId(), "CheckRequested", state.evaluationId())), CHECKS_SINK);
  }

  /** The submitter and the deployers, each in the namespace of the request's source (a deploy lock compares these). */
  static List<Identity> parties(AggregationState state) {
    return Identity.parties(state.source(), state.submittedBy(), state.deployers());
  }

  private void publish(VerdictReached verdict, AggregationState state) {
    // Store the decision first: if the forward is replayed after a crash, the marker makes it a no-op next time.
    save(state.decided(verdict.decision(), verdict.decidedAt(), verdict.revision(), verdict.held() ? verdict.retryAt() : null,
        verdict.reasons()));
    if (verdict.decision().permitsDeploy()) {
      // A verdict that lets the deploy go asks the environment's gate for its turn (locks, queue): that gate, the one
      // task owning the environment's partition, publishes it or a held NO_GO, so two GOs never race for one slot.
      AdmissionRequested admission = AdmissionRequested.of(verdict, state.submittedBy(), state.deployers(), parties(state));
      context.forward(new Record<>(admission.environmentKey(), Json.write(admission), verdict.decidedAt().toEpochMilli(),
          headers(verdict.requestId(), "AdmissionRequested", verdict.evaluationId())), ADMISSIONS_SINK);
      log.atInfo().addKeyValue("event", "admission.requested").addKeyValue("requestId", verdict.requestId())
          .addKeyValue("evaluationId", verdict.evaluationId()).addKeyValue("decision", verdict.decision().name())
          .log("{} for {} asks for the environment's turn", verdict.decision(), verdict.target().environment());
      return;
    }
    context.forward(new Record<>(verdict.evaluationId(), Json.write(verdict), verdict.decidedAt().toEpochMilli(),
        headers(verdict.requestId(), "VerdictReached", verdict.evaluationId())), VERDICTS_SINK);
    count(meters, verdict);
    log.atInfo().addKeyValue("event", "verdict.reached").addKeyValue("requestId", verdict.requestId())
        .addKeyValue("evaluationId", verdict.evaluationId()).addKeyValue("tenant", verdict.target().tenant())
        .addKeyValue("decision", verdict.decision().name()).addKeyValue("reasons", verdict.reasons().size())
        .addKeyValue("revision", verdict.revision()).addKeyValue("held", verdict.held())
        .log("verdict {} for {}", verdict.decision(), verdict.target().environment());
  }

  /** Counts a published verdict (and its latency, for a first revision): here and in the environment gate. */
  static void count(MeterRegistry meters, VerdictReached verdict) {
    meters.counter("tollgate.verdicts", "decision", verdict.decision().name()).increment();
    if (verdict.revision() > 1) {
      meters.counter("tollgate.verdicts.revised", "decision", verdict.decision().name()).increment();
    } else {
      recordLatency(meters, verdict);
    }
  }

  private static void recordLatency(MeterRegistry meters, VerdictReached verdict) {
    Timer.builder("tollgate.evaluation.latency").description("Evaluation requested to first verdict")
        .tag("decision", verdict.decision().name()).publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
        .register(meters).record(Duration.between(verdict.requestedAt(), verdict.decidedAt()));
  }

  private void deadLetter(Record<String, byte[]> record, String topic, String error) {
    deadLetters.increment();
    log.atWarn().addKeyValue("event", "record.deadlettered").addKeyValue("topic", topic)
        .log("unreadable record dead-lettered: {}", error);
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(new RecordHeader(HeaderNames.ERROR, bytes(error)));
    headers.add(new RecordHeader(HeaderNames.SOURCE_TOPIC, bytes(topic)));
    context.recordMetadata().ifPresent(m -> {
      headers.add(new RecordHeader(HeaderNames.SOURCE_PARTITION, bytes(Integer.toString(m.partition()))));
      headers.add(new RecordHeader(HeaderNames.SOURCE_OFFSET, bytes(Long.toString(m.offset()))));
    });
    headers.add(new RecordHeader(HeaderNames.CONSUMER, bytes("verdict-aggregator")));
    context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), DEAD_LETTER_SINK);
  }

  /** States the parsed copy holds (tests: a decided state keeps none). */
  int parsedCopies() {
    return parsed.size();
  }

  private AggregationState load(String evaluationId) {
    return read(evaluationId, store.get(evaluationId));
  }

  /**
   * The state {@code bytes} (just read from the store) hold: the parsed copy when the store still holds the very bytes
   * it was written as, else parsed. The store is read every time, so a restored or replaced state is never missed.
   */
  private AggregationState read(String evaluationId, byte[] bytes) {
    AggregationState copy = parsed.get(evaluationId, bytes);
    if (copy != null) {
      readFromCopy.increment();
      // Tests run with assertions on: every copy used must be what parsing the stored bytes gives.
      assert copy.equals(parse(bytes)) : "the parsed copy of " + evaluationId + " differs from its stored bytes";
      return copy;
    }
    if (bytes != null) {
      readParsed.increment();
    }
    return parse(bytes);
  }

  private static AggregationState parse(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return Json.read(bytes, AggregationState.class);
    } catch (Json.MalformedMessageException e) {
      log.atError().addKeyValue("event", "aggregator.state.unreadable").log("dropping unreadable aggregation state: {}", e.getMessage());
      return null;
    }
  }

  /** Headers of an outgoing record: request id, type, and the trace context of the hop that produced it. */
  private Headers headers(String requestId, String type, String evaluationId) {
    Headers h = new RecordHeaders();
    h.add(new RecordHeader(HeaderNames.REQUEST_ID, bytes(requestId)));
    h.add(new RecordHeader(HeaderNames.MESSAGE_TYPE, bytes(type)));
    String traceparent = span != null ? Tracing.header(span, evaluationId) : TraceContext.forEvaluation(evaluationId).header();
    h.add(new RecordHeader(HeaderNames.TRACEPARENT, bytes(traceparent)));
    return h;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
