package dev.tollgate.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker in its own process, started from the Tollgate jar ({@code kafka.Kafka}), on ports the
 * bench chooses (its client port and the controller port next to it): the gate under test is started with
 * {@code --kafka-bootstrap}, so its process holds only Tollgate and its figures are Tollgate's.
 */
final class BenchKafka implements AutoCloseable {
  private final BenchProcess process;
  private final String bootstrap;
  private final Admin admin;

  private BenchKafka(BenchProcess process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  /** Formats {@code dir} and starts a broker on {@code port} (controller on {@code port + 1}). */
  static BenchKafka start(Path jar, Path dir, int port) throws Exception {
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "node.id=1",
        "process.roles=broker,controller",
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "controller.quorum.voters=1@127.0.0.1:" + (port + 1),
        "log.dirs=" + logs,
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "log.flush.interval.ms=1000", // as the all-in-one's embedded broker
        ""));
    Process format = new ProcessBuilder(BenchProcess.java(List.of("-Xmx256m"), "-cp", jar.toString(), "kafka.tools.StorageTool",
        "format", "-t", Uuid.randomUuid().toString(), "-c", props.toString()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile())).start();
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException("formatting the bench broker failed: see " + dir.resolve("format.log"));
    }
    BenchProcess broker = BenchProcess.start("kafka", BenchProcess.java(List.of("-Xms512m", "-Xmx512m"), "-cp", jar.toString(),
        "kafka.Kafka", props.toString()), dir.resolve("broker.log"));
    String bootstrap = "127.0.0.1:" + port;
    BenchKafka kafka = new BenchKafka(broker, bootstrap);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        kafka.admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return kafka;
      } catch (Exception e) {
        if (!broker.alive() || System.nanoTime() > deadline) {
          kafka.close();
          throw new IllegalStateException("bench broker did not start: see " + dir.resolve("broker.log"), e);
        }
        Thread.sleep(500);
      }
    }
  }

  String bootstrap() {
    return bootstrap;
  }

  BenchProcess process() {
    return process;
  }

  Admin admin() {
    return admin;
  }

  /**
   * Records not yet consumed, per consumer group whose id starts with {@code prefix}: for each partition it committed,
   * the end offset minus the committed one.
   */
  Map<String, Long> lag(String prefix) throws Exception {
    Map<String, Long> lag = new TreeMap<>();
    for (GroupListing g : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
      if (!g.groupId().startsWith(prefix)) {
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      long total = 0;
      for (var e : committed.entrySet()) {
        if (e.getValue() != null && ends.containsKey(e.getKey())) {
          total += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
        }
      }
      lag.put(g.groupId(), total);
    }
    return lag;
  }

  /**
   * What the broker has taken in and served so far: records appended per topic (the sum of its partitions' end
   * offsets; internal topics, changelogs and {@code __consumer_offsets} included; on a compacted topic offsets count
   * every append) and requests handled per API ({@code Produce}, {@code Fetch}, {@code OffsetCommit}, ...), read from
   * the broker's own request metrics over JMX. Two snapshots around a phase, divided by its evaluations, say what one
   * evaluation costs the broker.
   */
  Traffic traffic() throws Exception {
    Map<String, Long> records = new TreeMap<>();
    var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (var d : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
      d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
        .forEach((tp, info) -> records.merge(tp.topic(), info.offset(), Long::sum));
    Map<String, Long> requests = process.mbeanCounts("kafka.network:type=RequestMetrics,name=RequestsPerSec,*", "request", "Count");
    requests.keySet().removeAll(List.of("FetchConsumer", "FetchFollower")); // Fetch requests again, by who sent them
    return new Traffic(records, requests);
  }

  /** {@link #traffic()}: records appended per topic and requests handled per API, both since the broker started. */
  record Traffic(Map<String, Long> records, Map<String, Long> requests) {
    /** What happened between {@code before} and this snapshot, per evaluation, largest first, as one line each. */
    String perEvaluation(Traffic before, int evaluations) {
      return "records/eval " + delta(records, before.records, evaluations) + "\n  requests/eval "
          + delta(requests, before.requests, evaluations);
    }

    private static String delta(Map<String, Long> now, Map<String, Long> then, int evaluations) {
      double total = 0;
      List<Map.Entry<String, Double>> rows = new ArrayList<>();
      for (var e : now.entrySet()) {
        double d = (e.getValue() - then.getOrDefault(e.getKey(), 0L)) / (double) Math.max(1, evaluations);
        if (d >= 0.005) {
          rows.add(Map.entry(e.getKey(), d));
          total += d;
        }
      }
      rows.sort(Map.Entry.<String, Double>comparingByValue().reversed());
      StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.2f:", total));
      rows.forEach(r -> out.append(String.format(Locale.ROOT, " %s %.2f", r.getKey().replace("tollgate.", ""), r.getValue())));
      return out.toString();
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    process.close();
  }

  /** All partitions of {@code topics}, with their end offsets. */
  Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (var d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
      d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is under /tmp
    }
  }
}
