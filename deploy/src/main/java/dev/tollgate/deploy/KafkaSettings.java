package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code kafka:} section: where the cluster is, how topics are named and sized, extra client properties
 * (TLS, SASL). Without a bootstrap the all-in-one starts its embedded broker.
 *
 * <pre>
 * kafka:
 *   bootstrap: kafka-0.kafka:9092,kafka-1.kafka:9092
 *   topicNamespace: ""        # prefix for every topic name, e.g. "staging"
 *   partitions: 12            # scale-out bound for workers and gates
 *   replicationFactor: 3
 *   properties: {security.protocol: SSL}
 * </pre>
 */
public record KafkaSettings(String bootstrap, Topics topics, int partitions, short replicationFactor,
    Map<String, Object> clientProperties) {
  private static final Set<String> KEYS = Set.of("bootstrap", "topicNamespace", "partitions", "replicationFactor", "properties");

  /**
   * Reads the section; {@code bootstrapOverride} (flag or environment) wins over the file.
   *
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static KafkaSettings from(JsonNode node, String bootstrapOverride) {
    if (!node.isMissingNode() && !node.isObject()) {
      throw new IllegalArgumentException("kafka: expected a mapping");
    }
    ConfigKeys.requireKnown(node, KEYS, "kafka");
    String bootstrap = bootstrapOverride != null && !bootstrapOverride.isBlank() ? bootstrapOverride
        : node.path("bootstrap").isMissingNode() ? null : node.path("bootstrap").asText();
    if (bootstrap != null && !bootstrap.matches("[A-Za-z0-9._-]+:\\d{1,5}(,[A-Za-z0-9._-]+:\\d{1,5})*")) {
      throw new IllegalArgumentException("kafka.bootstrap: expected host:port[,host:port...], got \"" + bootstrap + "\"");
    }
    Topics topics;
    try {
      topics = Topics.namespaced(node.path("topicNamespace").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kafka.topicNamespace: " + e.getMessage());
    }
    int partitions = positive(node.path("partitions"), "kafka.partitions", bootstrap == null ? 3 : 12, 1000);
    int rf = positive(node.path("replicationFactor"), "kafka.replicationFactor", bootstrap == null ? 1 : 3, 10);
    Map<String, Object> props = new HashMap<>();
    JsonNode extra = node.path("properties");
    if (!extra.isMissingNode()) {
      if (!extra.isObject()) {
        throw new IllegalArgumentException("kafka.properties: expected a mapping of client properties");
      }
      extra.properties().forEach(e -> props.put(e.getKey(), e.getValue().asText()));
    }
    return new KafkaSettings(bootstrap, topics, partitions, (short) rf, Map.copyOf(props));
  }

  /** Client properties with the bootstrap servers of {@code actualBootstrap}. */
  public Map<String, Object> client(String actualBootstrap) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put("bootstrap.servers", actualBootstrap);
    return p;
  }

  private static int positive(JsonNode node, String key, int fallback, int max) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > max) {
      throw new IllegalArgumentException(key + ": expected 1-" + max + ", got " + node);
    }
    return node.intValue();
  }
}
