package dev.tollgate.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Only what a real broker cannot make happen on demand, with Kafka's own {@link MockConsumer} whose background commits
 * the test answers (or fails) when it chooses. Everything a broker can do deterministically is tested against one in
 * {@code OwedOffsetsIT} (deploy: a broker whose authorizer refuses the group's commits, a real consumer), and the
 * loops' commits in EvaluationTrafficIT and AttestationIT. Left here, and why:
 * <ul>
 *   <li>two background commits in flight, the first refused and the second applied: the broker answers both alike
 *       unless its ACLs change between the two requests, a race;
 *   <li>a refusal answered only after a revocation's commit: the order of the two answers is the client's and the
 *       broker's;
 *   <li>a failure answered after a halt: likewise;
 *   <li>commits refused as CommitFailedException, RebalanceInProgressException or a timeout: a rebalance or an
 *       unreachable coordinator at the instant of the commit;
 *   <li>no background commit before the interval: absence of a commit is seen on a broker only by waiting for it.
 * </ul>
 */
class OwedOffsetsTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  /** A consumer whose background commits wait for the test, and whose next commits can be made to fail. */
  private static final class Consumer extends MockConsumer<String, byte[]> {
    record Pending(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {}

    final Deque<Pending> pending = new ArrayDeque<>();
    final Deque<RuntimeException> failNext = new ArrayDeque<>();
    /** What the group holds (MockConsumer's own commitSync goes through commitAsync, which waits here). */
    final Map<TopicPartition, Long> group = new HashMap<>();

    Consumer() {
      super("earliest");
      assign(List.of(P0, P1));
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      pending.add(new Pending(Map.copyOf(offsets), callback));
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (!failNext.isEmpty()) {
        throw failNext.poll();
      }
      offsets.forEach((tp, o) -> group.put(tp, o.offset()));
    }

    /** The broker's answer to the oldest background commit: applied, or {@code error}. */
    void answer(Exception error) {
      Pending p = pending.poll();
      if (error == null) {
        p.offsets().forEach((tp, o) -> group.put(tp, o.offset()));
      }
      p.callback().onComplete(p.offsets(), error);
    }

    Long committedOffset(TopicPartition tp) {
      return group.get(tp);
    }
  }

  private final Consumer consumer = new Consumer();
  private final OwedOffsets owed = new OwedOffsets(consumer, Duration.ZERO, () -> true, "test.commit.failed", "read again");

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
    return Map.of(tp, new OffsetAndMetadata(offset));
  }

  @Test
  void aFailureIsNotOwedAgainBehindANewerBackgroundCommit() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    owed.owe(at(P0, 20));
    owed.commit(false);
    consumer.answer(new TimeoutException("slow")); // 10: covered by the commit of 20, and must not follow it
    assertTrue(owed.isEmpty());
    consumer.answer(null);
    owed.commit(true);
    assertEquals(20L, consumer.committedOffset(P0));
  }

  @Test
  void aRevocationAlsoCommitsWhatABackgroundCommitHasNotConfirmed() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    owed.commit(true); // its failure is answered only after the partitions are gone
    assertEquals(10L, consumer.committedOffset(P0));
    consumer.answer(new CommitFailedException());
    assertTrue(owed.isEmpty(), "covered by the revocation's commit");
  }

  @Test
  void backgroundCommitsAtMostEveryInterval() {
    OwedOffsets hourly = new OwedOffsets(consumer, Duration.ofHours(1), () -> true, "test.commit.failed", "read again");
    hourly.owe(at(P0, 10));
    hourly.commitIfDue();
    assertTrue(consumer.pending.isEmpty());
    assertFalse(hourly.isEmpty());
    assertEquals(Duration.ofMillis(200), hourly.pollWait(Duration.ofMillis(200)));
    hourly.commit(true);
    assertEquals(10L, consumer.committedOffset(P0));
    assertEquals(Duration.ofMillis(200), hourly.pollWait(Duration.ofMillis(200)), "nothing owed: the idle wait");
  }

  @Test
  void aFailedCommitIsLoggedNotThrown() {
    for (KafkaException e : List.of(new CommitFailedException(), new RebalanceInProgressException("rebalancing"),
        new TimeoutException("broker gone"))) {
      owed.owe(at(P0, 10));
      consumer.failNext.add(e);
      owed.commit(true);
    }
    assertNull(consumer.committedOffset(P0));
  }

  /** The broker's answer to a commit sent before a halt comes after it: when, relative to the halt, is the broker's timing. */
  @Test
  void aFailureAnsweredAfterAHaltIsNotOwedAgain() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    owed.halt();
    consumer.answer(new CommitFailedException());
    owed.owe(at(P0, 20));
    owed.commit(true);
    assertNull(consumer.committedOffset(P0));
    assertTrue(owed.isEmpty());
  }
}
