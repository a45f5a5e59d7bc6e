package dev.tollgate.probes.repo;

import java.time.Instant;
import java.util.List;

/**
 * One commit in the deploy range.
 *
 * @param id full commit id
 * @param parents parent ids, first parent first
 * @param subject first line of the message
 */
public record CommitInfo(String id, List<String> parents, String authorName, String authorEmail, Instant authoredAt,
    String subject) {
  public CommitInfo {
    parents = List.copyOf(parents);
  }

  /** Abbreviated id for messages. */
  public String shortId() {
    return id.substring(0, 7);
  }
}
