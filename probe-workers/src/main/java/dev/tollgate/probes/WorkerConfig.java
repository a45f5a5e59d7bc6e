package dev.tollgate.probes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Probe-worker settings, from the {@code worker:} and {@code repositories:} sections of {@code tollgate.yml}.
 *
 * @param groupId Kafka consumer group shared by all workers
 * @param concurrency checks run at once by this worker (the {@code probe-pool} size)
 * @param maxCheckTime hard cap on one check, whatever its deadline says
 * @param maxFindings findings kept per result
 * @param mirrorDir where bare mirrors of remote repositories are kept
 * @param maxMirrorBytes disk the mirrors may use
 * @param server the probes' settings from tollgate.yml ({@code defaults.<probe>}, {@code environments.<env>.<probe>})
 * @param warmup the most time a worker may spend warming its probes before it starts consuming ({@code 0s}: none)
 */
public record WorkerConfig(Topics topics, String groupId, int concurrency, Duration maxCheckTime, int maxFindings,
    Path mirrorDir, long maxMirrorBytes, Duration fetchTimeout, ChangeSet.Limits limits, RepositoryAllowList allowList,
    String workerName, ServerSettings server, Duration warmup) {

  private static final Set<String> WORKER_KEYS = Set.of("groupId", "concurrency", "maxCheckTime", "maxFindings",
      "maxMirrorBytes", "fetchTimeout", "maxFileBytes", "maxCommits", "warmup");

  public WorkerConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(mirrorDir, "mirrorDir");
    Objects.requireNonNull(allowList, "allowList");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(warmup, "warmup");
    if (warmup.isNegative() || warmup.compareTo(dev.tollgate.contracts.warmup.WarmupThread.MAX_BUDGET) > 0) {
      // The workers join only once warm: a day's budget would keep them out for a day.
      throw new IllegalArgumentException("worker.warmup: expected a duration from 0s to 5m, got " + warmup);
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("worker.concurrency: expected 1-256, got " + concurrency);
    }
    if (maxCheckTime.isNegative() || maxCheckTime.isZero()) {
      throw new IllegalArgumentException("worker.maxCheckTime: expected a positive duration, got " + maxCheckTime);
    }
  }

  /**
   * Reads the worker settings.
   *
   * @param worker the {@code worker:} section (missing node for defaults)
   * @throws IllegalArgumentException naming the key and the bad value
   */
  public static WorkerConfig from(JsonNode worker, RepositoryAllowList allowList, Topics topics, Path dataDir,
      ServerSettings server) {
    ConfigKeys.requireKnown(worker, WORKER_KEYS, "worker");
    java.util.List<String> readLimits = server.readLimitProblems();
    if (!readLimits.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", readLimits));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return new WorkerConfig(topics,
        text(worker, "groupId", topics.prefix() + "tollgate-probe-workers"),
        integer(worker, "concurrency", Math.max(2, cores)),
        duration(worker, "maxCheckTime", Duration.ofMinutes(5)),
        integer(worker, "maxFindings", 200),
        dataDir.resolve("repos"),
        longValue(worker, "maxMirrorBytes", 10L << 30),
        duration(worker, "fetchTimeout", Duration.ofMinutes(2)),
        new ChangeSet.Limits(longValue(worker, "maxFileBytes", 1 << 20), integer(worker, "maxCommits", 1000)),
        allowList,
        defaultWorkerName(),
        server,
        duration(worker, "warmup", DEFAULT_WARMUP));
  }

  /** Defaults, for tests and the CLI. */
  public static WorkerConfig defaults(RepositoryAllowList allowList, Topics topics, Path dataDir) {
    return from(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), allowList, topics, dataDir,
        ServerSettings.empty());
  }

  /** {@code host/pid}: who ran a check, as shown in results. */
  public static String defaultWorkerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  /**
   * The most a worker may spend warming up before it reports ready (every probe on a generated repository until the
   * rounds stop getting faster, see {@code Warmup}); {@code 0s} turns it off.
   */
  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(6);

  public WorkerConfig withGroupId(String newGroupId) {
    return new WorkerConfig(topics, newGroupId, concurrency, maxCheckTime, maxFindings, mirrorDir, maxMirrorBytes,
        fetchTimeout, limits, allowList, workerName, server, warmup);
  }

  public WorkerConfig withWorkerName(String name) {
    return new WorkerConfig(topics, groupId, concurrency, maxCheckTime, maxFindings, mirrorDir, maxMirrorBytes,
        fetchTimeout, limits, allowList, name, server, warmup);
  }

  private static String text(JsonNode node, String key, String fallback) {
    JsonNode v = node.path(key);
    if (v.isMissingNode()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException("worker." + key + ": expected a non-empty string, got " + v);
    }
    return v.asText();
  }

  private static int integer(JsonNode node, String key, int fallback) {
    JsonNode v = node.path(key);
    if (v.isMissingNode()) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 1) {
      throw new IllegalArgumentException("worker." + key + ": expected a positive integer, got " + v);
    }
    return v.intValue();
  }

  private static long longValue(JsonNode node, String key, long fallback) {
    JsonNode v = node.path(key);
    if (v.isMissingNode()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.longValue() < 1) {
      throw new IllegalArgumentException("worker." + key + ": expected a positive integer (bytes), got " + v);
    }
    return v.longValue();
  }

  private static Duration duration(JsonNode node, String key, Duration fallback) {
    JsonNode v = node.path(key);
    return v.isMissingNode() ? fallback : Durations.parse(v.asText(), "worker." + key);
  }
}
