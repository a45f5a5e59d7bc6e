package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.TraceContext;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.lock.AdmissionRequested;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.AdmissionPolicy;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.verdict.EnvironmentGate.State;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The single writer of each environment's locks and queue ({@link EnvironmentGate}). Its input topics are keyed
 * {@code tenant|environment}, so every record about one environment reaches the one Streams task that owns its
 * partition, whichever gate runs that task: two GO verdicts (or two lock requests) for one environment are processed
 * one after the other by one thread, never side by side, and the state they see is the state the other left. The
 * state is in a changelog-backed store (restored on another gate after a failover) and published to the compacted
 * {@link Topics#ENVIRONMENT_GATES_CHANGED} for every gate's API and dashboard.
 *
 * <p>The one-second tick ends expired locks and timed-out slots. It reads only the environments due (a
 * {@link DueIndex} of each one's earliest lock expiry or slot timeout, rebuilt from the store when the task is
 * initialised and updated on every write), never every environment of the task.
 */
final class EnvironmentGateProcessor implements Processor<String, byte[], String, byte[]> {
  static final String STORE = "environment-gates";
  static final String VERDICTS_SINK = "gate-verdicts-sink";
  static final String AUDIT_SINK = "gate-audit-sink";
  static final String STATE_SINK = "gate-state-sink";
  static final Duration TICK = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(EnvironmentGateProcessor.class);

  private final Topics topics;
  private final ServerPolicy policy;
  private final Clock clock;
  private final MeterRegistry meters;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<String, byte[]> store;
  /** Environments ({@code tenant|environment}) by when the tick must next act there. */
  private final DueIndex due = new DueIndex();
  /** Environments a tick read from the store: those due, never the rest. */
  private final io.micrometer.core.instrument.Counter visited;

  EnvironmentGateProcessor(Topics topics, ServerPolicy policy, Clock clock, MeterRegistry meters) {
    this.topics = topics;
    this.policy = policy;
    this.clock = clock;
    this.meters = meters;
    this.visited = io.micrometer.core.instrument.Counter.builder("tollgate.environment.gate.tick.visited")
        .description("Environments the environment gate's wall-clock tick read from its store (only those due)")
        .register(meters);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    rebuildIndex();
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, ts -> tick());
  }

  /** The one pass over the store, when the task is (re)initialised (Streams may initialise a processor again). */
  private void rebuildIndex() {
    due.clear();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        try {
          schedule(kv.key, Json.read(kv.value, State.class));
        } catch (Json.MalformedMessageException e) {
          log.atWarn().addKeyValue("event", "environment.gate.unreadable").addKeyValue("key", kv.key)
              .log("unreadable environment state left as is: {}", e.getMessage());
        }
      }
    }
  }

  private void schedule(String key, State s) {
    Instant at = s.dueAt(admission(s));
    if (at == null) {
      due.remove(key);
    } else {
      due.schedule(key, at);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    Instant now = clock.instant();
    try {
      if (topic.equals(topics.admissionsRequested())) {
        AdmissionRequested a = Json.read(record.value(), AdmissionRequested.class);
        State s = load(a.verdict().target().tenant(), a.verdict().target().environment());
        apply(EnvironmentGate.admit(s, a, admission(s), now), now);
      } else if (topic.equals(topics.locksRequested())) {
        LockRequested cmd = Json.read(record.value(), LockRequested.class);
        State s = load(cmd.tenant(), cmd.environment());
        apply(EnvironmentGate.command(s, cmd, admission(s), now), now);
      } else if (topic.equals(topics.deploymentsRouted())) {
        DeploymentRecorded d = Json.read(record.value(), DeploymentRecorded.class);
        State s = load(d.tenant(), d.environment());
        apply(EnvironmentGate.deployed(s, d, admission(s), now), now);
      }
    } catch (Json.MalformedMessageException e) {
      log.atWarn().addKeyValue("event", "record.deadlettered").addKeyValue("topic", topic)
          .log("unreadable record skipped by the environment gate: {}", e.getMessage());
      meters.counter("tollgate.deadletters", "consumer", "environment-gate").increment();
    }
  }

  /** The wall-clock tick: acts on the environments due now and reads nothing else. */
  private void tick() {
    Instant now = clock.instant();
    for (String key = due.pollDue(now); key != null; key = due.pollDue(now)) {
      visited.increment();
      byte[] bytes = store.get(key);
      if (bytes == null) {
        continue;
      }
      try {
        State s = Json.read(bytes, State.class);
        AdmissionPolicy p = admission(s);
        Instant at = s.dueAt(p);
        EnvironmentGate.Step step = at != null && !now.isBefore(at) ? EnvironmentGate.tick(s, p, now) : null;
        if (step != null && step.changed()) {
          apply(step, now); // files it under its next due time
        } else if (at != null) {
          // Not due after all (the policy changed since it was filed): filed again, never in the past.
          due.schedule(key, at.isAfter(now) ? at : now.plus(TICK));
        }
      } catch (Json.MalformedMessageException e) {
        // Only the stored state's own fault is caught (reading it again never helps: left as is, like at init). A send
        // or store failure propagates: Streams restarts the task from the committed state, so no verdict of this step
        // is lost after the store already moved.
        log.atError().addKeyValue("event", "environment.gate.unreadable").addKeyValue("key", key).setCause(e)
            .log("unreadable environment state left as is; its locks and queue are not acted on");
      }
    }
  }

  private void apply(EnvironmentGate.Step step, Instant now) {
    if (!step.changed()) {
      return;
    }
    State s = step.state();
    String key = LockRequested.environmentKey(s.tenant(), s.environment());
    // Store first: a replay after a crash finds the evaluations already placed and publishes nothing twice.
    store.put(key, step.stateBytes() != null ? step.stateBytes() : Json.write(s));
    schedule(key, s);
    for (VerdictReached v : step.verdicts()) {
      context.forward(new Record<>(v.evaluationId(), Json.write(v), now.toEpochMilli(),
          headers(v.requestId(), "VerdictReached", v.evaluationId())), VERDICTS_SINK);
      Aggregator.count(meters, v);
      log.atInfo().addKeyValue("event", "verdict.reached").addKeyValue("requestId", v.requestId())
          .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("decision", v.decision().name())
          .addKeyValue("revision", v.revision()).addKeyValue("held", v.held())
          .log("verdict {} for {} (environment gate)", v.decision(), v.target().environment());
    }
    for (AuditRecorded a : step.audits()) {
      context.forward(new Record<>(a.evaluationId(), Json.write(a), now.toEpochMilli(),
          headers(a.requestId(), "AuditRecorded", a.evaluationId())), AUDIT_SINK);
      log.atInfo().addKeyValue("event", "environment.gate." + a.kind().name().toLowerCase(java.util.Locale.ROOT))
          .addKeyValue("tenant", a.tenant()).addKeyValue("environment", a.environment())
          .log("{} in {}", a.kind(), a.environment());
    }
    context.forward(new Record<>(key, Json.write(s.published(now)), now.toEpochMilli(),
        headers("environment-gate", "EnvironmentGateChanged", key)), STATE_SINK);
  }

  private State load(String tenant, String environment) {
    byte[] bytes = store.get(LockRequested.environmentKey(tenant, environment));
    return bytes == null ? State.empty(tenant, environment) : Json.read(bytes, State.class);
  }

  private AdmissionPolicy admission(State s) {
    return policy.environment(s.environment()).map(EnvironmentPolicy::admission).orElse(AdmissionPolicy.DEFAULT);
  }

  private static Headers headers(String requestId, String type, String id) {
    Headers h = new RecordHeaders();
    h.add(new RecordHeader(HeaderNames.REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8)));
    h.add(new RecordHeader(HeaderNames.MESSAGE_TYPE, type.getBytes(StandardCharsets.UTF_8)));
    h.add(new RecordHeader(HeaderNames.TRACEPARENT, TraceContext.forEvaluation(id).header().getBytes(StandardCharsets.UTF_8)));
    return h;
  }
}
