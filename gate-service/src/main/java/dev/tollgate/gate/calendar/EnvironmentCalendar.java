package dev.tollgate.gate.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Holiday, freeze and business-hours windows of an environment under the server's calendar policy
 * ({@code environments.<env>.calendar}, docs/calendar.md). A repository's {@code .tollgate.yml} can tighten the
 * calendar of its own deploys; that part is known only to the probe, per deploy, and is not shown here.
 *
 * <p>Implemented by the launcher with {@code dev.tollgate.probes.calendar.CalendarEngine} and injected: the gate
 * module does not depend on probe-workers. Implementations may block (an iCalendar feed is fetched on first use):
 * call them from a worker thread, never the event loop.
 */
public interface EnvironmentCalendar {
  /**
   * Whether a deploy to {@code environment} is allowed at {@code at}, what blocks it and when it may go.
   *
   * @throws IllegalArgumentException for an unknown environment or a calendar policy that cannot be read
   */
  Decision decision(String environment, Instant at);

  /**
   * Every window of {@code environment} overlapping [from, from + span), sorted by start.
   *
   * @throws IllegalArgumentException for an unknown environment, an unreadable policy or a span over 400 days
   */
  List<Window> upcoming(String environment, Instant from, Duration span);

  /**
   * A decision.
   *
   * @param blocking the windows containing {@code at}
   * @param nextAllowed the first instant no window blocks; {@code at} when allowed; null when unknown (a feed that
   *     could not be read)
   */
  record Decision(Instant at, boolean allowed, List<Window> blocking, Instant nextAllowed) {
    public Decision {
      Objects.requireNonNull(at, "at");
      blocking = List.copyOf(blocking);
    }
  }

  /**
   * A span in which deploys are not allowed.
   *
   * @param kind {@code holiday}, {@code freeze} or {@code business-hours}
   * @param region the region it belongs to, or null when it applies to the whole environment
   * @param end exclusive; null when unknown
   * @param zone the IANA time zone the window is defined in
   */
  record Window(String kind, String name, String region, Instant start, Instant end, String zone) {
    public Window {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(zone, "zone");
    }
  }
}
