package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * A commit that fails only makes those checks run again; before, a commit error from a revocation or a broker outage
 * escaped the poll and ended the loop, leaving a worker that took no more checks.
 */
class ProbeWorkerCommitTest {
  @Test
  void aFailedCommitIsLoggedNotThrown() {
    ProbeWorker.commitQuietly(() -> {
      throw new CommitFailedException();
    });
    ProbeWorker.commitQuietly(() -> {
      throw new RebalanceInProgressException("rebalancing");
    });
    ProbeWorker.commitQuietly(() -> {
      throw new TimeoutException("broker gone");
    });
  }

  @Test
  void aStopStillReachesTheLoop() {
    assertThrows(WakeupException.class, () -> ProbeWorker.commitQuietly(() -> {
      throw new WakeupException();
    }));
    assertThrows(InterruptException.class, () -> ProbeWorker.commitQuietly(() -> {
      throw new InterruptException("halt");
    }));
  }
}
