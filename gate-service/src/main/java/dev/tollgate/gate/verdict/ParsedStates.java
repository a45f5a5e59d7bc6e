package dev.tollgate.gate.verdict;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The aggregator's parsed copy of the open evaluations' states, so that a result does not parse again the JSON the
 * aggregator itself wrote a moment ago (five results per evaluation, each a parse of the whole state). A copy is used
 * only while the store holds exactly the bytes it was written as: the caller reads the store on every access and
 * passes what it read, so a restore, a replay or a write by anything else (the store changed under it) makes the
 * copy miss and the stored bytes are parsed. Not a cache in front of the store: every write still goes to the store
 * and its changelog at once.
 *
 * <p>Bounded by the stored bytes it keeps, least recently used out first. Their parsed form costs 1.45 bytes of heap
 * per stored byte (ParsedStatesHeapBench, bench/parsed-heap.sh: open states of ~2.7 KiB, measured 2026-12-07); the
 * stored arrays are the in-memory store's own, not copies.
 * Single-threaded: one per aggregator task, used from its stream thread only.
 */
final class ParsedStates {
  /**
   * The stored bytes kept per task by default: ~500 open evaluations of ~4 KiB each. The parsed states they stand for
   * take ~2.9 MiB of heap (1.45 per stored byte, see the class comment), ~35 MiB on a gate owning all 12 partitions of
   * the default setup; the bytes themselves are the store's array, on the heap anyway.
   */
  static final long DEFAULT_MAX_BYTES = 2L << 20;

  private record Entry(byte[] stored, AggregationState state) {}

  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  ParsedStates(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes: expected >= 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The state {@code stored} parses to, if {@code stored} is the same bytes the copy was kept with; else null. */
  AggregationState get(String evaluationId, byte[] stored) {
    Entry e = entries.get(evaluationId);
    if (e == null) {
      return null;
    }
    if (stored == null || !Arrays.equals(e.stored, stored)) {
      remove(evaluationId); // the store changed under the copy: never trust it again
      return null;
    }
    return e.state;
  }

  /** Keeps {@code state}, which {@code stored} was just written from (or parsed into). */
  void put(String evaluationId, byte[] stored, AggregationState state) {
    remove(evaluationId);
    if (stored.length > maxBytes) {
      return;
    }
    entries.put(evaluationId, new Entry(stored, state));
    bytes += stored.length;
    for (Iterator<Entry> it = entries.values().iterator(); bytes > maxBytes && it.hasNext(); ) {
      bytes -= it.next().stored.length;
      it.remove();
    }
  }

  void remove(String evaluationId) {
    Entry e = entries.remove(evaluationId);
    if (e != null) {
      bytes -= e.stored.length;
    }
  }

  void clear() {
    entries.clear();
    bytes = 0;
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }
}
