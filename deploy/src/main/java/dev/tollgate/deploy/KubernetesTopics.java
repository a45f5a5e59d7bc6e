package dev.tollgate.deploy;

import dev.tollgate.contracts.Topics;
import dev.tollgate.gate.kafka.TopicSetup;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strimzi {@code KafkaTopic} resources for every topic in {@link Topics}, with the settings {@link TopicSetup}
 * applies when it creates them itself: one source of truth. {@code deploy/kubernetes/base/kafka-topics.yaml} is
 * this output, and a test fails when they differ ({@code tollgate kubernetes topics > ...} regenerates it).
 */
final class KubernetesTopics {
  private KubernetesTopics() {}

  static String render(Topics topics, int partitions, short replicas, String cluster) {
    TopicSetup setup = new TopicSetup(topics, partitions, replicas);
    StringBuilder b = new StringBuilder();
    b.append("# Generated from dev.tollgate.contracts.Topics by `tollgate kubernetes topics --partitions ").append(partitions)
        .append(" --replicas ").append(replicas).append(" --cluster ").append(cluster).append("`.\n")
        .append("# Do not edit: KubernetesManifestsTest fails when this file and the code disagree.\n")
        .append("# Kafka Streams creates its own changelog topic (<gate.applicationId>-aggregations-changelog).\n");
    boolean first = true;
    for (String base : Topics.ALL) {
      String name = topics.name(base);
      if (!first) {
        b.append("---\n");
      }
      first = false;
      b.append("apiVersion: kafka.strimzi.io/v1beta2\n")
          .append("kind: KafkaTopic\n")
          .append("metadata:\n")
          .append("  name: ").append(name.replace('.', '-')).append('\n')
          .append("  labels:\n")
          .append("    strimzi.io/cluster: ").append(cluster).append('\n')
          .append("spec:\n")
          .append("  topicName: ").append(name).append('\n')
          .append("  partitions: ").append(partitions).append('\n')
          .append("  replicas: ").append(replicas).append('\n')
          .append("  config:\n");
      Map<String, String> config = new TreeMap<>(setup.configOf(base));
      config.forEach((k, v) -> b.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    }
    return b.toString();
  }
}
