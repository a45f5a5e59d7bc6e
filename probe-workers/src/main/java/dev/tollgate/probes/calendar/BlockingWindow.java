package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A span of time in which deploys are not allowed.
 *
 * @param kind why it blocks
 * @param name what it is, e.g. {@code Thanksgiving Day} or {@code Year-end freeze}
 * @param region the region it belongs to (e.g. {@code us-east-1 (US-VA)}), or null when it applies to the whole
 *     environment
 * @param start first blocked instant (inclusive)
 * @param end first allowed instant again (exclusive), or null when unknown (a feed that failed to load)
 * @param zone the time zone the window is defined in, used to show it in local time
 * @param source where it was configured: {@code server}, {@code repository}, {@code built-in} or a feed name
 */
public record BlockingWindow(WindowKind kind, String name, String region, Instant start, Instant end, ZoneId zone,
    String source) {

  public BlockingWindow {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(source, "source");
    if (end != null && !end.isAfter(start)) {
      throw new IllegalArgumentException("window " + name + ": end " + end + " is not after start " + start);
    }
  }

  /** True when {@code at} lies in [start, end). */
  public boolean contains(Instant at) {
    return !at.isBefore(start) && (end == null || at.isBefore(end));
  }

  /** True when the window overlaps [from, to). */
  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && (end == null || end.isAfter(from));
  }

  /** The start in the window's own time zone. */
  public ZonedDateTime startLocal() {
    return start.atZone(zone);
  }

  /** The end in the window's own time zone, or null when unknown. */
  public ZonedDateTime endLocal() {
    return end == null ? null : end.atZone(zone);
  }

  /** One line, e.g. {@code holiday "Thanksgiving Day" us-east-1 (US-VA): 2026-11-26 00:00 – 2026-11-27 00:00 America/New_York}. */
  public String describe() {
    return kind.label() + " \"" + name + "\"" + (region == null ? "" : " " + region) + ": "
        + CalendarText.localRange(this);
  }
}
