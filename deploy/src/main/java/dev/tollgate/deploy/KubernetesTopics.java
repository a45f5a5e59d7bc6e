package dev.tollgate.deploy;

import dev.tollgate.contracts.Topics;
import dev.tollgate.gate.kafka.TopicSetup;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strimzi {@code KafkaTopic} resources for every topic in {@link Topics}, with the settings {@link TopicSetup}
 * applies when it creates them itself: one source of truth. Each overlay's {@code topics/kafka-topics.yaml} under
 * {@code deploy/kubernetes/overlays/} is this output for the overlay's {@code kafka.topicNamespace}, and a test fails
 * when they differ (the command in the file's first line regenerates it).
 */
final class KubernetesTopics {
  private KubernetesTopics() {}

  static String render(Topics topics, int partitions, short replicas, String cluster) {
    TopicSetup setup = new TopicSetup(topics, partitions, replicas);
    StringBuilder b = new StringBuilder();
    b.append("# Generated from dev.tollgate.contracts.Topics by `tollgate kubernetes topics --partitions ").append(partitions)
        .append(" --replicas ").append(replicas).append(" --cluster ").append(cluster)
        .append(topics.prefix().isEmpty() ? "" : " --topic-namespace " + topics.prefix().substring(0, topics.prefix().length() - 1))
        .append("`.\n")
        .append("# Do not edit: KubernetesManifestsTest fails when this file and the code disagree.\n")
        .append("# Kafka Streams creates its own changelog topics (<gate.applicationId>-aggregations-changelog and\n"
            + "# <gate.applicationId>-environment-gates-changelog).\n");
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
          // Kubernetes names are lower-case DNS labels; topic names may also have '_' and upper case.
          .append("  name: ").append(name.replace('.', '-').replace('_', '-').toLowerCase(java.util.Locale.ROOT)).append('\n')
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
