package dev.tollgate.probes.calendar;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * An iCalendar feed of freeze windows.
 *
 * @param name how windows and errors name it
 * @param uri {@code https://...}, {@code http://} to a loopback host, or {@code file:}; null when {@code content} is
 *     given (a feed file in the repository, read at the candidate commit)
 * @param content the feed text when read from the repository, else null
 * @param onError what to do when the feed cannot be fetched or parsed
 * @param refresh how long a fetched copy is used before fetching again
 * @param maxStale with {@link OnError#LAST_GOOD}: how old the last good copy may be before failing closed
 * @param zone the zone of floating and all-day events
 * @param source who configured it: {@code server} or {@code repository}
 */
public record FeedSpec(String name, URI uri, String content, OnError onError, Duration refresh, Duration maxStale,
    ZoneId zone, String source) {

  /** Policy for a feed that cannot be read. */
  public enum OnError {
    /** Block deploys until the feed can be read (the default: the gate fails closed). */
    FAIL_CLOSED,
    /** Use the last copy that was read, if it is not older than {@code maxStale}; else fail closed. */
    LAST_GOOD
  }

  public FeedSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onError, "onError");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(maxStale, "maxStale");
    Objects.requireNonNull(zone, "zone");
    if ((uri == null) == (content == null)) {
      throw new IllegalArgumentException("feed " + name + ": expected exactly one of a URL and repository content");
    }
  }
}
