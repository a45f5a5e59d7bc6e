package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Whether a deploy is allowed at an instant, and if not, why and until when.
 *
 * @param at the instant decided
 * @param allowed true when no window blocks {@code at}
 * @param blocking every window that contains {@code at}, sorted by start
 * @param nextAllowed the earliest instant at or after {@code at} that no window blocks, across every region; equal to
 *     {@code at} when allowed; null when unknown (a window without a known end, or nothing free within the horizon)
 * @param warnings degraded but handled conditions, e.g. a feed served from its last good copy
 */
public record CalendarDecision(Instant at, boolean allowed, List<BlockingWindow> blocking, Instant nextAllowed,
    List<String> warnings) {

  public CalendarDecision {
    Objects.requireNonNull(at, "at");
    blocking = List.copyOf(blocking);
    warnings = List.copyOf(warnings);
    if (allowed != blocking.isEmpty()) {
      throw new IllegalArgumentException("allowed must be true exactly when nothing blocks");
    }
  }
}
