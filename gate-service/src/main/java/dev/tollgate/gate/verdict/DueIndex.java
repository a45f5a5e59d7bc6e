package dev.tollgate.gate.verdict;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * When each evaluation of one aggregator task next needs the wall-clock tick — an open evaluation at its earliest
 * pending deadline, a held one when its window ends, a decided one when its state expires — ordered by time, so a
 * tick looks only at what is due and never at the rest of the history. The environment gate files its environments
 * ({@code tenant|environment}) the same way, at a lock's expiry or a slot's timeout.
 *
 * <p>In memory and derived from the task's store: the aggregator fills it from the store when the task is
 * initialised (after Streams restored the store from its changelog) and updates it with every write. So it can never
 * disagree with a restored changelog, and a gate upgraded from a version without it needs no migration. An entry that
 * is stale (the state changed without its time changing here) costs one visit: the tick recomputes and moves it.
 * Not thread-safe: a task is processed by one stream thread.
 */
final class DueIndex {
  private record Due(Instant at, String evaluationId) {}

  private static final Comparator<Due> BY_TIME = Comparator.comparing(Due::at).thenComparing(Due::evaluationId);

  private final NavigableSet<Due> byTime = new TreeSet<>(BY_TIME);
  private final Map<String, Instant> byId = new HashMap<>();

  /** Evaluation {@code evaluationId} is next due at {@code at} (replacing any earlier entry of it). */
  void schedule(String evaluationId, Instant at) {
    Instant before = byId.put(evaluationId, at);
    if (before != null) {
      byTime.remove(new Due(before, evaluationId));
    }
    byTime.add(new Due(at, evaluationId));
  }

  /** Forgets {@code evaluationId} (its state was deleted). */
  void remove(String evaluationId) {
    Instant before = byId.remove(evaluationId);
    if (before != null) {
      byTime.remove(new Due(before, evaluationId));
    }
  }

  /** Removes and returns the evaluation due earliest if it is due at {@code now}, else null. */
  String pollDue(Instant now) {
    Due first = byTime.isEmpty() ? null : byTime.first();
    if (first == null || first.at().isAfter(now)) {
      return null;
    }
    byTime.pollFirst();
    byId.remove(first.evaluationId());
    return first.evaluationId();
  }

  /** When {@code evaluationId} is due, or null when it is not indexed. */
  Instant dueAt(String evaluationId) {
    return byId.get(evaluationId);
  }

  int size() {
    return byId.size();
  }

  void clear() {
    byTime.clear();
    byId.clear();
  }
}
