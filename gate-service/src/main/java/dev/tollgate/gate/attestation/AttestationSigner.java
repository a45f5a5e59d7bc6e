package dev.tollgate.gate.attestation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.TraceContext;
import dev.tollgate.contracts.attestation.AttestationKeyPublished;
import dev.tollgate.contracts.attestation.AttestationSigned;
import dev.tollgate.kafka.OwedOffsets;
import dev.tollgate.contracts.verdict.VerdictReached;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs every verdict revision: a Kafka consumer in its own group ({@code <namespace>tollgate-attestation-signer}) over
 * {@link Topics#VERDICTS_REACHED}, so with several gates each partition has one owner and each revision one signer.
 * It builds the statement from the {@link VerdictReached} record alone ({@link VerdictStatement}), signs it with the
 * gate's signing key and publishes it to the compacted {@link Topics#ATTESTATIONS_SIGNED}, keyed by evaluation and
 * revision; offsets are committed only once the broker has the envelopes, at most every {@link #COMMIT_INTERVAL}
 * (and at once on a revocation or a stop).
 *
 * <p>Off the verdict's path on purpose: the aggregator publishes the verdict without waiting for a signature, and a
 * signing failure (Kafka unavailable) is retried here without touching the decision.
 *
 * <p>A record read twice (a rebalance, a restart before the commit) is signed once: a revision this gate's
 * {@link AttestationStore} already holds, or that this signer signed a moment ago, is skipped. Were it signed again
 * anyway (two gates mid-rebalance): with Ed25519 the canonical statement gives the same bytes under the same key; with
 * ECDSA P-256 (randomized) the second envelope is another valid signature of the same statement, and every gate serves
 * the one the compacted topic keeps (the last).
 *
 * <p>At start it publishes the gate's public keys (and tombstones for revoked ones) to
 * {@link Topics#ATTESTATION_KEYS_PUBLISHED}, so any gate serves every key that verifies.
 */
public final class AttestationSigner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttestationSigner.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /**
   * Offsets of signed batches are committed at most this often. A commit per batch was about one synchronous commit
   * per verdict; the envelopes of a batch are on the broker before its offsets are owed, so a later commit only widens
   * what a crash reads again — and a revision read again is skipped as signed (see the class comment) — never what it
   * loses.
   */
  public static final Duration COMMIT_INTERVAL = OwedOffsets.INTERVAL;

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final String groupId;
  private final AttestationKeys keys;
  private final AttestationStore store;
  private final Timer signing;
  private final MeterRegistry meters;
  private final Counter unreadable;
  private final Duration commitInterval;
  /** Offsets of batches whose envelopes the broker has, not yet committed. Signer thread only (but halt). */
  private volatile OwedOffsets owed;
  private KafkaClientMetrics consumerMetrics;
  /**
   * How long a published revision is remembered: the store reads its own gate's envelopes back within seconds (the
   * signer waits for it on a rebalance, under 30 s); after that the store answers {@code signed}.
   */
  static final Duration RECENT_FOR = Duration.ofMinutes(10);
  /**
   * Revisions this signer published recently, before its store reads them back. Signer thread only. Bounded by time,
   * not count: at 3 verdicts a second, 1,800 keys rather than up to 100,000 kept for ever.
   */
  private final Cache<String, Boolean> recent = Caffeine.newBuilder().expireAfterWrite(RECENT_FOR).build();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Instant lastPoll = Instant.EPOCH;
  private Thread thread;
  private KafkaConsumer<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;

  public AttestationSigner(Topics topics, Map<String, Object> kafka, AttestationKeys keys, AttestationStore store,
      MeterRegistry meters) {
    this(topics, kafka, keys, store, meters, COMMIT_INTERVAL);
  }

  /** With another commit interval (tests: a long one leaves every signed batch owed, to halt the signer then). */
  public AttestationSigner(Topics topics, Map<String, Object> kafka, AttestationKeys keys, AttestationStore store,
      MeterRegistry meters, Duration commitInterval) {
    if (commitInterval.isNegative()) {
      throw new IllegalArgumentException("commitInterval: expected >= 0, got " + commitInterval);
    }
    this.commitInterval = commitInterval;
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.groupId = topics.prefix() + "tollgate-attestation-signer";
    this.keys = keys;
    this.store = store;
    this.meters = meters;
    this.signing = Timer.builder("tollgate.attestation.signing").description("Building, canonicalizing and signing one statement")
        .publishPercentiles(0.5, 0.99).register(meters);
    this.unreadable = Counter.builder("tollgate.attestations.skipped").tag("why", "unreadable")
        .description("Verdict records the signer could not read").register(meters);
  }

  /** Publishes the keys, joins the group and starts signing on its own thread. */
  public synchronized void start() {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "gate-attestation-signer");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Every verdict is signed, also those decided before signing was enabled: a new group starts at the beginning.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(meters);
    owed = new OwedOffsets(consumer, commitInterval, () -> running, "attestation.commit.failed",
        "the next owner reads them again and skips them");
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "gate-attestation-signer");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    running = true;
    thread = new Thread(this::run, "attestation-signer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      Duration backoff = FIRST_BACKOFF;
      while (running && !publishKeys()) {
        sleep(backoff);
        backoff = next(backoff);
      }
      store.awaitCaughtUp(Duration.ofSeconds(60)); // what is already signed is skipped, so know it first
      consumer.subscribe(List.of(topics.verdictsReached()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) {
            awaitEnvelopesRead();
          }
          assigned.countDown();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          owed.commit(true); // still ours: commit what was signed, so the next owner does not read it again
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          owed.lost(partitions); // the next owner reads them again and skips them
        }
      });
      backoff = FIRST_BACKOFF;
      while (running) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(owed.pollWait(Duration.ofMillis(200)));
        lastPoll = Instant.now();
        if (batch.isEmpty()) {
          owed.commitIfDue();
          continue;
        }
        try {
          sign(batch);
          Map<TopicPartition, OffsetAndMetadata> signed = new HashMap<>();
          for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(tp);
            signed.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
          }
          owed.owe(signed);
          owed.commitIfDue();
          backoff = FIRST_BACKOFF;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
          if (e instanceof WakeupException w) {
            throw w;
          }
          // Nothing of this batch is owed: it is read again, and what did reach the broker is skipped then.
          log.atWarn().addKeyValue("event", "attestation.publish.failed").addKeyValue("records", batch.count())
              .log("could not publish attestations ({}); retrying in {}", e.toString(), backoff);
          for (TopicPartition tp : batch.partitions()) {
            consumer.seek(tp, batch.records(tp).get(0).offset());
          }
          recent.invalidateAll();
          sleep(backoff);
          backoff = next(backoff);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.atError().addKeyValue("event", "attestation.signer.failed").setCause(e).log("attestation signer stopped");
    } finally {
      running = false;
      owed.commit(true); // a stop: what was signed is not read again by the next owner (nothing after a halt)
      consumer.close();
      consumerMetrics.close();
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Signs and publishes one batch; returns once the broker has every envelope. */
  private void sign(ConsumerRecords<String, byte[]> batch)
      throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      VerdictReached v;
      try {
        v = Json.read(record.value(), VerdictReached.class);
      } catch (Json.MalformedMessageException e) {
        unreadable.increment(); // the aggregator wrote it: unreadable here means a newer schema, which views skip too
        continue;
      }
      String key = AttestationSigned.key(v.evaluationId(), v.revision());
      if (recent.getIfPresent(key) != null || store.signed(v.evaluationId(), v.revision())) {
        meters.counter("tollgate.attestations.skipped", "why", "signed").increment();
        continue;
      }
      long started = System.nanoTime();
      VerdictStatement.Signed signed = VerdictStatement.sign(v, keys.signing());
      signing.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      AttestationSigned message = AttestationSigned.of(v.evaluationId(), v.requestId(), v.revision(), v.target().tenant(),
          v.decision(), signed.keyId(), VerdictStatement.text(signed.envelope()), signed.sha256());
      ProducerRecord<String, byte[]> out = new ProducerRecord<>(topics.attestationsSigned(), key, Json.write(message));
      out.headers().add(HeaderNames.REQUEST_ID, bytes(v.requestId()));
      out.headers().add(HeaderNames.MESSAGE_TYPE, bytes("AttestationSigned"));
      out.headers().add(HeaderNames.TRACEPARENT, bytes(TraceContext.forEvaluation(v.evaluationId()).header()));
      sent.add(producer.send(out));
      recent.put(key, Boolean.TRUE);
      meters.counter("tollgate.attestations.signed", "decision", v.decision().name()).increment();
      log.atInfo().addKeyValue("event", "attestation.signed").addKeyValue("requestId", v.requestId())
          .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("revision", v.revision())
          .addKeyValue("decision", v.decision().name()).addKeyValue("keyId", signed.keyId()).addKeyValue("sha256", signed.sha256())
          .log("verdict {} signed", v.decision());
    }
    for (Future<RecordMetadata> f : sent) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Before signing what the group just gave this signer, lets the store read every envelope already published: the
   * previous owner may have published a batch it could not commit (it died, or lost its partitions), and the store
   * must know those revisions are signed. With Ed25519 a second signature would be the same bytes; with ECDSA it
   * would be a second envelope, and the served bytes of that revision would change once.
   */
  private void awaitEnvelopesRead() {
    // Bounded to well under readiness's 30 s without a poll, which a rebalance must not turn into "not ready".
    Duration lookup = Duration.ofSeconds(5);
    try {
      List<TopicPartition> envelopes = consumer.partitionsFor(topics.attestationsSigned(), lookup).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      Map<Integer, Long> ends = new HashMap<>();
      consumer.endOffsets(envelopes, lookup).forEach((tp, end) -> ends.put(tp.partition(), end));
      if (!store.awaitRead(ends, Duration.ofSeconds(10))) {
        log.atWarn().addKeyValue("event", "attestation.signer.behind")
            .log("the attestation store had not read every published envelope within 10 s; signing anyway");
      }
      lastPoll = Instant.now();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (WakeupException e) {
      throw e; // closing
    } catch (RuntimeException e) {
      // Signing goes on: at worst a revision is signed twice, and both envelopes verify.
      log.atWarn().addKeyValue("event", "attestation.signer.behind")
          .log("could not learn the end of the envelopes topic ({}); signing anyway", e.toString());
    }
  }

  /** Publishes this gate's public keys and withdraws revoked ones; false when Kafka did not take them. */
  private boolean publishKeys() {
    try {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (AttestationKey k : keys.published()) {
        sent.add(producer.send(new ProducerRecord<>(topics.attestationKeysPublished(), k.keyId(),
            Json.write(AttestationKeyPublished.of(k.keyId(), k.kind().label(), k.publicPem())))));
      }
      for (String revoked : keys.revoked()) {
        sent.add(producer.send(new ProducerRecord<>(topics.attestationKeysPublished(), revoked, null)));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
      log.atInfo().addKeyValue("event", "attestation.keys.published").addKeyValue("signingKey", keys.signing().keyId())
          .addKeyValue("keys", keys.published().stream().map(AttestationKey::keyId).toList())
          .addKeyValue("revoked", keys.revoked()).log("attestation keys published");
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      log.atWarn().addKeyValue("event", "attestation.keys.failed").log("could not publish the attestation keys: {}", e.toString());
      return false;
    }
  }

  private static Duration next(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** Waits {@code d}, or less when the signer is closed meanwhile. */
  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    try {
      while (running && System.nanoTime() < until) {
        Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** True while the signer polls. */
  public boolean isRunning() {
    return running && Duration.between(lastPoll, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0;
  }

  /** Waits until the group gave this signer partitions (tests). */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The key this gate signs with. */
  public AttestationKey signingKey() {
    return keys.signing();
  }

  /**
   * Stops at once without committing what is owed, as a crash (kill -9) would leave the group's offsets (tests of
   * "read twice, signed once").
   */
  public void halt() {
    if (owed != null) {
      owed.halt();
    }
    close();
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
