package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** A freeze from one wall-clock time to another in a time zone, e.g. the year-end freeze. */
record OneOffFreeze(String name, LocalDateTime start, LocalDateTime end, ZoneId zone, String source) implements WindowSource {
  OneOffFreeze {
    window(name, start, end, zone, source); // validates: end after start
  }

  @Override
  public List<BlockingWindow> windows(Instant from, Instant to) {
    BlockingWindow w = window(name, start, end, zone, source);
    return w.overlaps(from, to) ? List.of(w) : List.of();
  }

  private static BlockingWindow window(String name, LocalDateTime start, LocalDateTime end, ZoneId zone, String source) {
    // ZonedDateTime.of reads wall times as RFC 5545 §3.3.5 does (gap: offset before the gap; overlap: first).
    Instant s = ZonedDateTime.of(start, zone).toInstant();
    Instant e = ZonedDateTime.of(end, zone).toInstant();
    if (!e.isAfter(s)) {
      throw new IllegalArgumentException("freeze " + name + ": end " + end + " is not after start " + start + " in " + zone);
    }
    return new BlockingWindow(WindowKind.FREEZE, name, null, s, e, zone, source);
  }
}
