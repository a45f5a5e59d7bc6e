package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The loop polls only when a whole batch fits: before, it polled while fewer than the limit ran, and one poll of
 * {@code 2 × concurrency} records took it to nearly twice the limit.
 */
class ProbeWorkerBackPressureTest {
  static final int CONCURRENCY = 4;
  static final int MAX_RUNNING = 2 * CONCURRENCY;

  @Test
  void aPollIsMadeOnlyWhenAWholeBatchStaysWithinTheLimit() {
    assertTrue(ProbeWorker.roomForBatch(0, 0, CONCURRENCY, MAX_RUNNING));
    assertTrue(ProbeWorker.roomForBatch(MAX_RUNNING - CONCURRENCY, 0, CONCURRENCY, MAX_RUNNING), "a batch fills it");
    assertFalse(ProbeWorker.roomForBatch(MAX_RUNNING - CONCURRENCY + 1, 0, CONCURRENCY, MAX_RUNNING),
        "a batch would pass the limit");
  }

  @Test
  void theUncommittedLimitHoldsTheSameWay() {
    assertTrue(ProbeWorker.roomForBatch(0, ProbeWorker.MAX_UNCOMMITTED - CONCURRENCY, CONCURRENCY, MAX_RUNNING));
    assertFalse(ProbeWorker.roomForBatch(0, ProbeWorker.MAX_UNCOMMITTED - CONCURRENCY + 1, CONCURRENCY, MAX_RUNNING));
  }
}
