package dev.tollgate.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offsets a consumer loop owes its group: what it finished (its output is on the broker) and has not committed yet.
 * Committed in the background at most every {@code interval}, and waited for on a revocation or a stop. The probe
 * workers and the attestation signer both use it: committing on every batch was one commit per record's worth of work.
 *
 * <p>A background commit that fails is not lost: its callback (on the consumer's thread) owes its offsets again where
 * nothing newer was owed or sent since and the partition is still assigned, and logs at WARN (a permanent failure, e.g.
 * a missing ACL on the group, must be visible). A revocation or stop also commits what was sent in the background and
 * not yet confirmed, so a failure whose callback comes later is covered too. Re-committing a committed offset is harmless.
 *
 * <p>Not thread-safe: the consumer's thread only, but {@link #halt()}.
 */
public final class OwedOffsets {
  private static final Logger log = LoggerFactory.getLogger(OwedOffsets.class);
  /** The default interval: the outputs are on the broker, so a later commit only widens what a crash reads again. */
  public static final Duration INTERVAL = Duration.ofMillis(200);

  private final Consumer<?, ?> consumer;
  private final long intervalNanos;
  private final BooleanSupplier running;
  private final String event;
  private final String consequence;
  private final Map<TopicPartition, OffsetAndMetadata> owed = new HashMap<>();
  /** Sent by a background commit whose callback has not said it succeeded. */
  private final Map<TopicPartition, OffsetAndMetadata> unconfirmed = new HashMap<>();
  private long lastCommitNanos = System.nanoTime();
  private volatile boolean halted;

  /**
   * @param running the loop's flag: while it is true a wakeup or an interrupt is a stop the loop must see and is thrown
   * @param event the {@code event} key of the log lines ({@code worker.commit.failed})
   * @param consequence what not committing means, for the log line
   */
  public OwedOffsets(Consumer<?, ?> consumer, Duration interval, BooleanSupplier running, String event, String consequence) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval: expected >= 0, got " + interval);
    }
    this.consumer = consumer;
    this.intervalNanos = interval.toNanos();
    this.running = running;
    this.event = event;
    this.consequence = consequence;
  }

  /** Owes {@code offsets} (later ones than those owed for the same partitions). */
  public void owe(Map<TopicPartition, OffsetAndMetadata> offsets) {
    owed.putAll(offsets);
  }

  public boolean isEmpty() {
    return owed.isEmpty();
  }

  /** The poll's wait: up to the next commit while offsets are owed (at least 1 ms), at most {@code idle}. */
  public Duration pollWait(Duration idle) {
    if (owed.isEmpty()) {
      return idle;
    }
    long left = intervalNanos - (System.nanoTime() - lastCommitNanos);
    return Duration.ofNanos(Math.max(1_000_000, Math.min(left, idle.toNanos())));
  }

  /** Commits in the background what is owed, if the interval has passed since the last commit. */
  public void commitIfDue() {
    if (!owed.isEmpty() && System.nanoTime() - lastCommitNanos >= intervalNanos) {
      commit(false);
    }
  }

  /**
   * Commits what is owed: in the background ({@code sync} false), or waiting for it (a revocation, a stop), then also
   * what a background commit sent and did not confirm. A failure is logged, never thrown: not committing only makes
   * the next owner read those records again; an escaping exception would end the loop.
   */
  public void commit(boolean sync) {
    lastCommitNanos = System.nanoTime();
    if (halted) {
      owed.clear(); // a halt is a crash: nothing more reaches the broker
      unconfirmed.clear();
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    if (sync) {
      offsets.putAll(unconfirmed);
      unconfirmed.clear();
    }
    offsets.putAll(owed);
    owed.clear();
    if (offsets.isEmpty()) {
      return;
    }
    try {
      if (sync) {
        consumer.commitSync(offsets);
      } else {
        unconfirmed.putAll(offsets);
        consumer.commitAsync(offsets, (o, e) -> completed(offsets, e));
      }
    } catch (WakeupException e) {
      if (running.getAsBoolean()) {
        throw e;
      }
      retry(offsets); // stopping: the wakeup was close()'s
    } catch (InterruptException e) {
      if (running.getAsBoolean()) {
        throw e;
      }
      failed(offsets, e); // stopping; the interrupt flag stays set for the owner
    } catch (KafkaException e) {
      failed(offsets, e);
    }
  }

  private void retry(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (KafkaException e) {
      failed(offsets, e);
    }
  }

  /** A background commit's callback, on the consumer's thread. */
  private void completed(Map<TopicPartition, OffsetAndMetadata> offsets, Exception e) {
    if (e == null) {
      offsets.forEach(unconfirmed::remove); // removes only an entry still holding this very offset
      return;
    }
    if (halted) {
      return;
    }
    Set<TopicPartition> assigned;
    try {
      assigned = consumer.assignment();
    } catch (RuntimeException closed) {
      assigned = Set.of();
    }
    int owedAgain = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> o : offsets.entrySet()) {
      TopicPartition tp = o.getKey();
      // Nothing newer owed or sent since: a newer commit covers this one, and an older offset must not follow it.
      if (unconfirmed.remove(tp, o.getValue()) && !owed.containsKey(tp) && assigned.contains(tp)) {
        owed.put(tp, o.getValue());
        owedAgain++;
      }
    }
    log.atWarn().addKeyValue("event", event).addKeyValue("partitions", offsets.size()).addKeyValue("owedAgain", owedAgain)
        .log("background commit failed ({}); {} of {} partitions owed again", e.toString(), owedAgain, offsets.size());
  }

  private void failed(Map<TopicPartition, OffsetAndMetadata> offsets, KafkaException e) {
    if (halted) {
      return;
    }
    log.atWarn().addKeyValue("event", event).addKeyValue("partitions", offsets.size())
        .log("could not commit ({}); {}", e.toString(), consequence);
  }

  /** Partitions lost (not revoked): no longer ours to commit; the next owner reads them again. */
  public void lost(Collection<TopicPartition> partitions) {
    partitions.forEach(tp -> {
      owed.remove(tp);
      unconfirmed.remove(tp);
    });
  }

  /** Stops committing, as a crash would (any thread): what is owed is dropped at the next commit. */
  public void halt() {
    halted = true;
  }
}
