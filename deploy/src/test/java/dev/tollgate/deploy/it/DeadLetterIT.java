package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record nobody can read goes to the dead-letter topic with the reason; the consumers go on. */
class DeadLetterIT {
  @TempDir
  Path tmp;

  @Test
  void unreadableRecordsAreDeadLetteredAndProcessingContinues() throws Exception {
    String config = """
        tenants: [acme]
        environments:
          staging: {probes: {pass: {}}}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrap()),
          new StringSerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(tollgate.topics().checksRequested(), "bad-check", bytes("{not json"))).get();
        producer.send(new ProducerRecord<>(tollgate.topics().evaluationsRequested(), "bad-eval",
            bytes("{\"schemaVersion\":99}"))).get();
      }
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head() + "\"}";
      assertEquals("GO", tollgate.api().evaluate(body, 30).json().path("verdict").path("decision").asText(),
          "the worker and the aggregator kept going after the bad records");

      List<ConsumerRecord<String, byte[]>> dead = readAll(tollgate.topics().recordsDeadLettered(), 2);
      assertEquals(2, dead.size());
      for (ConsumerRecord<String, byte[]> r : dead) {
        String error = new String(r.headers().lastHeader(HeaderNames.ERROR).value(), StandardCharsets.UTF_8);
        String source = new String(r.headers().lastHeader(HeaderNames.SOURCE_TOPIC).value(), StandardCharsets.UTF_8);
        if (r.key().equals("bad-check")) {
          assertEquals(tollgate.topics().checksRequested(), source);
          assertTrue(error.startsWith("CheckRequested:"), error);
        } else {
          assertEquals(tollgate.topics().evaluationsRequested(), source);
          assertTrue(error.contains("schemaVersion: expected 1..1, got 99"), error);
        }
      }
      String metrics = tollgate.meters().scrape();
      assertTrue(metrics.contains("tollgate_deadletters_total{consumer=\"probe-workers\"} 1.0"), metrics);
      assertTrue(metrics.contains("tollgate_deadletters_total{consumer=\"verdict-aggregator\"} 1.0"));
    }
  }

  static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", SharedKafka.bootstrap()),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(20));
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
