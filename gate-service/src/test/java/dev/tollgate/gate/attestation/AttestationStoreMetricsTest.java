package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Topics;
import dev.tollgate.gate.offheap.OffHeapStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attestation index's native memory and disk are visible, like the views' store's. */
class AttestationStoreMetricsTest {
  @Test
  void theOffHeapIndexHasMemoryAndDiskGauges() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AttestationStore store = new AttestationStore(Topics.standard(), Map.of(), 10, OffHeapStore.temporary("attestations-test"), meters);
    try {
      double memory = meters.get("tollgate.attestations.offheap.memory").gauge().value();
      assertTrue(memory > 0, "an open store holds its block cache's index blocks and write buffer: " + memory);
      assertTrue(meters.get("tollgate.attestations.offheap.disk").gauge().value() >= 0);
    } finally {
      store.close();
    }
  }
}
