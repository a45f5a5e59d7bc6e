package dev.tollgate.gate.kafka;

import dev.tollgate.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Tollgate's topics when they are missing and checks the ones that exist: the aggregator's input
 * topics must have the same partition count (they are co-partitioned by evaluation id).
 *
 * @param partitions partitions of every topic; scale-out of workers and gates is bounded by it
 * @param replicationFactor 1 for the embedded single broker, 3 on a real cluster
 */
public record TopicSetup(Topics topics, int partitions, short replicationFactor) {
  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  /** Describes the topics, waiting out the moment right after creation when the broker does not know them yet. */
  private Map<String, TopicDescription> describe(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin.describeTopics(topics.all()).allTopicNames().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * Topic-level settings: history topics keep everything (the views are rebuilt from them); state topics are
   * compacted; the rest (work items, lock commands, admissions: read at once, rebuilt from nothing) go after 7 days.
   */
  public Map<String, String> configOf(String baseTopic) {
    Map<String, String> c = new HashMap<>();
    c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.min(2, replicationFactor)));
    if (Topics.COMPACTED.contains(baseTopic)) {
      // State, one record per key (the Slack message of an evaluation): the latest is kept, older ones compacted away.
      c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
      c.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
    } else if (Topics.HISTORY.contains(baseTopic)) {
      c.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
    } else {
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()));
    }
    return c;
  }

  /**
   * Creates missing topics and verifies partition counts.
   *
   * @throws IllegalStateException when the cluster cannot be reached or existing topics disagree
   */
  public void ensure(Map<String, Object> kafka) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gate-topic-setup");
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String base : Topics.ALL) {
        String name = topics.name(base);
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, partitions, replicationFactor).configs(configOf(base)));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        log.atInfo().addKeyValue("event", "topics.created").addKeyValue("count", missing.size())
            .log("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
      Map<String, TopicDescription> described = describe(admin);
      int requests = described.get(topics.evaluationsRequested()).partitions().size();
      for (String other : java.util.List.of(topics.probesCompleted(), topics.overridesRecorded())) {
        int n = described.get(other).partitions().size();
        if (n != requests) {
          throw new IllegalStateException(topics.evaluationsRequested() + " has " + requests + " partitions but " + other
              + " has " + n + ": the aggregator's input topics must be equal (co-partitioned by evaluation id)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create Tollgate's topics: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
    }
  }
}
