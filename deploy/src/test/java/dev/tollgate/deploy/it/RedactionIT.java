package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.Attacks;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 4, end to end: the review's two leaks, with every real probe on a real broker. A migration default
 * that is an AWS key ({@code migration/missing-lock-timeout} quotes the statement), and a {@code .tollgate.yml} whose
 * values and keys are keys. The key appears in no API answer, no audit export (CSV, JSON), no record of any of the
 * installation's topics (the aggregator's changelog included) and no log line; its preview does.
 */
class RedactionIT {
  static final String CONFIG = """
      tenants: [acme]
      environments:
        production: {overrides: {approvers: [alice]}}
      """;

  @TempDir
  Path tmp;

  static String awsKey(long seed) {
    return Attacks.awsKeyId(seed);
  }

  @Test
  void aKeyQuotedByAnyProbeOrEchoedFromTheRepositoryConfigurationLeavesNoTrace() throws Exception {
    String inMigration = awsKey(1);
    String inVersion = awsKey(2);
    String asKey = awsKey(3);
    try (LogCapture logs = new LogCapture();
         TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
             ProbeRegistry.production(), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo"))
          .commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint);\n").deployed()
          .commit("db/migration/V2__key.sql", "ALTER TABLE users ADD k text DEFAULT '" + inMigration + "';\n");
      // The release that runs in production (the table exists there), so the range is checked from it.
      tollgate.trust(repo.dir().toString(), "acme", "production", repo.baseline());
      Api api = tollgate.api();
      JsonNode first = evaluate(api, repo);
      assertEquals("NO_GO", first.path("verdict").path("decision").asText(), first.toString());
      assertTrue(first.toString().contains("migration/missing-lock-timeout"), first.toString());

      repo.commit(".tollgate.yml", "version: " + inVersion + "\n" + asKey + ": 1\n");
      JsonNode second = evaluate(api, repo);
      assertEquals("NO_GO", second.path("verdict").path("decision").asText(), second.toString());
      String reasons = second.path("verdict").path("reasons").toString();
      assertTrue(reasons.contains("AKIA…"), "the reason names the key's place, masked: " + reasons);

      List<String> outputs = new ArrayList<>();
      outputs.add(first.toString());
      outputs.add(second.toString());
      outputs.add(api.get("/api/v1/evaluations?environment=production").body());
      outputs.add(api.get("/api/v1/audit?format=csv").body());
      outputs.add(api.get("/api/v1/audit?format=json").body());
      outputs.addAll(everyRecordOfTheInstallation(tollgate));
      outputs.addAll(logs.lines());
      for (String key : List.of(inMigration, inVersion, asKey)) {
        for (String out : outputs) {
          assertFalse(out.contains(key), "a key leaked into: " + abbreviate(out));
          assertFalse(out.contains(key.substring(4, 14)), "more than the preview leaked into: " + abbreviate(out));
        }
      }
    }
  }

  static JsonNode evaluate(Api api, FixtureRepo repo) {
    return api.evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}", 60).json();
  }

  /** The value of every record on every topic of this installation (its namespace), as text. */
  static List<String> everyRecordOfTheInstallation(TestInstallation tollgate) throws Exception {
    List<String> topics = new ArrayList<>();
    try (Admin admin = Admin.create(new HashMap<>(tollgate.kafka()))) {
      for (String t : admin.listTopics().names().get()) {
        if (t.startsWith(tollgate.topics().prefix())) {
          topics.add(t);
        }
      }
    }
    assertTrue(topics.stream().anyMatch(t -> t.contains("changelog")), "the aggregator's changelog is read too: " + topics);
    Map<String, Object> props = new HashMap<>(tollgate.kafka());
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            out.add(r.topic() + ": " + new String(r.value(), StandardCharsets.UTF_8));
          }
          r.headers().forEach(h -> out.add(r.topic() + " header " + h.key() + ": "
              + new String(h.value() == null ? new byte[0] : h.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    assertTrue(Set.copyOf(out).size() > 5, "records were read");
    return out;
  }

  static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }
}
