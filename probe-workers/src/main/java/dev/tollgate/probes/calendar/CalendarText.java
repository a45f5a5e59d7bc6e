package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How windows and instants are written for people (rules, CLI text): local time first, UTC beside it. */
final class CalendarText {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT);

  private CalendarText() {}

  /** {@code 2026-11-26 00:00 – 2026-11-27 00:00 America/New_York (2026-11-26 05:00Z – 2026-11-27 05:00Z)}. */
  static String localRange(BlockingWindow w) {
    String local = LOCAL.format(w.startLocal()) + " – " + (w.end() == null ? "unknown" : LOCAL.format(w.endLocal()));
    String utc = UTC.format(w.start().atZone(ZoneOffset.UTC)) + " – "
        + (w.end() == null ? "unknown" : UTC.format(w.end().atZone(ZoneOffset.UTC)));
    return local + " " + w.zone().getId() + " (" + utc + ")";
  }

  /** {@code 2026-11-27 09:00 Europe/Berlin (2026-11-27 08:00Z)}. */
  static String instant(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    return LOCAL.format(local) + " " + zone.getId() + " (" + UTC.format(at.atZone(ZoneOffset.UTC)) + ")";
  }
}
