package dev.tollgate.deploy.bench;

import dev.tollgate.deploy.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a consumer's {@code fetch.max.wait.ms} costs: idle CPU, and latency when records arrive. Four consumers, side by
 * side in the same seconds on one embedded broker, each on its own 3-partition topic: fetch wait 50 or 500 ms, times
 * {@code max.poll.records} 4 (the probe workers' 2 × concurrency on 2 cores) or 1,000 (Streams' default; the views
 * poll 2,000). First every consumer idles (its thread's CPU time over the window); then a producer sends the same
 * bursts to the four topics: 5 records with one key (an evaluation's five checks), a random pause of 50-400 ms, the
 * next burst with another key; each consumer "processes" a batch for 30 ms. Reported per consumer: send → poll
 * latency p50/p99/max over every record. With a producer {@code linger} (ms) above 0 a burst reaches the broker as one
 * batch, so one fetch brings all 5 records and a consumer polling 4 leaves one buffered: the case the probe workers'
 * short wait is for.
 *
 * <p>Run: {@code bench/fetch-wait.sh [bursts=200] [idleSeconds=20] [linger=0]}.
 */
public final class FetchWaitBench {
  private static final int PARTITIONS = 3;

  private FetchWaitBench() {}

  record Setup(int waitMs, int maxPoll) {
    String topic() {
      return "fetchwait-" + waitMs + "-" + maxPoll;
    }
  }

  /** One consumer on its thread: latencies in microseconds, its thread's CPU time. */
  static final class Reader implements Runnable {
    final Setup setup;
    final KafkaConsumer<String, byte[]> consumer;
    final List<Long> micros = new ArrayList<>();
    volatile long threadId;
    volatile boolean running = true;

    Reader(Setup setup, String bootstrap) {
      this.setup = setup;
      this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, setup.waitMs(),
          ConsumerConfig.MAX_POLL_RECORDS_CONFIG, setup.maxPoll(), ConsumerConfig.CLIENT_ID_CONFIG, setup.topic()),
          new StringDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(setup.topic(), p));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve the end now, before any record is sent
    }

    @Override
    public void run() {
      threadId = Thread.currentThread().getId();
      try {
        while (running) {
          var batch = consumer.poll(Duration.ofMillis(200));
          long now = System.nanoTime();
          for (ConsumerRecord<String, byte[]> r : batch) {
            synchronized (micros) {
              micros.add((now - ByteBuffer.wrap(r.value()).getLong()) / 1000);
            }
          }
          if (!batch.isEmpty()) {
            Thread.sleep(30); // the batch's work
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        consumer.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int bursts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int linger = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    List<Setup> setups = List.of(new Setup(50, 4), new Setup(500, 4), new Setup(50, 1000), new Setup(500, 1000));
    Path dir = Files.createTempDirectory("tollgate-fetchwait");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, linger, ProducerConfig.ACKS_CONFIG, "all"),
            new StringSerializer(), new ByteArraySerializer())) {
      admin.createTopics(setups.stream().map(s -> new NewTopic(s.topic(), PARTITIONS, (short) 1)).toList()).all()
          .get(30, TimeUnit.SECONDS);
      List<Reader> readers = new ArrayList<>();
      List<Thread> running = new ArrayList<>();
      for (Setup s : setups) {
        Reader r = new Reader(s, broker.bootstrap());
        readers.add(r);
        Thread t = new Thread(r, s.topic());
        t.start();
        running.add(t);
      }
      Thread.sleep(5_000); // connected and fetching
      long[] cpu0 = readers.stream().mapToLong(r -> threads.getThreadCpuTime(r.threadId)).toArray();
      long t0 = System.nanoTime();
      Thread.sleep(idleSeconds * 1000L);
      double elapsed = System.nanoTime() - t0;
      System.out.printf(Locale.ROOT, "idle %d s, consumer thread CPU (%% of one core), load %s:%n", idleSeconds, SoakBench.load());
      for (int i = 0; i < readers.size(); i++) {
        System.out.printf(Locale.ROOT, "  fetch wait %3d ms, max.poll.records %4d: %.3f %%%n", setups.get(i).waitMs(),
            setups.get(i).maxPoll(), 100.0 * (threads.getThreadCpuTime(readers.get(i).threadId) - cpu0[i]) / elapsed);
      }
      Random random = new Random(7);
      for (int b = 0; b < bursts; b++) {
        String key = "evaluation-" + b;
        for (int k = 0; k < 5; k++) {
          byte[] sent = ByteBuffer.allocate(8).putLong(System.nanoTime()).array();
          for (Setup s : setups) {
            producer.send(new ProducerRecord<>(s.topic(), key, sent));
          }
        }
        producer.flush();
        Thread.sleep(50 + random.nextInt(351));
      }
      Thread.sleep(2_000);
      readers.forEach(r -> r.running = false);
      for (Thread t : running) {
        t.join(5_000);
      }
      System.out.printf(Locale.ROOT, "%d bursts of 5 records, 50-400 ms apart, producer linger %d ms; send -> poll latency (ms), "
          + "load %s:%n", bursts, linger, SoakBench.load());
      for (Reader r : readers) {
        long[] m = r.micros.stream().mapToLong(Long::longValue).sorted().toArray();
        // A record held back by a waiting fetch that leaves its partition out waits up to the whole fetch wait: the
        // share later than 250 ms shows it even when the machine's noise hides it in the percentiles.
        long late = Arrays.stream(m).filter(x -> x > 250_000).count();
        System.out.printf(Locale.ROOT, "  fetch wait %3d ms, max.poll.records %4d: %d records, mean %.1f, p50 %.1f, p90 %.1f, p99 %.1f, "
            + "max %.1f, later than 250 ms %d%n", r.setup.waitMs(), r.setup.maxPoll(), m.length, Arrays.stream(m).average().orElse(0) / 1000,
            pct(m, 0.50), pct(m, 0.90), pct(m, 0.99), m.length == 0 ? 0 : m[m.length - 1] / 1000.0, late);
      }
    } finally {
      BenchKafka.deleteQuietly(dir);
    }
    System.exit(0);
  }

  static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
  }
}
