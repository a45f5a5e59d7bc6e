package dev.tollgate.gate.view;

import dev.tollgate.gate.offheap.OffHeapStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The evaluations of the views in the orders requests read them, so that a request reads what it returns and not the
 * history: newest first by request time, as a whole and per value of what lists filter on (tenant, environment,
 * repository, verdict, candidate commit); and newest first by the time of the latest verdict (the audit log), as a
 * whole and per tenant.
 *
 * <p>The orders are keys of the views' {@link OffHeapStore} (index name, time encoded newest first, id), so the heap
 * holds nothing per evaluation here: only the sizes of the orders of tenants, environments, repositories and verdicts
 * (a few per installation, to pick the smallest). A candidate commit's order is always the smallest worth reading (a
 * commit is asked about a few times), so its size is not kept.
 *
 * <p>Written by the views thread only, read by any thread: a move between two positions is one atomic write, and a
 * scan reads a snapshot, so a reader sees an evaluation once, at its old or its new position.
 */
final class ViewIndex {
  private static final byte BY_REQUEST = 'i';
  private static final byte BY_DECISION = 'd';
  /** The decided order again per tenant: a tenant's audit log reads its own verdicts, never the other tenants'. */
  private static final byte BY_TENANT_DECISION = 'D';
  private static final String CANDIDATE = "candidate\u0000";

  private final OffHeapStore store;
  /** Sizes of the orders, but those of candidate commits. */
  private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

  ViewIndex(OffHeapStore store) {
    this.store = store;
  }

  /** The key of every evaluation. */
  static final String ALL = "all";

  static String tenant(String name) {
    return "tenant\u0000" + name;
  }

  static String environment(String name) {
    return "environment\u0000" + name;
  }

  static String repository(String name) {
    return "repository\u0000" + name;
  }

  /** {@code GO}, {@code NO_GO}, {@code OVERRIDDEN}, or {@code PENDING} until the verdict. */
  static String verdict(String decision) {
    return "verdict\u0000" + decision;
  }

  static String candidate(String commit) {
    return CANDIDATE + commit;
  }

  private static List<String> keys(EvaluationView v) {
    return List.of(ALL, tenant(v.tenant()), environment(v.environment()), repository(v.repository()),
        verdict(v.verdict() == null ? "PENDING" : v.verdict().decision()), candidate(v.candidate()));
  }

  private static byte[] prefix(String key) {
    return OffHeapStore.key(new byte[] {BY_REQUEST}, OffHeapStore.name(key));
  }

  private static byte[] position(String key, Instant at, String id) {
    return OffHeapStore.key(prefix(key), OffHeapStore.newestFirst(at), OffHeapStore.utf8(id));
  }

  private static byte[] decided(Instant at, String id) {
    return OffHeapStore.key(decidedPrefix(null), OffHeapStore.newestFirst(at), OffHeapStore.utf8(id));
  }

  /** The decided order of {@code tenant} (null: of all). */
  private static byte[] decidedPrefix(String tenant) {
    return tenant == null ? new byte[] {BY_DECISION} : OffHeapStore.key(new byte[] {BY_TENANT_DECISION}, OffHeapStore.name(tenant));
  }

  private static byte[] decided(String tenant, Instant at, String id) {
    return OffHeapStore.key(decidedPrefix(tenant), OffHeapStore.newestFirst(at), OffHeapStore.utf8(id));
  }

  /** Files {@code after} in place of {@code before} (either may be null: a new or a forgotten evaluation). */
  void update(EvaluationView before, EvaluationView after) {
    Instant wasAt = before == null ? null : before.requestedAt();
    Instant nowAt = after == null ? null : after.requestedAt();
    List<String> wasKeys = before == null ? List.of() : keys(before);
    List<String> nowKeys = after == null ? List.of() : keys(after);
    boolean moved = before == null || after == null || !Objects.equals(wasAt, nowAt);
    Instant decidedWas = before == null || before.verdict() == null ? null : before.verdict().decidedAt();
    Instant decidedNow = after == null || after.verdict() == null ? null : after.verdict().decidedAt();
    boolean wasDecided = before != null && before.verdict() != null;
    boolean nowDecided = after != null && after.verdict() != null;
    String tenantWas = before == null ? null : before.tenant();
    String tenantNow = after == null ? null : after.tenant();
    boolean decisionMoved = wasDecided != nowDecided || !Objects.equals(decidedWas, decidedNow)
        || !Objects.equals(tenantWas, tenantNow);
    if (!moved && !decisionMoved && wasKeys.equals(nowKeys)) {
      return; // most records (a check, a result) change no position: no write
    }
    store.write(batch -> {
      for (String k : wasKeys) {
        if (moved || !nowKeys.contains(k)) {
          batch.delete(position(k, wasAt, before.id()));
          count(k, -1);
        }
      }
      for (String k : nowKeys) {
        if (moved || !wasKeys.contains(k)) {
          batch.put(position(k, nowAt, after.id()), new byte[0]);
          count(k, 1);
        }
      }
      if (decisionMoved) {
        if (wasDecided) {
          batch.delete(decided(decidedWas, before.id()));
          if (tenantWas != null) {
            batch.delete(decided(tenantWas, decidedWas, before.id()));
          }
        }
        if (nowDecided) {
          batch.put(decided(decidedNow, after.id()), new byte[0]);
          if (tenantNow != null) {
            batch.put(decided(tenantNow, decidedNow, after.id()), new byte[0]);
          }
        }
      }
    });
  }

  private void count(String key, int delta) {
    if (!key.startsWith(CANDIDATE)) {
      // Orders of values that no longer occur (an evicted repository) are dropped, so the map stays as small as the views.
      sizes.compute(key, (k, n) -> n == null ? (delta > 0 ? delta : null) : n + delta == 0 ? null : n + delta);
    }
  }

  /**
   * Visits ids newest first (by request time) of the smallest of the given keys' orders, until {@code visitor} returns
   * false: every evaluation that has all those values is in it (and others, which the caller filters out).
   */
  void newestFirst(List<String> keys, Predicate<String> visitor) {
    String smallest = ALL;
    int size = Integer.MAX_VALUE;
    for (String k : keys) {
      int s = k.startsWith(CANDIDATE) ? 0 : sizes.getOrDefault(k, 0);
      if (s < size) {
        smallest = k;
        size = s;
      }
    }
    byte[] prefix = prefix(smallest);
    int idAt = prefix.length + OffHeapStore.TIME_BYTES;
    store.scan(prefix, null, key -> visitor.test(OffHeapStore.utf8(key, idAt)));
  }

  /**
   * Visits ids of decided evaluations of {@code tenant} (null: of every tenant), newest verdict first, whose latest
   * verdict was reached in [since, until), until {@code visitor} returns false.
   */
  void decidedNewestFirst(String tenant, Instant since, Instant until, Predicate<String> visitor) {
    byte[] prefix = decidedPrefix(tenant);
    int timeAt = prefix.length;
    byte[] from = until == null ? null : OffHeapStore.key(prefix, OffHeapStore.newestFirst(until));
    store.scan(prefix, from, key -> {
      Instant at = OffHeapStore.timeAt(key, timeAt);
      if (until != null && at != null && !at.isBefore(until)) {
        return true; // at "until" itself: excluded
      }
      if (since != null && (at == null || at.isBefore(since))) {
        return false;
      }
      return visitor.test(OffHeapStore.utf8(key, timeAt + OffHeapStore.TIME_BYTES));
    });
  }
}
