package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.kafka.OwedOffsets;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.probes.WorkerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The probe-worker consumer loop. Takes {@code CheckRequested} records, runs each on the {@code probe-pool}
 * within its time budget, publishes one {@code ProbeCompleted} per check (acks=all), then commits.
 *
 * <p>At-least-once: a check's offset is committed only once its result and those of every earlier check of its
 * partition are on the broker ({@link InFlight}), so a worker that dies mid-check leaves the check to be redelivered
 * to another member of the group. There is no batch barrier: the loop takes new checks while earlier ones run, so a
 * slow check delays only itself, not the evaluations polled with it. At most {@code 2 × concurrency} checks run or
 * wait for a thread at once: a poll returns at most {@code concurrency} records and is made only while no more than
 * {@code concurrency} run (counting those a rewind or revocation stopped tracking). Results are
 * idempotent (the aggregator keeps the first per probe). A record that cannot be read is copied to the
 * dead-letter topic with the reason in a header and skipped; it never stops the loop.
 *
 * <p>Why a plain thread and not a verticle: the Kafka consumer is a blocking, single-threaded API, and a
 * dedicated loop with a bounded pool expresses back-pressure directly (no poll while the pool is full).
 */
public final class ProbeWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeWorker.class);
  private static final Duration POLL = Duration.ofMillis(500);
  /** The poll's wait while checks run or offsets are owed: what finished is committed this soon after the interval. */
  private static final Duration SETTLE_POLL = Duration.ofMillis(50);
  /**
   * Records taken and not committed at most: behind one slow check, finished ones wait for it to be committed; near
   * this the worker takes no more until it finishes (its budget bounds the wait).
   */
  static final int MAX_UNCOMMITTED = 1000;
  private static final Duration DEADLINE_GRACE = Duration.ofSeconds(1);
  /**
   * Background commits at most this often. Committing each time a check finished sent ~4 offset commits (and ~5
   * {@code __consumer_offsets} records) per evaluation to the broker; the checks' results are already on the broker, so
   * a later commit only widens what a crash would run again (results are idempotent), never what it loses.
   */
  public static final Duration COMMIT_INTERVAL = OwedOffsets.INTERVAL;

  private final WorkerConfig config;
  private final CheckExecutor executor;
  private final Clock clock;
  private final MeterRegistry meters;
  private final Map<String, Object> kafka;
  private final ProbePool pool;
  private final ScheduledExecutorService timer;
  private final Counter deadLetters;
  private final Counter publishFailures;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch assigned = new CountDownLatch(1);
  private final InFlight inFlight = new InFlight();
  private final int maxRunning;
  /** Set when results could not be published: the loop pauses before it runs their checks again. */
  private boolean rewound;
  /** Offsets swept but not yet committed (the loop thread's): sent by the next background commit or a sync one. */
  private volatile OwedOffsets owed;

  private volatile boolean running;
  private volatile boolean halted;
  private Thread loop;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;
  private KafkaClientMetrics consumerMetrics;
  private KafkaClientMetrics producerMetrics;

  /**
   * @param kafka client properties (at least {@code bootstrap.servers}); serializers and delivery settings are
   *     set here
   */
  public ProbeWorker(WorkerConfig config, CheckExecutor executor, Clock clock, MeterRegistry meters, Map<String, Object> kafka) {
    this.config = Objects.requireNonNull(config);
    this.executor = Objects.requireNonNull(executor);
    this.clock = Objects.requireNonNull(clock);
    this.meters = Objects.requireNonNull(meters);
    this.kafka = Map.copyOf(kafka);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "probe-timer");
      t.setDaemon(true);
      return t;
    });
    this.pool = new ProbePool(config.concurrency(), timer, meters);
    this.maxRunning = 2 * config.concurrency();
    this.deadLetters = Counter.builder("tollgate.deadletters").description("Records copied to the dead-letter topic")
        .tag("consumer", "probe-workers").register(meters);
    this.publishFailures = Counter.builder("tollgate.probe.publish.failures")
        .description("Results that could not be published (their partition is read again from that check)").register(meters);
  }

  /** Joins the consumer group and starts the loop. */
  public synchronized void start() {
    if (loop != null) {
      throw new IllegalStateException("worker already started");
    }
    try {
      consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), new ByteArrayDeserializer());
      producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
      consumerMetrics = new KafkaClientMetrics(consumer);
      consumerMetrics.bindTo(meters);
      owed = new OwedOffsets(consumer, COMMIT_INTERVAL, () -> running, "worker.commit.failed",
          "those checks will be run again");
      producerMetrics = new KafkaClientMetrics(producer);
      producerMetrics.bindTo(meters);
      running = true;
      loop = new Thread(this::run, "probe-consumer");
      loop.start();
    } catch (RuntimeException | Error e) {
      // No loop runs to close what was built (the consumer when the producer failed): close it here.
      running = false;
      loop = null;
      closeClients();
      throw e;
    }
  }

  /** Waits until the group assigned this worker at least one partition (tests, readiness). */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True while the consumer loop runs. */
  public boolean isRunning() {
    return running && loop != null && loop.isAlive();
  }

  /**
   * True when the probe pool is saturated: as many threads are stuck in checks past their budget as the pool has, so
   * no more are replaced and new checks wait. Readiness reports it ({@code probe-pool}).
   */
  public boolean saturated() {
    return pool.saturated();
  }

  /** Probe threads still running a check past its budget. */
  public int stuckThreads() {
    return pool.stuck();
  }

  /**
   * Stops gracefully: finishes the checks in hand (up to {@code grace}), publishes their results, commits,
   * leaves the group. After the grace period it {@link #halt() halts}.
   */
  public void close(Duration grace) {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    try {
      if (loop != null && !stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        halt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      halt();
    }
    shutdownExecutors();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Stops at once, the way a crash looks to the group: results of checks in hand are dropped and nothing more
   * is committed, so those checks are redelivered to another worker.
   */
  public void halt() {
    halted = true;
    if (owed != null) {
      owed.halt();
    }
    running = false;
    if (loop != null) {
      loop.interrupt();
      if (consumer != null) {
        consumer.wakeup();
      }
      try {
        stopped.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    shutdownExecutors();
  }

  private void shutdownExecutors() {
    pool.shutdownNow();
    timer.shutdownNow();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(config.topics().checksRequested()), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
          log.atDebug().addKeyValue("event", "worker.partitions.revoked").log("partitions revoked: {}", partitions);
          // What finished is committed while the partitions are still ours; the rest is the next owner's to run.
          if (!halted) {
            InFlight.Sweep sweep = inFlight.sweep();
            commitOwed(sweep.commit(), true);
            rewind(sweep, partitions);
          }
          inFlight.forget(partitions);
        }

        @Override
        public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
          owed.lost(partitions); // no longer ours to commit: the next owner reads them again
          inFlight.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) {
            assigned.countDown();
          }
          log.atInfo().addKeyValue("event", "worker.partitions.assigned").addKeyValue("count", partitions.size())
              .log("partitions assigned: {}", partitions);
        }
      });
      while (running) {
        settle();
        if (!roomForBatch(inFlight.running(), inFlight.uncommitted(), config.concurrency(), maxRunning)) {
          // Back-pressure: take no more checks until one finishes (each is bounded by its budget).
          inFlight.awaitCompletion(POLL);
          continue;
        }
        ConsumerRecords<String, byte[]> records;
        try {
          // While checks run, return soon to commit what finished; new checks are returned as soon as they arrive.
          records = consumer.poll(inFlight.uncommitted() == 0 && owed.isEmpty() ? POLL : SETTLE_POLL);
        } catch (WakeupException e) {
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          inFlight.add(new TopicPartition(record.topic(), record.partition()), record.offset(), handle(record));
        }
      }
      if (!halted) {
        // A graceful stop: finish the checks in hand (close() halts after its grace), then commit them.
        inFlight.allDone().get();
        if (!halted) {
          // Waited for; a partition whose result failed is not committed past it and is read again by its next owner.
          commitOwed(inFlight.sweep().commit(), true);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RuntimeException e) {
      if (!halted) {
        log.atError().addKeyValue("event", "worker.loop.failed").setCause(e).log("probe worker loop stopped");
      }
    } finally {
      // halt() interrupts this thread; clear it so the clients close (and leave the group) instead of throwing.
      boolean interrupted = Thread.interrupted();
      closeClients();
      stopped.countDown();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether a poll may run: it returns up to {@code batch} records (max.poll.records), so only while a whole batch
   * keeps the running checks within {@code maxRunning} and the uncommitted ones within {@link #MAX_UNCOMMITTED}.
   */
  static boolean roomForBatch(int running, int uncommitted, int batch, int maxRunning) {
    return running + batch <= maxRunning && uncommitted + batch <= MAX_UNCOMMITTED;
  }

  /**
   * Commits each partition's prefix of checks whose results are on the broker. A result that could not be published
   * rewinds its partition to that check, to run it again after a pause (nothing after it was committed).
   */
  private void settle() throws InterruptedException {
    if (halted) {
      return;
    }
    InFlight.Sweep sweep = inFlight.sweep();
    owed.owe(sweep.commit());
    owed.commitIfDue();
    rewind(sweep, List.of());
    if (rewound) {
      rewound = false;
      Thread.sleep(1000);
    }
  }

  /**
   * Reads each partition whose result could not be published again from that check (nothing after it was committed),
   * except those being revoked: they are the next owner's to read. The loop pauses before it runs them again.
   */
  private void rewind(InFlight.Sweep sweep, java.util.Collection<TopicPartition> revoked) {
    if (sweep.rewind().isEmpty()) {
      return;
    }
    publishFailures.increment(sweep.rewind().size());
    log.atError().addKeyValue("event", "worker.publish.failed").addKeyValue("partitions", sweep.rewind().size())
        .log("could not publish results ({}), their checks will be run again: {}", rootMessage(sweep.failure()),
            sweep.rewind());
    sweep.rewind().forEach((tp, offset) -> {
      if (!revoked.contains(tp)) {
        consumer.seek(tp, offset);
      }
    });
    rewound = true;
  }

  /** Commits what is owed and {@code swept} (later offsets than the owed ones), and owes nothing after. */
  private void commitOwed(Map<TopicPartition, OffsetAndMetadata> swept, boolean sync) {
    owed.owe(swept);
    owed.commit(sync);
  }

  private CompletableFuture<?> handle(ConsumerRecord<String, byte[]> record) {
    CheckRequested check;
    try {
      check = Json.read(record.value(), CheckRequested.class);
    } catch (Json.MalformedMessageException e) {
      return deadLetter(record, e.getMessage());
    }
    Instant now = clock.instant();
    var parent = record.headers().lastHeader(HeaderNames.TRACEPARENT);
    io.opentelemetry.api.trace.Span span = Tracing.start("probe " + check.probe(), check.evaluationId(),
        parent == null ? null : new String(parent.value(), StandardCharsets.UTF_8));
    span.setAttribute("tollgate.probe", check.probe().value());
    String traceparent = Tracing.header(span, check.evaluationId());
    Duration left = Duration.between(now, check.deadline());
    if (left.isNegative() || left.isZero()) {
      span.end();
      return publish(executor.error(check, now, null, "check arrived after its deadline "
          + check.deadline() + "; the verdict was decided without it"), traceparent);
    }
    // A little past the deadline: the aggregator's "no result within" is the clearer reason; this cap only frees
    // the thread. maxCheckTime bounds any check, whatever its deadline.
    Duration untilDeadline = left.plus(DEADLINE_GRACE);
    Duration budget = untilDeadline.compareTo(config.maxCheckTime()) < 0 ? untilDeadline : config.maxCheckTime();
    CompletableFuture<ProbeCompleted> result = new CompletableFuture<>();
    Timer.Sample sample = Timer.start(meters);
    ProbePool.Task task = pool.submit(() -> {
      MDC.put("requestId", check.requestId());
      MDC.put("evaluationId", check.evaluationId());
      MDC.put("probe", check.probe().value());
      MDC.put("traceId", span.getSpanContext().isValid() ? span.getSpanContext().getTraceId()
          : dev.tollgate.contracts.TraceContext.traceIdOf(check.evaluationId()));
      try {
        result.complete(executor.execute(check));
      } catch (Throwable t) {
        result.complete(executor.error(check, now, null, "probe " + check.probe() + " failed: " + t.getClass().getSimpleName()));
      } finally {
        MDC.clear();
      }
    });
    ScheduledFuture<?> timeout = timer.schedule(() -> {
      if (result.complete(executor.error(check, now, null, "probe " + check.probe() + " did not finish within its budget of "
          + dev.tollgate.contracts.Durations.format(budget)))) {
        task.abandon(check.probe() + " of evaluation " + check.evaluationId());
      }
    }, budget.toMillis(), TimeUnit.MILLISECONDS);
    return result.thenCompose(r -> {
      timeout.cancel(false);
      span.setAttribute("tollgate.status", r.status().name());
      span.end();
      sample.stop(meters.timer("tollgate.probe.duration", "probe", r.probe().value(), "status", r.status().name()));
      log.atInfo().addKeyValue("event", "probe.completed").addKeyValue("requestId", r.requestId())
          .addKeyValue("evaluationId", r.evaluationId()).addKeyValue("probe", r.probe().value())
          .addKeyValue("status", r.status().name()).addKeyValue("findings", r.findings().size())
          .log("probe {} completed: {}", r.probe(), r.status());
      return publish(r, traceparent);
    });
  }

  private CompletableFuture<RecordMetadata> publish(ProbeCompleted result, String traceparent) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topics().probesCompleted(), result.evaluationId(),
        Json.write(result));
    headers(record.headers(), result.requestId(), "ProbeCompleted");
    record.headers().add(HeaderNames.TRACEPARENT, bytes(traceparent));
    return send(record);
  }

  private CompletableFuture<RecordMetadata> deadLetter(ConsumerRecord<String, byte[]> source, String error) {
    deadLetters.increment();
    log.atWarn().addKeyValue("event", "record.deadlettered").addKeyValue("topic", source.topic())
        .addKeyValue("partition", source.partition()).addKeyValue("offset", source.offset())
        .log("unreadable check request dead-lettered: {}", error);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(config.topics().recordsDeadLettered(), source.key(), source.value());
    source.headers().forEach(h -> record.headers().add(h));
    Headers h = record.headers();
    h.add(HeaderNames.ERROR, bytes(error));
    h.add(HeaderNames.SOURCE_TOPIC, bytes(source.topic()));
    h.add(HeaderNames.SOURCE_PARTITION, bytes(Integer.toString(source.partition())));
    h.add(HeaderNames.SOURCE_OFFSET, bytes(Long.toString(source.offset())));
    h.add(HeaderNames.CONSUMER, bytes(config.groupId()));
    return send(record);
  }

  private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    if (halted) {
      done.completeExceptionally(new IllegalStateException("worker halted"));
      return done;
    }
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          done.completeExceptionally(error);
        } else {
          done.complete(metadata);
        }
      });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  private static void headers(Headers headers, String requestId, String type) {
    headers.add(HeaderNames.REQUEST_ID, bytes(requestId));
    headers.add(HeaderNames.MESSAGE_TYPE, bytes(type));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void closeClients() {
    Duration wait = halted ? Duration.ofMillis(200) : Duration.ofSeconds(5);
    try {
      if (consumerMetrics != null) {
        consumerMetrics.close();
      }
      if (producerMetrics != null) {
        producerMetrics.close();
      }
      if (consumer != null) {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(wait));
      }
    } catch (RuntimeException e) {
      log.atDebug().log("consumer close: {}", e.toString());
    }
    try {
      if (producer != null) {
        producer.close(wait);
      }
    } catch (RuntimeException e) {
      log.atDebug().log("producer close: {}", e.toString());
    }
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "probe-worker-" + config.workerName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // One batch at most fills the pool (the loop polls only while there is room for it; see the class comment).
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.concurrency());
    // Under back-pressure the loop does not poll until a check ends, up to maxCheckTime: the group must not think the
    // worker stuck before.
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, config.maxCheckTime().toMillis() + 60_000));
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Topics.WORKER_FETCH_WAIT_MS); // why short: see the constant
    return p;
  }

  private Map<String, Object> producerProps() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "probe-worker-results-" + config.workerName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // send() blocks (metadata, a full buffer) on the probe-timer or a probe thread; in a broker outage the 60 s
    // default would hold them far past any budget. The send then fails, and its check is run again.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    return p;
  }

  private static String rootMessage(Throwable e) {
    if (e == null) {
      return "no cause recorded";
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
