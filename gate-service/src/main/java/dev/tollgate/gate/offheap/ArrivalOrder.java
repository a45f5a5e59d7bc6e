package dev.tollgate.gate.offheap;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The order ids arrived in, kept in an {@link OffHeapStore} under one tag byte, so that a cap on what a store holds
 * forgets the oldest first without the heap holding an entry per id. Used by one writing thread.
 */
public final class ArrivalOrder {
  private final OffHeapStore store;
  private final byte tag;
  private long oldest;
  private long next;

  /** @param tag the first byte of this order's keys: no other key of {@code store} may start with it */
  public ArrivalOrder(OffHeapStore store, byte tag) {
    this.store = store;
    this.tag = tag;
  }

  private byte[] key(long n) {
    return ByteBuffer.allocate(9).put(tag).putLong(n).array();
  }

  /** Records that {@code id} arrived (call once per id). */
  public void add(String id) {
    long n = next++;
    store.write(b -> b.put(key(n), OffHeapStore.utf8(id)));
  }

  /** While {@code over} is true and ids remain, takes the oldest id out of the order and passes it to {@code evict}. */
  public void evictWhile(BooleanSupplier over, Consumer<String> evict) {
    while (over.getAsBoolean() && oldest < next) {
      long n = oldest++;
      byte[] id = store.get(key(n));
      store.write(b -> b.delete(key(n)));
      if (id != null) {
        evict.accept(OffHeapStore.utf8(id, 0));
      }
    }
  }
}
