package dev.tollgate.gate.view;

import dev.tollgate.contracts.audit.AuditRecorded;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The newest audit records in memory (the topic keeps all of them): bypasses, override votes, refusals. Written by
 * the views thread; a record delivered twice (same {@code auditId}) counts once.
 */
public final class AuditLog {
  private final int max;
  private final Deque<AuditRecorded> records = new ArrayDeque<>();
  private final Set<String> ids = new HashSet<>();

  AuditLog(int max) {
    this.max = max;
  }

  synchronized void add(AuditRecorded record) {
    if (!ids.add(record.auditId())) {
      return;
    }
    records.addFirst(record);
    while (records.size() > max) {
      ids.remove(records.removeLast().auditId());
    }
  }

  /** Records matching {@code filter}, newest first, at most {@code limit}. */
  public synchronized List<AuditRecorded> list(Predicate<AuditRecorded> filter, int limit) {
    return records.stream().filter(filter).limit(limit).toList();
  }
}
