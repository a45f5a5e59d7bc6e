package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InFlightTest {
  static final TopicPartition P0 = new TopicPartition("checks", 0);
  static final TopicPartition P1 = new TopicPartition("checks", 1);

  @Test
  void aFinishedCheckBehindARunningOneIsNotCommitted() {
    InFlight f = new InFlight();
    CompletableFuture<Void> slow = new CompletableFuture<>();
    f.add(P0, 10, slow);
    f.add(P0, 11, CompletableFuture.completedFuture(null));
    f.add(P0, 12, CompletableFuture.completedFuture(null));
    assertEquals(Map.of(), f.sweep().commit(), "offset 10 still runs: nothing of its partition may be committed");
    assertEquals(1, f.running());
    assertEquals(3, f.uncommitted());
    slow.complete(null);
    assertEquals(Map.of(P0, new OffsetAndMetadata(13)), f.sweep().commit());
    assertEquals(0, f.uncommitted());
    assertEquals(Map.of(), f.sweep().commit(), "committed once");
  }

  @Test
  void partitionsAreCommittedEachAsFarAsItsOwnPrefix() {
    InFlight f = new InFlight();
    f.add(P0, 5, CompletableFuture.completedFuture(null));
    f.add(P0, 6, new CompletableFuture<>());
    f.add(P1, 40, CompletableFuture.completedFuture(null));
    f.add(P1, 41, CompletableFuture.completedFuture(null));
    assertEquals(Map.of(P0, new OffsetAndMetadata(6), P1, new OffsetAndMetadata(42)), f.sweep().commit());
  }

  @Test
  void aResultThatCouldNotBePublishedRewindsItsPartitionAndCommitsNothingPastIt() {
    InFlight f = new InFlight();
    f.add(P0, 1, CompletableFuture.completedFuture(null));
    f.add(P0, 2, CompletableFuture.failedFuture(new IllegalStateException("broker gone")));
    f.add(P0, 3, CompletableFuture.completedFuture(null));
    f.add(P1, 7, CompletableFuture.completedFuture(null));
    InFlight.Sweep s = f.sweep();
    assertEquals(Map.of(P0, new OffsetAndMetadata(2), P1, new OffsetAndMetadata(8)), s.commit());
    assertEquals(Map.of(P0, 2L), s.rewind(), "read again from the failed check");
    assertEquals(0, f.uncommitted(), "the checks after it are read again too");
  }

  @Test
  void aRevokedPartitionIsForgottenAndTheOthersKept() {
    InFlight f = new InFlight();
    f.add(P0, 1, new CompletableFuture<>());
    f.add(P1, 1, new CompletableFuture<>());
    f.forget(List.of(P0));
    assertEquals(1, f.uncommitted());
  }

  @Test
  void aWaitReturnsWhenARunningCheckFinishesAndTimesOutOtherwise() throws Exception {
    InFlight f = new InFlight();
    CompletableFuture<Void> a = new CompletableFuture<>();
    f.add(P0, 1, a);
    f.add(P0, 2, new CompletableFuture<>());
    assertFalse(f.awaitCompletion(Duration.ofMillis(20)), "nothing finished");
    a.complete(null);
    assertTrue(f.awaitCompletion(Duration.ofSeconds(5)));
    assertFalse(f.awaitCompletion(Duration.ofMillis(20)), "one completion wakes one wait, not every later one");
    assertFalse(f.allDone().isDone());
  }

  @Test
  void checksNoLongerTrackedStillCountAsRunningUntilTheyEnd() {
    // A forgotten (revoked) or rewound check still holds a pool thread: back-pressure must count it.
    InFlight f = new InFlight();
    CompletableFuture<Void> revoked = new CompletableFuture<>();
    CompletableFuture<Void> afterFailure = new CompletableFuture<>();
    f.add(P0, 1, revoked);
    f.add(P1, 1, CompletableFuture.failedFuture(new IllegalStateException("broker gone")));
    f.add(P1, 2, afterFailure);
    f.forget(List.of(P0));
    f.sweep();
    assertEquals(0, f.uncommitted());
    assertEquals(2, f.running());
    revoked.complete(null);
    afterFailure.complete(null);
    assertEquals(0, f.running());
  }

  @Test
  void aSweepKeepsTheFirstPublishFailureForTheLog() {
    InFlight f = new InFlight();
    IllegalStateException cause = new IllegalStateException("broker gone");
    f.add(P0, 1, CompletableFuture.completedFuture(null).thenCompose(r -> CompletableFuture.failedFuture(cause)));
    assertSame(cause, f.sweep().failure(), "the cause, not the CompletionException that wraps it");
    assertNull(f.sweep().failure());
  }
}
