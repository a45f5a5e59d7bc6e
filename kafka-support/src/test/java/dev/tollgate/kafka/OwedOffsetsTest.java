package dev.tollgate.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * The consumer is Kafka's own {@link MockConsumer} (shipped in kafka-clients), with background commits whose callbacks
 * the test completes (or fails) when it chooses, as the broker's answer arrives in a later poll; and commits that fail
 * the way a broker makes them fail. The loops' real commits are covered by EvaluationTrafficIT and AttestationIT.
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
  private boolean running = true;
  private final OwedOffsets owed = new OwedOffsets(consumer, Duration.ZERO, () -> running, "test.commit.failed", "read again");

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
    return Map.of(tp, new OffsetAndMetadata(offset));
  }

  @Test
  void aFailedBackgroundCommitIsOwedAgainAndARevocationCommitsIt() {
    owed.owe(at(P0, 10));
    owed.commitIfDue();
    assertTrue(owed.isEmpty());
    consumer.answer(new GroupAuthorizationException("no ACL on the group"));
    assertFalse(owed.isEmpty(), "owed again");
    owed.commit(true);
    assertEquals(10L, consumer.committedOffset(P0));
  }

  @Test
  void aSucceededBackgroundCommitIsNotOwedAgain() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    consumer.answer(null);
    assertTrue(owed.isEmpty());
    assertEquals(10L, consumer.committedOffset(P0));
    consumer.failNext.add(new IllegalStateException("a confirmed commit must not be sent again"));
    owed.commit(true); // nothing owed nor unconfirmed: no commit at all
  }

  @Test
  void aFailureIsNotOwedAgainOverANewerOffset() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    owed.owe(at(P0, 20));
    consumer.answer(new RebalanceInProgressException("rebalancing")); // 20 is owed: 10 must not replace it
    owed.commit(true);
    assertEquals(20L, consumer.committedOffset(P0));
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
  void aFailureOnAPartitionNoLongerAssignedIsNotOwedAgain() {
    owed.owe(Map.of(P0, new OffsetAndMetadata(10), P1, new OffsetAndMetadata(5)));
    owed.commit(false);
    consumer.assign(List.of(P1));
    consumer.answer(new CommitFailedException());
    owed.commit(true);
    assertNull(consumer.committedOffset(P0));
    assertEquals(5L, consumer.committedOffset(P1));
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
  void lostPartitionsAreNotCommitted() {
    owed.owe(at(P0, 10));
    owed.commit(false);
    owed.owe(Map.of(P0, new OffsetAndMetadata(20), P1, new OffsetAndMetadata(5)));
    owed.lost(List.of(P0));
    owed.commit(true);
    assertNull(consumer.committedOffset(P0));
    assertEquals(5L, consumer.committedOffset(P1));
  }

  @Test
  void backgroundCommitsAtMostEveryInterval() {
    OwedOffsets hourly = new OwedOffsets(consumer, Duration.ofHours(1), () -> running, "test.commit.failed", "read again");
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
        new TimeoutException("broker gone"), new GroupAuthorizationException("no ACL"))) {
      owed.owe(at(P0, 10));
      consumer.failNext.add(e);
      owed.commit(true);
    }
    assertNull(consumer.committedOffset(P0));
  }

  @Test
  void aStopReachesTheLoopWhileItRuns() {
    owed.owe(at(P0, 10));
    consumer.failNext.add(new WakeupException());
    assertThrows(WakeupException.class, () -> owed.commit(true));
    owed.owe(at(P0, 10));
    consumer.failNext.add(new InterruptException("halt"));
    assertThrows(InterruptException.class, () -> owed.commit(true));
    assertTrue(Thread.interrupted(), "InterruptException set the flag; cleared for the next tests");
  }

  @Test
  void whileStoppingCloseWakeupIsRetriedOnce() {
    running = false;
    owed.owe(at(P0, 10));
    consumer.failNext.add(new WakeupException());
    owed.commit(true);
    assertEquals(10L, consumer.committedOffset(P0));
  }

  @Test
  void afterAHaltNothingIsCommitted() {
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
