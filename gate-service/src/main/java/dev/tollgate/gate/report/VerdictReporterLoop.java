package dev.tollgate.gate.report;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every platform reporter shares (GitHub, GitLab): a Kafka consumer in the reporter's own group over the
 * request, result and verdict topics, which are co-partitioned by evaluation id, so with several gates exactly one
 * reports each evaluation, in order. Offsets are committed after a batch was handled, so a crash repeats at most the
 * last batch (platforms refuse a second approval, which is logged and skipped). A new group starts a little before
 * this process started, never at the beginning of history: old deployments must not be answered again.
 *
 * <p>Subclasses handle one record at a time on the loop's thread; their calls may block (bounded retries).
 */
public abstract class VerdictReporterLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VerdictReporterLoop.class);
  /** How far back a brand-new group starts: verdicts published while this gate was starting are still reported. */
  public static final Duration NEW_GROUP_LOOKBACK = Duration.ofMinutes(15);

  private final String platform;
  private final String displayName;
  private final Topics topics;
  private final Map<String, Object> kafka;
  private final String groupId;
  private final EvaluationViews views;
  private final Duration viewWait;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant lastPoll = Instant.EPOCH;
  private Instant startedAt;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  /**
   * @param platform lower-case platform name for thread names, client ids and log events ({@code github})
   * @param displayName the platform's name in log messages ({@code GitHub})
   * @param viewWait how long to wait for the views to know an evaluation or its verdict
   */
  protected VerdictReporterLoop(String platform, String displayName, Topics topics, Map<String, Object> kafka, String groupId,
      EvaluationViews views, Duration viewWait) {
    this.platform = platform;
    this.displayName = displayName;
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.groupId = groupId;
    this.views = views;
    this.viewWait = viewWait;
  }

  /** A request entered the topic (the reporter may set a pending status). */
  protected abstract void onRequested(EvaluationRequested r);

  /** A probe answered. */
  protected abstract void onProbe(ProbeCompleted result);

  /** A verdict (or a later revision of one) was reached. */
  protected abstract void onVerdict(VerdictReached v);

  /** An audit record (an approver's rejection, a bypass, ...); most reporters have nothing to say about it. */
  protected void onAudit(AuditRecorded a) {}

  /** Joins the group and starts reporting on its own thread. */
  public synchronized void start() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gate-" + platform + "-reporter");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    // Each record may wait for the platform (bounded retries): small batches and a long poll interval keep the group stable.
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    startedAt = Instant.now();
    running = true;
    thread = new Thread(this::run, platform + "-reporter");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topics.evaluationsRequested(), topics.probesCompleted(), topics.verdictsReached(),
              topics.auditRecorded()),
          new StartNewGroupsRecently());
      views.awaitCaughtUp(Duration.ofSeconds(60)); // origins come from the views: let them read the history first
      while (running) {
        var batch = consumer.poll(Duration.ofMillis(200));
        lastPoll = Instant.now();
        for (ConsumerRecord<String, byte[]> record : batch) {
          handle(record);
        }
        if (!batch.isEmpty()) {
          consumer.commitSync();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.atError().addKeyValue("event", platform + ".reporter.failed").setCause(e).log("{} reporter stopped", displayName);
    } finally {
      running = false;
      consumer.close();
    }
  }

  /** A new group starts {@link #NEW_GROUP_LOOKBACK} before this process started; a known group where it stopped. */
  private final class StartNewGroupsRecently implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
      Map<TopicPartition, Long> fresh = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (committed.get(tp) == null) {
          fresh.put(tp, startedAt.minus(NEW_GROUP_LOOKBACK).toEpochMilli());
        }
      }
      if (!fresh.isEmpty()) {
        Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(fresh);
        for (TopicPartition tp : fresh.keySet()) {
          OffsetAndTimestamp o = at.get(tp);
          if (o != null) {
            consumer.seek(tp, o.offset());
          } else {
            consumer.seekToEnd(List.of(tp));
          }
        }
      }
      assigned.countDown();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // offsets are committed after each batch
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    String id = record.key();
    if (id == null) {
      return;
    }
    try {
      String topic = record.topic();
      if (topic.equals(topics.evaluationsRequested())) {
        onRequested(Json.read(record.value(), EvaluationRequested.class));
      } else if (topic.equals(topics.probesCompleted())) {
        onProbe(Json.read(record.value(), ProbeCompleted.class));
      } else if (topic.equals(topics.verdictsReached())) {
        onVerdict(Json.read(record.value(), VerdictReached.class));
      } else if (topic.equals(topics.auditRecorded())) {
        onAudit(Json.read(record.value(), AuditRecorded.class));
      }
    } catch (Json.MalformedMessageException e) {
      // the aggregator dead-letters unreadable records; nothing to report for them
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("event", platform + ".report.failed").addKeyValue("evaluationId", id).setCause(e)
          .log("could not report to {}", displayName);
    }
  }

  /** The evaluation views this reporter reads origins and findings from. */
  protected final EvaluationViews views() {
    return views;
  }

  /** How long {@link #awaitView} waits. */
  protected final Duration viewWait() {
    return viewWait;
  }

  /** Waits (bounded by {@link #viewWait()}) until the views know evaluation {@code id} in a state {@code ready} accepts. */
  protected final Optional<EvaluationView> awaitView(String id, Predicate<EvaluationView> ready) {
    long deadline = System.nanoTime() + viewWait.toNanos();
    while (true) {
      Optional<EvaluationView> v = views.get(id);
      if (v.isPresent() && ready.test(v.get())) {
        return v;
      }
      if (System.nanoTime() > deadline || !running) {
        return Optional.empty();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  /**
   * The request that started {@code evaluationId}, waiting (bounded) for the views to read it; empty, and logged, if
   * the views do not know it in time (a later record of it may still find it).
   */
  protected final Optional<EvaluationRequested> awaitRequest(String evaluationId) {
    Optional<EvaluationRequested> request = views.request(evaluationId);
    if (request.isEmpty()) {
      request = awaitView(evaluationId, v -> true).flatMap(v -> views.request(evaluationId));
    }
    if (request.isEmpty()) {
      log.atWarn().addKeyValue("event", platform + ".report.unknown-evaluation").addKeyValue("evaluationId", evaluationId)
          .log("evaluation not in the views within {}; not reported to {}", viewWait, displayName);
    }
    return request;
  }

  /** True while the consumer polls. */
  public boolean isRunning() {
    return running && Duration.between(lastPoll, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0;
  }

  /** Waits until the group gave this reporter its partitions (tests). */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
