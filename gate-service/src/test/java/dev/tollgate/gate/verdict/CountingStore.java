package dev.tollgate.gate.verdict;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's real in-memory store, counting what is read from it: single reads, scans started, and entries
 * read through scans. Tests use it to show that a tick reads what is due and nothing else.
 */
final class CountingStore implements KeyValueBytesStoreSupplier {
  final AtomicLong gets = new AtomicLong();
  final AtomicLong scans = new AtomicLong();
  final AtomicLong scanned = new AtomicLong();
  private final KeyValueBytesStoreSupplier inner;

  CountingStore(String name) {
    this.inner = Stores.inMemoryKeyValueStore(name);
  }

  /** Every read so far: single reads plus entries read by scans. */
  long reads() {
    return gets.get() + scanned.get();
  }

  void reset() {
    gets.set(0);
    scans.set(0);
    scanned.set(0);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public KeyValueStore<Bytes, byte[]> get() {
    return new Store(inner.get());
  }

  @Override
  public String metricsScope() {
    return inner.metricsScope();
  }

  private final class Store implements KeyValueStore<Bytes, byte[]> {
    private final KeyValueStore<Bytes, byte[]> delegate;

    Store(KeyValueStore<Bytes, byte[]> delegate) {
      this.delegate = delegate;
    }

    private KeyValueIterator<Bytes, byte[]> counted(KeyValueIterator<Bytes, byte[]> it) {
      scans.incrementAndGet();
      return new KeyValueIterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
          scanned.incrementAndGet();
          return it.next();
        }

        @Override
        public Bytes peekNextKey() {
          return it.peekNextKey();
        }

        @Override
        public void close() {
          it.close();
        }
      };
    }

    @Override
    public byte[] get(Bytes key) {
      gets.incrementAndGet();
      return delegate.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
      return counted(delegate.range(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
      return counted(delegate.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
      return counted(delegate.all());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
      return counted(delegate.reverseAll());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS serializer) {
      return counted(delegate.prefixScan(prefix, serializer));
    }

    @Override
    public long approximateNumEntries() {
      return delegate.approximateNumEntries();
    }

    @Override
    public void put(Bytes key, byte[] value) {
      delegate.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
      return delegate.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
      delegate.putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
      return delegate.delete(key);
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
      delegate.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation") // still part of StateStore; the wrapper only forwards it
    public void flush() {
      delegate.flush();
    }

    @Override
    public void commit(java.util.Map<TopicPartition, Long> changelogOffsets) {
      delegate.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
      return delegate.committedOffset(partition);
    }

    @Override
    @SuppressWarnings("deprecation") // still part of StateStore; the wrapper only forwards it
    public boolean managesOffsets() {
      return delegate.managesOffsets();
    }

    @Override
    public void close() {
      delegate.close();
    }

    @Override
    public boolean persistent() {
      return delegate.persistent();
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
      return delegate.query(query, bound, config);
    }

    @Override
    public Position getPosition() {
      return delegate.getPosition();
    }
  }
}
