package dev.tollgate.gate.view;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The newest audit records in memory (the topic keeps all of them): bypasses, override votes, refusals, policy changes. Written by
 * the views thread; a record delivered twice (same {@code auditId}) counts once.
 */
public final class AuditLog {
  private final int max;
  private final Deque<AuditRecorded> records = new ArrayDeque<>();
  private final Set<String> ids = new HashSet<>();
  /** Kept apart from the bounded list: the next policy change is described against it. */
  private AuditRecorded lastPolicyChange;

  AuditLog(int max) {
    this.max = max;
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
    records.addFirst(record);
    while (records.size() > max) {
      ids.remove(records.removeLast().auditId());
    }
  }

  /** The newest policy change on record, or null. */
  public synchronized AuditRecorded lastPolicyChange() {
    return lastPolicyChange;
  }

  /** Records matching {@code filter}, newest first, at most {@code limit}. */
  public synchronized List<AuditRecorded> list(Predicate<AuditRecorded> filter, int limit) {
    return records.stream().filter(filter).limit(limit).toList();
  }
}
