package dev.tollgate.contracts.probe;

import static dev.tollgate.contracts.Checks.requireValue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * What the worker read of a deploy's commit range (baseline, candidate]: how many commits and when the oldest of them
 * was authored, so the gate can measure lead time for changes without opening the repository. Times are the commits'
 * author times as git records them (set by whoever made the commit, not verified).
 *
 * @param commits commits read in the range, at most the worker's {@code maxCommits}
 * @param oldestAuthoredAt the earliest author time among the commits read
 * @param newestAuthoredAt the latest author time among the commits read
 * @param truncated true when the range had more commits than the worker reads: the oldest ones were not read, so
 *     {@code oldestAuthoredAt} is a lower bound of the range's age
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommitRange(int commits, Instant oldestAuthoredAt, Instant newestAuthoredAt, boolean truncated) {
  public CommitRange {
    if (commits < 1) {
      throw new IllegalArgumentException("range.commits: expected at least 1, got " + commits);
    }
    requireValue(oldestAuthoredAt, "range.oldestAuthoredAt");
    requireValue(newestAuthoredAt, "range.newestAuthoredAt");
  }
}
