package dev.tollgate.deploy.testing;

import dev.tollgate.contracts.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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

  /** Records of {@code topic} the consumer group {@code group} has not committed (all of them if it never committed). */
  public static long lag(Map<String, Object> kafka, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var info : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
        info.partitions().forEach(p -> latest.put(new TopicPartition(info.name(), p.partition()), OffsetSpec.latest()));
      }
      long lag = 0;
      for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    }
  }
}
