package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where an evaluation's request → verdict time went, stage by stage, from what the gate already records: the times
 * in its messages ({@code requestedAt}, a check's {@code startedAt}/{@code completedAt}) and the Kafka timestamps of
 * its records (set when each was sent), against the wall clock of the bench's HTTP client on the same machine.
 * Millisecond resolution (record timestamps); bench-only, nothing is added to the gate.
 *
 * <ol>
 *   <li>{@code http→sent}: the client's send → the gate publishes EvaluationRequested (HTTP, parsing, history);
 *   <li>{@code →dispatched}: → the aggregator sends the checks (the publish's ack, Streams' fetch, aggregation);
 *   <li>{@code →started}: → the worker starts the evaluation's last-finishing check (worker fetch and queue);
 *   <li>{@code run}: that check's run;
 *   <li>{@code →verdict}: its completion → the verdict record is sent (result publish, Streams fetch, aggregation, and
 *       for a GO the environment gate's admission round trip);
 *   <li>{@code →answer}: → the client has the HTTP answer (verdict publish, the views' fetch, HTTP).
 * </ol>
 */
final class Stages {
  static final String[] NAMES = {"http→sent", "→dispatched", "→started", "run", "→verdict", "→answer"};

  private Stages() {}

  /** One answered request: its evaluation id and the client's wall-clock times of sending and of the answer. */
  record Answer(String evaluationId, long sentMs, long answeredMs) {}

  /** Per stage, p50 and p99 in ms over {@code answers}, as one line; reads the four topics from their start. */
  static String of(String bootstrap, List<Answer> answers) {
    return of(bootstrap, answers, 0, null);
  }

  /**
   * {@link #of(String, List)}, and when {@code dump} is not null also writes there one line per answered evaluation
   * (issue #24, the first seconds after ready): its send time after {@code readyMs}, each stage's ms, the total, the
   * probe that finished last and every probe's run (ms), in the order sent. Tab-separated, with a header.
   */
  static String of(String bootstrap, List<Answer> answers, long readyMs, Path dump) {
    Map<String, long[]> t = new HashMap<>(); // per evaluation: sent, published, dispatched, started, completed, verdict
    Map<String, String> lastProbe = new HashMap<>();
    Map<String, Map<String, Long>> runs = new HashMap<>(); // per evaluation: each probe's run, ms
    answers.forEach(a -> t.put(a.evaluationId(), new long[] {a.sentMs(), -1, Long.MAX_VALUE, -1, -1, -1}));
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Topics topics = Topics.standard();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : List.of(topics.evaluationsRequested(), topics.checksRequested(), topics.probesCompleted(),
          topics.verdictsReached())) {
        c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          long[] e = t.get(r.key());
          if (e == null) {
            continue;
          }
          String topic = r.topic();
          if (topic.equals(topics.evaluationsRequested())) {
            e[1] = r.timestamp();
          } else if (topic.equals(topics.checksRequested())) {
            e[2] = Math.min(e[2], r.timestamp());
          } else if (topic.equals(topics.probesCompleted())) {
            JsonNode result = Json.mapper().readTree(r.value());
            long completed = Instant.parse(result.path("completedAt").asText()).toEpochMilli();
            long started = Instant.parse(result.path("startedAt").asText()).toEpochMilli();
            runs.computeIfAbsent(r.key(), k -> new TreeMap<>()).put(result.path("probe").asText(), completed - started);
            if (completed > e[4]) {
              e[4] = completed;
              e[3] = started;
              lastProbe.put(r.key(), result.path("probe").asText());
            }
          } else if (e[5] < 0) {
            e[5] = r.timestamp(); // the first revision
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<long[]> complete = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    lines.add("sentAfterReadyMs\t" + String.join("\t", NAMES) + "\ttotal\tlastProbe\truns");
    List<Answer> bySend = new ArrayList<>(answers);
    bySend.sort(Comparator.comparingLong(Answer::sentMs));
    for (Answer a : bySend) {
      long[] e = t.get(a.evaluationId());
      if (e[1] >= 0 && e[2] != Long.MAX_VALUE && e[3] >= 0 && e[5] >= 0) {
        long[] stages = {e[1] - e[0], e[2] - e[1], e[3] - e[2], e[4] - e[3], e[5] - e[4], a.answeredMs() - e[5]};
        complete.add(stages);
        StringBuilder line = new StringBuilder().append(a.sentMs() - readyMs);
        for (long ms : stages) {
          line.append('\t').append(ms);
        }
        lines.add(line.append('\t').append(a.answeredMs() - a.sentMs()).append('\t').append(lastProbe.get(a.evaluationId()))
            .append('\t').append(runs.get(a.evaluationId())).toString());
      }
    }
    if (dump != null) {
      try {
        Files.write(dump, lines);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "stages (ms, p50/p99 of %d):", complete.size()));
    for (int s = 0; s < NAMES.length; s++) {
      int stage = s;
      out.append(String.format(Locale.ROOT, " %s %s", NAMES[s], pcts(complete, x -> x[stage])));
    }
    return out.toString();
  }

  private static String pcts(List<long[]> rows, ToLongFunction<long[]> f) {
    long[] v = rows.stream().mapToLong(f).sorted().toArray();
    if (v.length == 0) {
      return "-";
    }
    return v[(int) Math.min(v.length - 1, Math.round(0.50 * (v.length - 1)))] + "/"
        + v[(int) Math.min(v.length - 1, Math.round(0.99 * (v.length - 1)))];
  }
}
