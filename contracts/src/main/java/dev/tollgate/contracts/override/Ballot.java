package dev.tollgate.contracts.override;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the votes on one evaluation add up, read from its {@link OverrideRecorded} records in topic order. The one rule,
 * used by the aggregator (which counts) and by every gate's views (which show and screen votes), so they never differ:
 *
 * <ul>
 *   <li>one standing vote per person per verdict revision: the first approve or reject stands, a later one of the same
 *       revision does not replace it (a change of mind is a withdrawal, then a new vote);
 *   <li>a withdrawal removes the person's standing vote of that revision;
 *   <li>a vote on a newer revision replaces the person's vote on an older one;
 *   <li>records with a decision this version does not know change nothing.
 * </ul>
 *
 * Names compare case-insensitively (VCS logins do).
 */
public final class Ballot {
  private Ballot() {}

  /**
   * One person's standing vote.
   *
   * @param decision {@link VoteDecision#APPROVE} or {@link VoteDecision#REJECT}; null in state written before
   *     rejections were recorded (those were approvals)
   * @param revision the verdict revision it was cast on, 0 when unknown (version 1 records)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Vote(VoteDecision decision, int revision, String reason, Instant at, Instant expiresAt) {
    public Vote {
      if (decision == null) {
        decision = VoteDecision.APPROVE;
      }
    }

    /** True for an approval cast on {@code current} (or of an unknown revision), not expired at {@code now}. */
    public boolean approves(int current, Instant now) {
      return decision == VoteDecision.APPROVE && (revision == 0 || revision == current) && expiresAt.isAfter(now);
    }

    /** True when this vote stands on revision {@code current}. */
    public boolean on(int current) {
      return revision == 0 || revision == current;
    }
  }

  /** The standing votes after {@code record}; {@code standing} is not changed. */
  public static Map<String, Vote> apply(Map<String, Vote> standing, OverrideRecorded record) {
    Map<String, Vote> next = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    next.putAll(standing);
    for (String person : record.approvers()) {
      Vote current = next.get(person);
      switch (record.decision()) {
        case WITHDRAW -> {
          if (current != null && (record.revision() == 0 || current.revision() <= record.revision())) {
            next.remove(person);
          }
        }
        case APPROVE, REJECT -> {
          if (current == null || current.revision() != 0 && current.revision() < record.revision()) {
            next.put(person, new Vote(record.decision(), record.revision(), record.reason(), record.recordedAt(),
                record.expiresAt()));
          }
        }
        default -> { } // unknown: counts for nothing, changes nothing
      }
    }
    return next;
  }

  /** The standing votes of a whole stream of records. */
  public static Map<String, Vote> of(Iterable<OverrideRecorded> records) {
    Map<String, Vote> standing = Map.of();
    for (OverrideRecorded r : records) {
      standing = apply(standing, r);
    }
    return standing;
  }
}
