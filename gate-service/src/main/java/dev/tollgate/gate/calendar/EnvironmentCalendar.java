package dev.tollgate.gate.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The server's holiday and freeze calendar of each environment, as the gate shows it (dashboard, chat commands).
 * The engine lives in probe-workers, which the gate may not depend on; the launcher implements this interface
 * with it and injects it. Implementations may block (an iCalendar feed fetch): call them off the event loop.
 */
public interface EnvironmentCalendar {

  /**
   * May {@code environment} be deployed to at {@code at}?
   *
   * @throws IllegalArgumentException for an unknown environment or a calendar policy that cannot be read
   */
  Decision decision(String environment, Instant at);

  /**
   * The windows that block {@code environment} in [{@code from}, {@code from + duration}), sorted by start; each
   * names its region (null: the whole environment).
   *
   * @throws IllegalArgumentException for an unknown environment or a calendar policy that cannot be read
   */
  List<Window> upcoming(String environment, Instant from, Duration duration);

  /**
   * A decision.
   *
   * @param blocking the windows that contain the instant
   * @param nextAllowed the earliest instant no window blocks; the instant itself when allowed; null when unknown
   */
  record Decision(boolean allowed, List<Window> blocking, Instant nextAllowed) {
    public Decision {
      blocking = List.copyOf(blocking);
    }
  }

  /**
   * A span in which deploys are not allowed.
   *
   * @param kind {@code holiday}, {@code freeze} or {@code business-hours}
   * @param region e.g. {@code us-east-1 (US-VA)}; null when the window applies to the whole environment
   * @param end exclusive; null when unknown (a feed that could not be read)
   * @param zone the IANA time zone the window is defined in
   */
  record Window(String kind, String name, String region, Instant start, Instant end, String zone) {}
}
