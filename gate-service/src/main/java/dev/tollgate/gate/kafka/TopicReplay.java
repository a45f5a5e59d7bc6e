package dev.tollgate.gate.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads topics from the beginning and then follows them, on a thread of its own, handing every record to one
 * function: how every gate rebuilds its in-memory views (evaluations, attestations, delivery figures) from Kafka. No
 * consumer group: each gate reads everything, so any gate answers for any evaluation.
 */
public final class TopicReplay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicReplay.class);
  /** A reader that has not polled for this long is reported as not running (health). */
  private static final Duration STALLED = Duration.ofSeconds(30);
  static final int BATCH_BYTES = 1 << 20;
  static final int BATCH_WAIT_MS = 500;

  /** What was read before the replay caught up with the topics' ends at start. */
  public record CaughtUp(long records, long durationMs) {}

  private final Map<String, Object> kafka;
  private final String name;
  private final List<String> topics;
  private final Consumer<ConsumerRecord<String, byte[]>> apply;
  private final Consumer<CaughtUp> onCaughtUp;
  private final CountDownLatch caughtUpLatch = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant lastPoll = Instant.EPOCH;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;

  /**
   * @param name the thread's and the consumer's client id, and the prefix of the log events ({@code name.failed})
   * @param apply called on the replay's thread for every record, in partition order; it must not block
   * @param onCaughtUp called once on the replay's thread when everything on the topics at start has been applied
   */
  public TopicReplay(Map<String, Object> kafka, String name, List<String> topics,
      Consumer<ConsumerRecord<String, byte[]>> apply, Consumer<CaughtUp> onCaughtUp) {
    this.kafka = kafka;
    this.name = name;
    this.topics = List.copyOf(topics);
    this.apply = apply;
    this.onCaughtUp = onCaughtUp;
  }

  /**
   * {@code kafka} for a replay no request waits on (delivery figures): its fetches wait for {@value #BATCH_BYTES} bytes
   * or {@value #BATCH_WAIT_MS} ms instead of returning on every record. A waiting fetch with Kafka's default minimum (1
   * byte) is answered by each append to a partition it reads, so a view of the results and verdicts topics fetched about
   * six times per evaluation; batched, it fetches at most twice a second whatever the rate, and is at most half a
   * second behind.
   */
  public static Map<String, Object> batched(Map<String, Object> kafka) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, BATCH_BYTES);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, BATCH_WAIT_MS);
    return p;
  }

  /** Assigns every partition, seeks to the beginning and starts reading. */
  public synchronized void start() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    // Kafka's default fetch wait (500 ms), also for the evaluation views a request waits on: a waiting fetch returns as
    // soon as a record arrives, and a poll drains what was fetched (up to 2,000 records), so no partition is left out of
    // the next fetch (see Topics#WORKER_FETCH_WAIT_MS for the consumer where that is not so).
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    running = true;
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long started = System.nanoTime();
      long records = 0;
      boolean caughtUp = false;
      while (running) {
        var batch = consumer.poll(Duration.ofMillis(200));
        lastPoll = Instant.now();
        for (ConsumerRecord<String, byte[]> record : batch) {
          apply.accept(record);
          records++;
        }
        if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
          onCaughtUp.accept(new CaughtUp(records, (System.nanoTime() - started) / 1_000_000));
          caughtUpLatch.countDown();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.atError().addKeyValue("event", name + ".failed").setCause(e).log("{} stopped reading Kafka", name);
    } finally {
      running = false;
      consumer.close();
    }
  }

  /** Fetch requests this reader has sent so far (its consumer's {@code fetch-total}): what it costs the broker. */
  public long fetchRequests() {
    KafkaConsumer<String, byte[]> c;
    synchronized (this) {
      c = consumer;
    }
    if (c == null) {
      return 0;
    }
    return c.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("fetch-total") && e.getKey().group().equals("consumer-fetch-manager-metrics"))
        .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue()).sum();
  }

  /** True once everything on the topics at start has been read, while the reader still runs. */
  public boolean caughtUp() {
    return caughtUpLatch.getCount() == 0 && running;
  }

  /** Waits until everything on the topics at start has been read. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUpLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True while the reader polls (it polls at least every 200 ms). */
  public boolean isRunning() {
    return running && Duration.between(lastPoll, Instant.now()).compareTo(STALLED) < 0;
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<String, byte[]> c;
    Thread t;
    synchronized (this) {
      c = consumer;
      t = thread;
    }
    if (c != null) {
      c.wakeup();
    }
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
