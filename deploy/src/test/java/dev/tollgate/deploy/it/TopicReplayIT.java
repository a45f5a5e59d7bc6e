package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.gate.kafka.TopicReplay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A replay no request waits on ({@link TopicReplay#batched}) reads a stream of records in a few fetches, where a replay
 * with Kafka's defaults (the views a request waits on) fetches once per record that arrives on its own.
 */
class TopicReplayIT {
  private static final int RECORDS = 30;

  @Test
  void aBatchedReplayReadsRecordsArrivingOneByOneInFewFetches() throws Exception {
    String topic = "replay-batch-" + UUID.randomUUID();
    Map<String, Object> kafka = Map.of("bootstrap.servers", SharedKafka.bootstrap());
    try (Admin admin = Admin.create(kafka)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    AtomicInteger plainSeen = new AtomicInteger();
    AtomicInteger batchedSeen = new AtomicInteger();
    try (TopicReplay plain = new TopicReplay(kafka, "replay-plain", List.of(topic), r -> plainSeen.incrementAndGet(), c -> { });
        TopicReplay batched = new TopicReplay(TopicReplay.batched(kafka), "replay-batched", List.of(topic),
            r -> batchedSeen.incrementAndGet(), c -> { });
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
            SharedKafka.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
      plain.start();
      batched.start();
      assertTrue(plain.awaitCaughtUp(Duration.ofSeconds(30)) && batched.awaitCaughtUp(Duration.ofSeconds(30)));
      long plainBefore = plain.fetchRequests();
      long batchedBefore = batched.fetchRequests();
      for (int i = 1; i <= RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, "k", new byte[] {(byte) i})).get(10, TimeUnit.SECONDS);
        await(plainSeen::get, i); // each record arrives on its own, as an evaluation's results do
      }
      await(batchedSeen::get, RECORDS);
      assertEquals(RECORDS, batchedSeen.get(), "the batched replay reads every record");
      long plainFetches = plain.fetchRequests() - plainBefore;
      long batchedFetches = batched.fetchRequests() - batchedBefore;
      assertTrue(plainFetches >= RECORDS, "a default replay fetched once per record: " + plainFetches);
      assertTrue(batchedFetches < RECORDS / 2, "the batched replay fetched " + batchedFetches + " times for " + RECORDS
          + " records (the default one " + plainFetches + ")");
    }
  }

  private static void await(IntSupplier seen, int count) throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(30));
    while (seen.getAsInt() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertEquals(count, seen.getAsInt(), "records read");
  }
}
