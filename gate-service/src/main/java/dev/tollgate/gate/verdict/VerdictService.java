package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Topics;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the {@link Aggregator} as a Kafka Streams application shared by every gate instance. */
public final class VerdictService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerdictService.class);

  private final KafkaStreams streams;
  private final KafkaStreamsMetrics metrics;

  /**
   * @param applicationId the Streams application id: every gate instance of one installation uses the same
   * @param kafka client properties (at least {@code bootstrap.servers})
   */
  public VerdictService(Topics topics, ServerPolicy policy, String applicationId, int threads, Path stateDir,
      Map<String, Object> kafka, Clock clock, MeterRegistry meters) {
    Properties props = properties(applicationId, threads, stateDir, kafka);
    Topology topology = topology(new TopologyConfig(new StreamsConfig(props)), topics, policy, clock, meters);
    this.streams = new KafkaStreams(topology, props);
    this.streams.setUncaughtExceptionHandler(e -> {
      log.atError().addKeyValue("event", "aggregator.thread.failed").setCause(e).log("aggregator thread failed, replacing it");
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    this.streams.setStateListener((now, before) -> log.atInfo().addKeyValue("event", "aggregator.state")
        .addKeyValue("state", now.name()).log("aggregator {} -> {}", before, now));
    this.metrics = new KafkaStreamsMetrics(streams);
    this.metrics.bindTo(meters);
  }

  static Topology topology(TopologyConfig config, Topics topics, ServerPolicy policy, Clock clock, MeterRegistry meters) {
    return topology(config, topics, policy, clock, meters, Stores.inMemoryKeyValueStore(Aggregator.STORE));
  }

  /** The topology with the aggregator's store from {@code store} (tests count what the aggregator reads). */
  static Topology topology(TopologyConfig config, Topics topics, ServerPolicy policy, Clock clock, MeterRegistry meters,
      KeyValueBytesStoreSupplier store) {
    return topology(config, topics, policy, clock, meters, store,
        Stores.inMemoryKeyValueStore(EnvironmentGateProcessor.STORE));
  }

  /** The topology with both stores given (tests count what the aggregator and the environment gate read). */
  static Topology topology(TopologyConfig config, Topics topics, ServerPolicy policy, Clock clock, MeterRegistry meters,
      KeyValueBytesStoreSupplier store, KeyValueBytesStoreSupplier gateStore) {
    Topology t = new Topology(config);
    t.addSource("requests", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.evaluationsRequested());
    t.addSource("results", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.probesCompleted());
    t.addSource("overrides", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.overridesRecorded());
    t.addProcessor("aggregator", () -> new Aggregator(topics, policy, clock, Aggregator.TICK, Aggregator.KEEP_DECIDED, meters),
        "requests", "results", "overrides");
    // Cached: an evaluation's state is written on its request, on each of its five results and on its verdict, all
    // within about a second; the cache keeps the latest per key and the changelog gets it once per commit (and before
    // every commit, so a restart restores what the committed offsets imply: at-least-once unchanged). Forwarded
    // records (checks, verdicts) do not go through the cache: they leave at once.
    t.addStateStore(Stores.keyValueStoreBuilder(store, Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "aggregator");
    t.addSink(Aggregator.CHECKS_SINK, topics.checksRequested(), Serdes.String().serializer(), Serdes.ByteArray().serializer(),
        "aggregator");
    t.addSink(Aggregator.VERDICTS_SINK, topics.verdictsReached(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "aggregator");
    t.addSink(Aggregator.DEAD_LETTER_SINK, topics.recordsDeadLettered(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "aggregator");
    t.addSink(Aggregator.ADMISSIONS_SINK, topics.admissionsRequested(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "aggregator");
    // Deploy records are keyed by repository; the environment gate needs them keyed by environment.
    t.addSource("deployments", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.deploymentsRecorded());
    t.addProcessor("deploy-router", DeployRouter::new, "deployments");
    t.addSink("deployments-routed-sink", topics.deploymentsRouted(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "deploy-router");
    t.addSource("admissions", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.admissionsRequested());
    t.addSource("locks", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.locksRequested());
    t.addSource("deploy-ends", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.deploymentsRouted());
    t.addProcessor("environment-gate", () -> new EnvironmentGateProcessor(topics, policy, clock, meters),
        "admissions", "locks", "deploy-ends");
    // Cached for the same reason: every admitted verdict of an environment rewrites that environment's one state.
    t.addStateStore(Stores.keyValueStoreBuilder(gateStore, Serdes.String(), Serdes.ByteArray()).withCachingEnabled(),
        "environment-gate");
    t.addSink(EnvironmentGateProcessor.VERDICTS_SINK, topics.verdictsReached(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "environment-gate");
    t.addSink(EnvironmentGateProcessor.AUDIT_SINK, topics.auditRecorded(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "environment-gate");
    t.addSink(EnvironmentGateProcessor.STATE_SINK, topics.environmentGatesChanged(), Serdes.String().serializer(),
        Serdes.ByteArray().serializer(), "environment-gate");
    return t;
  }

  private static Properties properties(String applicationId, int threads, Path stateDir, Map<String, Object> kafka) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // At-least-once with an idempotent aggregator (decided markers, first result wins): exactly-once would only
    // add transaction commits to the request -> verdict latency.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    p.put("processing.exception.handler.global.enabled", true);
    // Never wait for the other input topic to have data: results must be processed as they arrive.
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    // fetch.max.wait.ms stays at Kafka's 500 ms: a waiting fetch returns as soon as a record arrives, and Streams
    // drains what it fetches (up to 1,000 records a poll), so no partition is left out of the next fetch (see
    // Topics#WORKER_FETCH_WAIT_MS). The 50 ms it had made the idle aggregator fetch 20 times a second.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  /** Starts processing; returns at once (use {@link #isRunning()} for readiness). */
  public void start() {
    streams.start();
  }

  /** True when the aggregator processes records (not while it starts, rebalances or restores). */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /** The Streams state, for health output. */
  public String state() {
    return streams.state().name();
  }

  @Override
  public void close() {
    metrics.close();
    streams.close(CloseOptions.timeout(Duration.ofSeconds(10))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }
}
