package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A poll batch holds whole evaluations: a backlog drains several per poll-and-commit round trip. */
class ProbeWorkerBatchTest {
  @Test
  void aBatchHoldsFiveEvaluationsOfEveryProductionProbeOnASmallPool() {
    int probes = ProbeRegistry.production().ids().size();
    assertEquals(25, ProbeWorker.maxPollRecords(2));
    assertTrue(ProbeWorker.maxPollRecords(2) >= 5 * probes, "an evaluation's checks must not be split by the batch size");
  }

  @Test
  void aLargePoolStillGetsTwoChecksPerThread() {
    assertEquals(64, ProbeWorker.maxPollRecords(32));
  }
}
