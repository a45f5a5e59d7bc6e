package dev.tollgate.probes.runtime;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks a worker took and has not committed yet, in offset order per partition. A check's record may be committed
 * only once it and every earlier record of its partition have their result on the broker, whatever order they finish
 * in: {@link #sweep} gives that prefix, so the worker can take new checks while older ones run (no batch barrier) and
 * still commit nothing a crash would lose. Used by the worker's loop thread only (completions may arrive on any thread).
 */
final class InFlight {
  /**
   * What a sweep found: offsets to commit, partitions to read again from the first record whose result failed, and
   * the first of those failures ({@code null} when none failed).
   */
  record Sweep(Map<TopicPartition, OffsetAndMetadata> commit, Map<TopicPartition, Long> rewind, Throwable failure) {}

  private record Entry(long offset, CompletableFuture<?> done) {}

  private final Map<TopicPartition, ArrayDeque<Entry>> partitions = new HashMap<>();
  /** Counted apart from the queues: a check forgotten on a revocation or dropped by a rewind still holds a thread. */
  private final AtomicInteger running = new AtomicInteger();
  /** One permit per completion: the loop waits on it instead of adding a listener per wait. */
  private final Semaphore completions = new Semaphore(0);

  /** Tracks a record taken from {@code tp}; {@code done} completes when its result (or dead letter) is on the broker. */
  void add(TopicPartition tp, long offset, CompletableFuture<?> done) {
    running.incrementAndGet();
    done.whenComplete((r, t) -> {
      running.decrementAndGet();
      completions.release();
    });
    partitions.computeIfAbsent(tp, p -> new ArrayDeque<>()).addLast(new Entry(offset, done));
  }

  /** Records taken whose result is not yet on the broker, tracked or not (forgotten, rewound). */
  int running() {
    return running.get();
  }

  /** Records taken and not yet committed (done or not). */
  int uncommitted() {
    int n = 0;
    for (ArrayDeque<Entry> q : partitions.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Removes each partition's completed prefix and returns the offset after it to commit. A record whose result could
   * not be published ends its partition's prefix: that partition is to be read again from it (the records after it
   * are dropped here; they are read again too, and their results are idempotent).
   */
  Sweep sweep() {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    Map<TopicPartition, Long> rewind = new HashMap<>();
    Throwable failure = null;
    for (Iterator<Map.Entry<TopicPartition, ArrayDeque<Entry>>> it = partitions.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TopicPartition, ArrayDeque<Entry>> p = it.next();
      ArrayDeque<Entry> q = p.getValue();
      long next = -1;
      while (!q.isEmpty() && q.peekFirst().done().isDone()) {
        Entry e = q.peekFirst();
        if (e.done().isCompletedExceptionally()) {
          rewind.put(p.getKey(), e.offset());
          if (failure == null) {
            failure = cause(e.done());
          }
          q.clear();
          break;
        }
        q.pollFirst();
        next = e.offset() + 1;
      }
      if (next >= 0) {
        commit.put(p.getKey(), new OffsetAndMetadata(next));
      }
      if (q.isEmpty()) {
        it.remove();
      }
    }
    return new Sweep(commit, rewind, failure);
  }

  private static Throwable cause(CompletableFuture<?> failed) {
    Throwable t = failed.handle((r, e) -> e).join();
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * Waits until a record completes, at most {@code timeout}; returns at once if one completed since the last wait (the
   * caller then looks again). Returns false on the timeout.
   */
  boolean awaitCompletion(java.time.Duration timeout) throws InterruptedException {
    if (completions.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      completions.drainPermits();
      return true;
    }
    return false;
  }

  /** Completes when every record taken has completed, normally or not. */
  CompletableFuture<Void> allDone() {
    CompletableFuture<?>[] all = partitions.values().stream().flatMap(Collection::stream)
        .map(e -> e.done().handle((r, t) -> null)).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all);
  }

  /** Forgets revoked partitions: their checks run on, but what is not committed is the next owner's to read. */
  void forget(Collection<TopicPartition> revoked) {
    revoked.forEach(partitions::remove);
  }
}
