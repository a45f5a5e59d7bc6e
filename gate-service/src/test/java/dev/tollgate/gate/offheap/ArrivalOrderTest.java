package dev.tollgate.gate.offheap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrivalOrderTest {
  @Test
  void evictsOldestFirstWhileOverTheCap() {
    try (OffHeapStore store = OffHeapStore.temporary("arrival-order-test")) {
      ArrivalOrder order = new ArrivalOrder(store, (byte) 'a');
      List<String> held = new ArrayList<>();
      for (String id : List.of("x", "y", "z")) {
        order.add(id);
        held.add(id);
      }
      List<String> evicted = new ArrayList<>();
      order.evictWhile(() -> held.size() > 1, id -> {
        evicted.add(id);
        held.remove(id);
      });
      assertEquals(List.of("x", "y"), evicted);
      order.add("w");
      held.add("w");
      order.evictWhile(() -> held.size() > 1, id -> {
        evicted.add(id);
        held.remove(id);
      });
      assertEquals(List.of("x", "y", "z"), evicted, "the next eviction continues where the last stopped");
      assertEquals(List.of("w"), held);
    }
  }
}
