package dev.tollgate.gate.view;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The newest audit records in memory (the topic keeps all of them): bypasses, override votes, refusals, policy changes,
 * ordered by when they happened, newest first, so a request reads the records it returns and stops. Written by the
 * views thread; a record delivered twice (same {@code auditId}) counts once.
 */
public final class AuditLog {
  /** Newest first by when it happened (as the source says, else when recorded), then by id. */
  private static final Comparator<AuditRecorded> NEWEST_FIRST = Comparator.comparing(AuditLog::at, Comparator.reverseOrder())
      .thenComparing(AuditRecorded::auditId);

  private final int max;
  private final NavigableSet<AuditRecorded> records = new ConcurrentSkipListSet<>(NEWEST_FIRST);
  private final Set<String> ids = new HashSet<>();
  /** Kept apart from the bounded list: the next policy change is described against it. */
  private volatile AuditRecorded lastPolicyChange;

  AuditLog(int max) {
    this.max = max;
  }

  /** When the record says it happened: its source's time, else when it was recorded. */
  public static Instant at(AuditRecorded record) {
    return record.occurredAt() != null ? record.occurredAt() : record.recordedAt();
  }

  synchronized void add(AuditRecorded record) {
    if (!ids.add(record.auditId())) {
      return;
    }
    // Newest by time: policy changes are keyed by version, so they arrive from several partitions in no set order.
    if (record.kind() == AuditKind.CONFIG_CHANGED
        && (lastPolicyChange == null || record.recordedAt().isAfter(lastPolicyChange.recordedAt()))) {
      lastPolicyChange = record;
    }
    records.add(record);
    while (ids.size() > max) {
      ids.remove(records.pollLast().auditId());
    }
  }

  /** The newest policy change on record, or null. */
  public AuditRecorded lastPolicyChange() {
    return lastPolicyChange;
  }

  /** Records matching {@code filter}, newest first, at most {@code limit}. */
  public List<AuditRecorded> list(Predicate<AuditRecorded> filter, int limit) {
    return list(null, null, filter, limit);
  }

  /**
   * Records that happened in [{@code since}, {@code until}) (each bound optional) and match {@code filter}, newest
   * first, at most {@code limit}; reads from {@code until} on and stops at {@code limit} or {@code since}.
   */
  public List<AuditRecorded> list(Instant since, Instant until, Predicate<AuditRecorded> filter, int limit) {
    Stream<AuditRecorded> s = records.stream();
    if (until != null) {
      s = s.dropWhile(r -> !at(r).isBefore(until));
    }
    if (since != null) {
      s = s.takeWhile(r -> !at(r).isBefore(since));
    }
    return s.filter(filter).limit(limit).toList();
  }
}
