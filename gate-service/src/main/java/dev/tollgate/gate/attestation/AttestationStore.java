package dev.tollgate.gate.attestation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.attestation.AttestationKeyPublished;
import dev.tollgate.contracts.attestation.AttestationSigned;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.gate.kafka.TopicReplay;
import dev.tollgate.gate.offheap.ArrivalOrder;
import dev.tollgate.gate.offheap.OffHeapStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every gate serves of attestations: the signed envelopes of {@link Topics#ATTESTATIONS_SIGNED} and the public
 * keys of {@link Topics#ATTESTATION_KEYS_PUBLISHED}, read from the beginning of every partition by one thread (assigned,
 * not in a group: every gate needs everything), like the evaluation views.
 *
 * <p>The heap does not grow with history: the index (where each revision's envelope is, its digest and tenant) holds the
 * newest {@code maxEvaluations} evaluations, like the views, in an {@link OffHeapStore}; envelope bytes are cached on
 * the heap up to {@link #CACHE_BYTES} (the newest, which the dashboard and deploy tools ask for), and one that is not
 * cached is read back from its offset on the compacted topic (its latest record per key is never compacted away).
 * The bytes served are the bytes the signer published, never re-serialized.
 */
public final class AttestationStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttestationStore.class);
  /** Envelope bytes kept in memory (about 1,500 envelopes); the rest are read back from Kafka when asked for. */
  static final long CACHE_BYTES = 4L << 20;
  private static final byte REVISION = 'r';
  private static final byte ARRIVAL = 'a';

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final int maxEvaluations;
  /**
   * Evaluation id, revision → where its envelope is (JSON), and arrival number → evaluation id (the cap evicts by it).
   * Written by the store's thread only.
   */
  private final OffHeapStore index;
  private final AtomicLong indexed = new AtomicLong();
  /** The order evaluations were first indexed in: the cap forgets the oldest first. */
  private final ArrivalOrder arrivals;
  private final Cache<String, byte[]> envelopes;
  private final Map<String, AttestationKey> keys = new ConcurrentHashMap<>();
  private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
  /** Per partition of the envelopes topic, the offset after the last record read: what "already signed" covers. */
  private final Map<Integer, Long> readUpTo = new ConcurrentHashMap<>();
  private final Counter unreadable;
  private final Object fetchLock = new Object();
  private final TopicReplay replay;
  private KafkaConsumer<String, byte[]> fetcher;

  /**
   * Where one revision's envelope is.
   *
   * @param sha256 SHA-256 (hex) of the envelope bytes, as the audit export names it
   * @param partition the partition of {@link Topics#ATTESTATIONS_SIGNED} holding it
   * @param offset its offset there
   */
  public record Entry(String evaluationId, int revision, String tenant, Decision decision, String keyId, String sha256,
      int partition, long offset) {}

  /** One revision's envelope and where it came from. */
  public record Attestation(Entry entry, byte[] envelope) {}

  /** A store whose index is in a temporary off-heap store. */
  public AttestationStore(Topics topics, Map<String, Object> kafka, int maxEvaluations, MeterRegistry meters) {
    this(topics, kafka, maxEvaluations, OffHeapStore.temporary("attestations"), meters);
  }

  /** @param index where the index is kept (owned: closed with this store) */
  public AttestationStore(Topics topics, Map<String, Object> kafka, int maxEvaluations, OffHeapStore index, MeterRegistry meters) {
    this.index = index;
    this.arrivals = new ArrivalOrder(index, ARRIVAL);
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.maxEvaluations = maxEvaluations;
    this.envelopes = Caffeine.newBuilder().maximumWeight(CACHE_BYTES).weigher((String k, byte[] v) -> v.length + k.length())
        .recordStats().build();
    CaffeineCacheMetrics.monitor(meters, envelopes, "tollgate.attestations.envelopes");
    this.unreadable = Counter.builder("tollgate.attestations.unreadable")
        .description("Attestation or key records the gate could not read").register(meters);
    Gauge.builder("tollgate.attestations.indexed", indexed, AtomicLong::get).description("Evaluations whose attestations this gate indexes")
        .register(meters);
    Gauge.builder("tollgate.attestations.offheap.memory", index, OffHeapStore::memoryBytes).baseUnit("bytes")
        .description("Native memory of the attestation index's off-heap store (block cache, write buffers, table readers)")
        .register(meters);
    Gauge.builder("tollgate.attestations.offheap.disk", index, OffHeapStore::diskBytes).baseUnit("bytes")
        .description("Disk used by the attestation index's off-heap store's table files").register(meters);
    this.replay = new TopicReplay(this.kafka, "gate-attestations",
        List.of(topics.attestationKeysPublished(), topics.attestationsSigned()), this::apply,
        done -> log.atInfo().addKeyValue("event", "attestations.caught-up").addKeyValue("evaluations", indexed.get())
            .addKeyValue("keys", keys.size()).log("attestations and keys read from Kafka"));
  }

  /** Reads both topics from the beginning, then follows them. */
  public void start() {
    replay.start();
  }

  private Map<String, Object> properties(String clientId) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return p;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    try {
      applyRecord(record);
    } finally {
      if (record.topic().equals(topics.attestationsSigned())) {
        readUpTo.merge(record.partition(), record.offset() + 1, Math::max);
      }
    }
  }

  private void applyRecord(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      unreadable.increment();
      return;
    }
    try {
      if (record.topic().equals(topics.attestationKeysPublished())) {
        if (record.value() == null) {
          keys.remove(record.key()); // a revoked key's tombstone
        } else {
          AttestationKeyPublished k = Json.read(record.value(), AttestationKeyPublished.class);
          keys.put(k.keyId(), AttestationKey.fromPublicPem(k.publicKey(), k.keyId()));
        }
        return;
      }
      if (record.value() == null) {
        return; // nothing deletes an attestation; a tombstone from an operator's tool is ignored
      }
      AttestationSigned a = Json.read(record.value(), AttestationSigned.class);
      byte[] bytes = a.envelope().getBytes(StandardCharsets.UTF_8);
      if (!VerdictStatement.sha256(bytes).equals(a.envelopeSha256())) {
        throw new IllegalArgumentException("envelopeSha256 does not match the envelope");
      }
      Entry entry = new Entry(a.evaluationId(), a.revision(), a.tenant(), a.decision(), a.keyId(), a.envelopeSha256(),
          record.partition(), record.offset());
      boolean known = known(a.evaluationId());
      // The latest record of a key is the one compaction keeps.
      index.write(b -> b.put(revisionKey(a.evaluationId(), a.revision()), Json.write(entry)));
      envelopes.put(a.key(), bytes);
      if (!known) {
        arrivals.add(a.evaluationId());
        indexed.incrementAndGet();
        arrivals.evictWhile(() -> indexed.get() > maxEvaluations, this::forget);
      }
      List<Runnable> waiting = listeners.get(a.evaluationId());
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    } catch (Json.MalformedMessageException | IllegalArgumentException e) {
      unreadable.increment();
      log.atWarn().addKeyValue("event", "attestations.record.unreadable").addKeyValue("topic", record.topic())
          .addKeyValue("key", record.key()).log("attestation record skipped: {}", e.getMessage());
    }
  }

  private static byte[] revisionsOf(String evaluationId) {
    return OffHeapStore.key(new byte[] {REVISION}, OffHeapStore.name(evaluationId));
  }

  private static byte[] revisionKey(String evaluationId, int revision) {
    // Revisions are positive: big-endian bytes sort them oldest first.
    return OffHeapStore.key(revisionsOf(evaluationId), ByteBuffer.allocate(4).putInt(revision).array());
  }

  private void forget(String oldest) {
    List<Entry> gone = revisions(oldest);
    index.write(b -> gone.forEach(e -> b.delete(revisionKey(oldest, e.revision()))));
    gone.forEach(e -> envelopes.invalidate(AttestationSigned.key(oldest, e.revision())));
    indexed.decrementAndGet();
  }

  /** True when some revision of the evaluation is indexed: stops at the first key, reads no value. */
  private boolean known(String evaluationId) {
    boolean[] found = {false};
    index.scan(revisionsOf(evaluationId), null, k -> {
      found[0] = true;
      return false;
    });
    return found[0];
  }

  /** Where revision {@code revision} (null: the latest) of an evaluation's attestation is, if this gate knows it. */
  public Optional<Entry> entry(String evaluationId, Integer revision) {
    if (revision != null) {
      byte[] bytes = index.get(revisionKey(evaluationId, revision));
      return bytes == null ? Optional.empty() : Optional.of(Json.read(bytes, Entry.class));
    }
    List<Entry> all = revisions(evaluationId);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every revision of an evaluation this gate knows, oldest first. */
  public List<Entry> revisions(String evaluationId) {
    List<byte[]> keys = new ArrayList<>();
    index.scan(revisionsOf(evaluationId), null, keys::add);
    List<Entry> found = new ArrayList<>();
    for (byte[] k : keys) {
      byte[] bytes = index.get(k);
      if (bytes != null) {
        found.add(Json.read(bytes, Entry.class));
      }
    }
    return found;
  }

  /** True when revision {@code revision} of the evaluation is signed (as far as this gate has read). */
  public boolean signed(String evaluationId, int revision) {
    return entry(evaluationId, revision).isPresent();
  }

  /**
   * The envelope of {@code entry}: from memory, or read back from Kafka (blocking: not on an event loop).
   *
   * @return empty when the record is no longer where the index says (superseded meanwhile)
   */
  public Optional<Attestation> load(Entry entry) {
    byte[] cached = envelopes.getIfPresent(AttestationSigned.key(entry.evaluationId(), entry.revision()));
    if (cached != null) {
      return Optional.of(new Attestation(entry, cached));
    }
    byte[] fetched = fetch(entry);
    if (fetched == null) {
      return Optional.empty();
    }
    envelopes.put(AttestationSigned.key(entry.evaluationId(), entry.revision()), fetched);
    return Optional.of(new Attestation(entry, fetched));
  }

  /** True when the envelope of {@code entry} is in memory (serving it does not block). */
  public boolean cached(Entry entry) {
    return envelopes.getIfPresent(AttestationSigned.key(entry.evaluationId(), entry.revision())) != null;
  }

  private byte[] fetch(Entry entry) {
    synchronized (fetchLock) {
      if (fetcher == null) {
        fetcher = new KafkaConsumer<>(properties("gate-attestations-fetch"), new StringDeserializer(), new ByteArrayDeserializer());
      }
      TopicPartition tp = new TopicPartition(topics.attestationsSigned(), entry.partition());
      fetcher.assign(List.of(tp));
      fetcher.seek(tp, entry.offset());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : fetcher.poll(Duration.ofMillis(200))) {
          if (r.offset() > entry.offset() || r.value() == null) {
            return null;
          }
          if (r.offset() == entry.offset()) {
            AttestationSigned a = Json.read(r.value(), AttestationSigned.class);
            byte[] bytes = a.envelope().getBytes(StandardCharsets.UTF_8);
            return VerdictStatement.sha256(bytes).equals(entry.sha256()) ? bytes : null;
          }
        }
      }
      log.atWarn().addKeyValue("event", "attestations.fetch.timeout").addKeyValue("evaluationId", entry.evaluationId())
          .addKeyValue("revision", entry.revision()).log("could not read the envelope back from Kafka within 10 s");
      return null;
    }
  }

  /** The public keys published by every gate, by key id. */
  public List<AttestationKey> keys() {
    return keys.values().stream().sorted(Comparator.comparing(AttestationKey::keyId)).toList();
  }

  /**
   * Calls {@code listener} (on the store's thread: it must not block) each time a revision of evaluation {@code id} is
   * read, until the returned handle is run.
   */
  public Runnable listen(String id, Runnable listener) {
    listeners.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
    return () -> listeners.computeIfPresent(id, (k, list) -> {
      list.remove(listener);
      return list.isEmpty() ? null : list;
    });
  }

  /**
   * Waits until this store has read each partition of {@link Topics#ATTESTATIONS_SIGNED} up to the given end offsets
   * (partition to the offset after its last record), so that {@link #signed} knows every envelope published before.
   *
   * @return false when it had not within {@code timeout}
   */
  public boolean awaitRead(Map<Integer, Long> ends, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ends.entrySet().stream().allMatch(e -> readUpTo.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
      if (System.nanoTime() > deadline || !replay.isRunning()) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** True once everything on the topics at start has been read. */
  public boolean caughtUp() {
    return replay.caughtUp();
  }

  /** Waits until the store has read what was on the topics when it started. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return replay.awaitCaughtUp(timeout);
  }

  /** True while the reader polls (at least every 200 ms). */
  public boolean isRunning() {
    return replay.isRunning();
  }

  @Override
  public void close() {
    replay.close();
    index.close();
    synchronized (fetchLock) {
      if (fetcher != null) {
        fetcher.close();
      }
    }
  }
}
