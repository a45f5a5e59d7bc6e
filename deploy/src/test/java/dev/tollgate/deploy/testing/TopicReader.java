package dev.tollgate.deploy.testing;

import dev.tollgate.contracts.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every record of a topic as it is now, from the beginning (what a test expects to have been published). */
public final class TopicReader {
  private TopicReader() {}

  public static <T> List<T> readAll(Map<String, Object> kafka, String topic, Class<T> type) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new HashMap<>(kafka), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      List<T> out = new ArrayList<>();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(Json.read(r.value(), type));
        }
      }
      return out;
    }
  }
}
