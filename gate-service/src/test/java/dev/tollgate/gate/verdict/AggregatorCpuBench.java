package dev.tollgate.gate.verdict;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.policy.ProbeRequirement;
import dev.tollgate.gate.policy.ServerPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's CPU per evaluation (a request and five results, each result with findings), with its parsed copy of
 * the open states and without it (the stored JSON parsed on every result, as before), side by side in one JVM: rounds
 * alternate between the two, and each round's thread CPU time is divided by its evaluations. Thread CPU, not wall time,
 * so a busy machine moves the figures less. Usage: bench/aggregator-cpu.sh [rounds=10] [evaluations-per-round=2000]
 */
public final class AggregatorCpuBench {
  static final List<ProbeId> PROBES = List.of(ProbeId.of("calendar"), ProbeId.of("migrations"), ProbeId.of("parity"),
      ProbeId.of("rollback"), ProbeId.of("secrets"));

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Map<String, Long> sizes = Map.of("copy", ParsedStates.DEFAULT_MAX_BYTES, "parse", 0L);
    Map<String, Run> runs = new LinkedHashMap<>();
    sizes.keySet().stream().sorted().forEach(label -> runs.put(label, new Run(sizes.get(label))));
    runs.values().forEach(r -> r.round(perRound)); // warm-up round each, not counted
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    for (int i = 0; i < rounds; i++) {
      for (var e : runs.entrySet()) {
        micros.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().round(perRound));
      }
    }
    System.out.printf(Locale.ROOT, "aggregator CPU per evaluation (1 request + %d results), %d rounds of %d, median µs:%n",
        PROBES.size(), rounds, perRound);
    Map<String, Double> medians = new LinkedHashMap<>();
    micros.forEach((label, values) -> {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      medians.put(label, sorted[sorted.length / 2]);
      System.out.printf(Locale.ROOT, "  %-6s median %.1f µs  (rounds: %s)  states read from the copy %.0f, parsed %.0f%n", label,
          sorted[sorted.length / 2], Arrays.toString(values.stream().map(v -> Math.round(v)).toArray()),
          runs.get(label).read("copy"), runs.get(label).read("parsed"));
    });
    System.out.printf(Locale.ROOT, "  copy / parse = %.2f%n", medians.get("copy") / medians.get("parse"));
  }

  /** One aggregator on an in-memory store, fed evaluations of its own. */
  static final class Run {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MockProcessorContext<String, byte[]> context;
    final Aggregator aggregator;
    final Topics topics = Topics.standard();
    final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    int next;

    Run(long parsedBytes) {
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-bench");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      context = new MockProcessorContext<>(props);
      KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Aggregator.STORE),
          Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
      kv.init(context.getStateStoreContext(), kv);
      context.addStateStore(kv);
      Map<ProbeId, ProbeRequirement> probes = new LinkedHashMap<>();
      PROBES.forEach(p -> probes.put(p, new ProbeRequirement(true, Duration.ofSeconds(60))));
      EnvironmentPolicy staging = new EnvironmentPolicy("staging", probes, Duration.ofSeconds(60), false, Duration.ofDays(7),
          OverridePolicy.NONE);
      aggregator = new Aggregator(topics, new ServerPolicy(Map.of("staging", staging), "bench"),
          Clock.fixed(Instant.parse("2026-12-07T20:00:00Z"), ZoneOffset.UTC), Aggregator.TICK, Aggregator.KEEP_DECIDED, meters,
          parsedBytes);
      aggregator.init(context);
    }

    double read(String from) {
      return meters.counter("tollgate.aggregator.states.read", "from", from).count();
    }

    /** Thread CPU µs per evaluation over {@code n} evaluations. */
    double round(int n) {
      long started = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        evaluate("bench-" + next++);
        context.resetForwards();
      }
      return (cpu.getCurrentThreadCpuTime() - started) / 1000.0 / n;
    }

    void evaluate(String id) {
      evaluate(id, PROBES.size());
    }

    /** A request and the first {@code results} probes' results (fewer than all: the evaluation stays open). */
    void evaluate(String id, int results) {
      Instant at = Instant.parse("2026-12-07T20:00:00Z");
      DeployTarget target = new DeployTarget("acme", "/srv/git/shop", "staging", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098",
          "0b6c2f0e5d1a4c1e9b383f1d2a7c9e11aa22bb33");
      List<DeployRecord> deploys = new ArrayList<>();
      for (int d = 0; d < 3; d++) {
        deploys.add(new DeployRecord("0b6c2f0e5d1a4c1e9b383f1d2a7c9e11aa22bb3" + d, DeployStatus.SUCCEEDED, at, at,
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "deploy-" + d));
      }
      feed(topics.evaluationsRequested(), id, Json.write(EvaluationRequested.of(id, "req-" + id, target, Source.API, "ci", null,
          null, null, List.of(), at, new DeployHistory(deploys, Map.of()))));
      for (ProbeId p : PROBES.subList(0, results)) {
        List<Finding> findings = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
          findings.add(new Finding(p.value() + "/rule-" + f, Severity.WARN, "src/main/java/App" + f + ".java", 10 + f,
              "a finding's message, as a probe writes it", "what to do instead", "src/main/java/App" + f + ".java:" + p.value()
                  + "/rule-" + f + ":" + (10 + f), null));
        }
        feed(topics.probesCompleted(), id, Json.write(ProbeCompleted.of(id, id + "/" + p.value(), "req-" + id, p, ProbeStatus.PASS,
            "3 warnings", findings, false, RepoPolicy.none(), "w", at, at.plusMillis(20), null)));
      }
    }

    void feed(String topic, String id, byte[] value) {
      context.setRecordMetadata(topic, 0, next);
      aggregator.process(new Record<>(id, value, 0L));
    }
  }
}
