package dev.tollgate.gate.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.lock.LockKind;
import dev.tollgate.contracts.lock.LockRequested;
import dev.tollgate.gate.policy.AdmissionPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The environment gate's tick reads only the environments due, whether their state was written before or after init. */
class EnvironmentGateProcessorTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  final Topics topics = Topics.standard();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  static LockRequested lock(String environment, Instant expires) {
    return new LockRequested(LockRequested.SCHEMA_VERSION, "c-" + environment, "r", LockRequested.Action.LOCK, "acme",
        environment, null, LockKind.FREEZE, "alice", "a reason long enough", expires, Source.API, T0,
        Identity.token("alice"), null);
  }

  @Test
  void theTickReadsOnlyTheEnvironmentsDueNeverTheOthers() {
    MockProcessorContext<String, byte[]> context = new MockProcessorContext<>(AggregatorTest.props());
    CountingStore counting = new CountingStore(EnvironmentGateProcessor.STORE);
    KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(counting, Serdes.String(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    kv.init(context.getStateStoreContext(), kv);
    context.addStateStore(kv);
    // 500 environments stored before the task starts (restored from the changelog): locked for an hour, one for 30 s.
    for (int i = 0; i < 500; i++) {
      String env = "env-" + i;
      var s = EnvironmentGate.command(EnvironmentGate.State.empty("acme", env),
          lock(env, T0.plus(i == 7 ? Duration.ofSeconds(30) : Duration.ofHours(1))), AdmissionPolicy.DEFAULT, T0).state();
      kv.put(LockRequested.environmentKey("acme", env), Json.write(s));
    }
    AggregatorTest.TestClock time = new AggregatorTest.TestClock(T0);
    var processor = new EnvironmentGateProcessor(topics, AggregatorTest.policy(), time, meters);
    processor.init(context);
    var tick = context.scheduledPunctuators().get(0).getPunctuator();
    counting.reset();

    for (int s = 1; s < 30; s++) {
      time.advance(Duration.ofSeconds(1));
      tick.punctuate(0);
    }
    assertEquals(0, counting.reads(), "29 ticks, nothing due: nothing read");
    assertTrue(context.forwarded().isEmpty());

    time.advance(Duration.ofSeconds(1));
    tick.punctuate(0);
    assertEquals(1, counting.reads(), "the one environment due, and no other");
    assertEquals(List.of("acme|env-7"), audits(context, AuditKind.LOCK_EXPIRED));
    context.resetForwards();

    // A lock taken after init is filed by the write that stores it.
    context.setRecordMetadata(topics.locksRequested(), 0, 0);
    processor.process(new Record<>("acme|fresh", Json.write(lock("fresh", time.instant().plusSeconds(5))), 0L));
    context.resetForwards();
    counting.reset();
    for (int s = 0; s < 5; s++) {
      time.advance(Duration.ofSeconds(1));
      tick.punctuate(0);
    }
    assertEquals(1, counting.reads());
    assertEquals(List.of("acme|fresh"), audits(context, AuditKind.LOCK_EXPIRED));
    assertEquals(2.0, meters.counter("tollgate.environment.gate.tick.visited").count());

    // The hour's locks end together: each is read once, at its time.
    context.resetForwards();
    counting.reset();
    time.advance(Duration.between(time.instant(), T0.plus(Duration.ofHours(1))));
    tick.punctuate(0);
    assertEquals(499, counting.reads());
    assertEquals(501.0, meters.counter("tollgate.environment.gate.tick.visited").count());
    assertEquals(499, audits(context, AuditKind.LOCK_EXPIRED).size());
  }

  @Test
  void aSendFailureInTheTickPropagatesSoStreamsRestartsTheTaskInsteadOfLosingTheStep() {
    // The store is written before the verdicts are sent: a swallowed send error would leave them never sent.
    boolean[] failing = {false};
    // Object-typed: an override cannot spell the bound "extends byte[]"; the processor is handed it as String, byte[].
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>(AggregatorTest.props()) {
      @Override
      public <K, V> void forward(Record<K, V> record, String childName) {
        if (failing[0]) {
          throw new org.apache.kafka.streams.errors.StreamsException("send failed");
        }
        super.forward(record, childName);
      }
    };
    KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EnvironmentGateProcessor.STORE),
        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
    kv.init(context.getStateStoreContext(), kv);
    context.addStateStore(kv);
    var s = EnvironmentGate.command(EnvironmentGate.State.empty("acme", "prod"), lock("prod", T0.plusSeconds(1)),
        AdmissionPolicy.DEFAULT, T0).state();
    kv.put(LockRequested.environmentKey("acme", "prod"), Json.write(s));
    AggregatorTest.TestClock time = new AggregatorTest.TestClock(T0);
    var processor = new EnvironmentGateProcessor(topics, AggregatorTest.policy(), time, meters);
    processor.init(typed(context));
    var tick = context.scheduledPunctuators().get(0).getPunctuator();
    time.advance(Duration.ofSeconds(2));
    failing[0] = true;
    org.junit.jupiter.api.Assertions.assertThrows(org.apache.kafka.streams.errors.StreamsException.class,
        () -> tick.punctuate(0));
  }

  @SuppressWarnings("unchecked")
  private static ProcessorContext<String, byte[]> typed(ProcessorContext<?, ?> context) {
    return (ProcessorContext<String, byte[]>) context;
  }

  private static List<String> audits(MockProcessorContext<String, byte[]> context, AuditKind kind) {
    return context.forwarded(EnvironmentGateProcessor.AUDIT_SINK).stream()
        .map(f -> Json.read((byte[]) f.record().value(), AuditRecorded.class)).filter(a -> a.kind() == kind)
        .map(a -> a.tenant() + "|" + a.environment()).toList();
  }
}
