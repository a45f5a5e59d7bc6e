package dev.tollgate.gate.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Knows whether the Kafka cluster answered recently: {@code describeCluster} every few seconds. */
public final class KafkaHealth implements AutoCloseable {
  private static final Duration EVERY = Duration.ofSeconds(2);
  private static final Duration FRESH = Duration.ofSeconds(10);

  private final Admin admin;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private volatile Instant lastSeen = Instant.EPOCH;
  private volatile String lastError = "not checked yet";

  public KafkaHealth(Map<String, Object> kafka, Clock clock) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gate-health");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    this.admin = Admin.create(p);
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gate-kafka-health");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).clusterId().get(3, TimeUnit.SECONDS);
      lastSeen = clock.instant();
      lastError = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lastError = e.getCause() != null ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName();
    }
  }

  /** True when the cluster answered within the last few seconds. */
  public boolean reachable() {
    return Duration.between(lastSeen, clock.instant()).compareTo(FRESH) < 0;
  }

  /** Why the last check failed, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
