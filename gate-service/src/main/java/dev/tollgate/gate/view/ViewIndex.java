package dev.tollgate.gate.view;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

/**
 * The evaluations of the views in the orders requests read them, so that a request reads what it returns and not the
 * history: newest first by request time, as a whole and per value of what lists filter on (tenant, environment,
 * repository, verdict, candidate commit); and newest first by the time of the latest verdict (the audit log).
 *
 * <p>Written by the views thread only, read by any thread: the sets are concurrent and a reader may see an evaluation
 * that is moving between two positions twice (callers keep the first) or not at all until the move is done.
 */
final class ViewIndex {
  /** Where an evaluation sits in an order: by time, then id; newest first. */
  record Position(Instant at, String id) {}

  static final Comparator<Position> NEWEST_FIRST = Comparator.comparing(Position::at, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(Position::id);

  private final Map<String, NavigableSet<Position>> byRequest = new ConcurrentHashMap<>();
  /** Sizes of the sets above (a concurrent set counts by walking itself). */
  private final Map<String, Integer> sizes = new ConcurrentHashMap<>();
  private final NavigableSet<Position> byDecision = new ConcurrentSkipListSet<>(NEWEST_FIRST);

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
    return "candidate\u0000" + commit;
  }

  private static List<String> keys(EvaluationView v) {
    return List.of(ALL, tenant(v.tenant()), environment(v.environment()), repository(v.repository()),
        verdict(v.verdict() == null ? "PENDING" : v.verdict().decision()), candidate(v.candidate()));
  }

  /** Files {@code after} in place of {@code before} (either may be null: a new or a forgotten evaluation). */
  void update(EvaluationView before, EvaluationView after) {
    Position was = before == null ? null : new Position(before.requestedAt(), before.id());
    Position now = after == null ? null : new Position(after.requestedAt(), after.id());
    List<String> wasKeys = before == null ? List.of() : keys(before);
    List<String> nowKeys = after == null ? List.of() : keys(after);
    boolean moved = !Objects.equals(was, now);
    for (String k : wasKeys) {
      if (moved || !nowKeys.contains(k)) {
        remove(k, was);
      }
    }
    for (String k : nowKeys) {
      if (moved || !wasKeys.contains(k)) {
        add(k, now);
      }
    }
    Position decidedWas = before == null || before.verdict() == null ? null
        : new Position(before.verdict().decidedAt(), before.id());
    Position decidedNow = after == null || after.verdict() == null ? null : new Position(after.verdict().decidedAt(), after.id());
    if (!Objects.equals(decidedWas, decidedNow)) {
      if (decidedWas != null) {
        byDecision.remove(decidedWas);
      }
      if (decidedNow != null) {
        byDecision.add(decidedNow);
      }
    }
  }

  private void add(String key, Position p) {
    if (byRequest.computeIfAbsent(key, k -> new ConcurrentSkipListSet<>(NEWEST_FIRST)).add(p)) {
      sizes.merge(key, 1, Integer::sum);
    }
  }

  private void remove(String key, Position p) {
    NavigableSet<Position> set = byRequest.get(key);
    if (set != null && set.remove(p)) {
      // Sets of values that no longer occur (an evicted commit) are dropped, so the index stays as large as the views.
      if (sizes.merge(key, -1, Integer::sum) == 0) {
        sizes.remove(key);
        byRequest.remove(key);
      }
    }
  }

  /**
   * Ids newest first (by request time) of the smallest of the given keys' sets: every evaluation that has all those
   * values is in it (and others, which the caller filters out).
   */
  Stream<String> newestFirst(List<String> keys) {
    String smallest = ALL;
    int size = Integer.MAX_VALUE;
    for (String k : keys) {
      int s = sizes.getOrDefault(k, 0);
      if (s < size) {
        smallest = k;
        size = s;
      }
    }
    NavigableSet<Position> set = byRequest.get(smallest);
    return set == null ? Stream.empty() : set.stream().map(Position::id);
  }

  /** Ids of decided evaluations, newest verdict first, whose latest verdict was reached in [since, until). */
  Stream<String> decidedNewestFirst(Instant since, Instant until) {
    // Newest first: "until" is towards the head of the set, "since" towards its tail.
    Stream<Position> s = until == null ? byDecision.stream()
        : byDecision.tailSet(new Position(until, ""), true).stream().dropWhile(p -> p.at() != null && !p.at().isBefore(until));
    if (since != null) {
      s = s.takeWhile(p -> p.at() != null && !p.at().isBefore(since));
    }
    return s.map(Position::id);
  }
}
