package dev.tollgate.probes.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.transform.recurrence.Frequency;

/**
 * A window that starts at {@code seed} and, with an RFC 5545 RRULE, recurs; EXDATEs remove occurrences, RDATEs add
 * them. Both the config's {@code rrule} freezes and iCalendar VEVENTs become one of these.
 *
 * <p>Occurrences are computed by ical4j's {@link Recur} in wall-clock time and then placed in {@code zone}, so a
 * weekly 20:00 window stays at 20:00 local across DST changes, and a 02:30 occurrence on a spring-forward night is
 * read with the offset before the gap (RFC 5545 §3.3.5), as {@code java.time} does.
 *
 * @param seed DTSTART as wall-clock time (all-day events: midnight)
 * @param allDay true for DATE-valued events: recurrence runs over dates
 * @param rule the RRULE, or null for a single occurrence (plus RDATEs)
 * @param exdates excluded occurrence starts, wall-clock in {@code zone}
 * @param rdates extra occurrence starts, wall-clock in {@code zone}
 */
record Recurrence(WindowKind kind, String name, LocalDateTime seed, boolean allDay, ZoneId zone, String rule,
    Set<LocalDateTime> exdates, Set<LocalDateTime> rdates, WindowLength length, String source) implements WindowSource {

  private static final int MAX_OCCURRENCES = 20_000;

  private static final java.util.regex.Pattern UTC_UNTIL = java.util.regex.Pattern.compile("UNTIL=(\\d{8}T\\d{6})Z");
  private static final java.time.format.DateTimeFormatter BASIC =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", java.util.Locale.ROOT);

  Recurrence {
    exdates = Set.copyOf(exdates);
    if (rule != null && !allDay) {
      // RFC 5545: with a zoned DTSTART, UNTIL is given in UTC. ical4j compares it with the wall-clock occurrences
      // computed here, so it is turned into wall-clock time in the window's zone first.
      java.util.regex.Matcher m = UTC_UNTIL.matcher(rule);
      if (m.find()) {
        LocalDateTime until = LocalDateTime.parse(m.group(1), BASIC).atZone(java.time.ZoneOffset.UTC)
            .withZoneSameInstant(zone).toLocalDateTime();
        rule = m.replaceFirst("UNTIL=" + BASIC.format(until));
      }
    }
    rdates = Set.copyOf(rdates);
    if (rule != null) {
      Recur<?> r = parse(rule, name);
      if (r.getFrequency() == Frequency.SECONDLY || r.getFrequency() == Frequency.MINUTELY) {
        throw new IllegalArgumentException("freeze " + name + ": rrule: FREQ=" + r.getFrequency()
            + " is not supported for windows (use HOURLY or longer)");
      }
    }
  }

  static Recur<?> parse(String rule, String name) {
    try {
      return new Recur<LocalDateTime>(rule);
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IllegalArgumentException("freeze " + name + ": rrule: expected an RFC 5545 RRULE such as "
          + "FREQ=WEEKLY;BYDAY=FR, got \"" + rule + "\": " + e.getMessage());
    }
  }

  @Override
  public List<BlockingWindow> windows(Instant from, Instant to) {
    // Occurrences that started up to one window length before `from` may still be running.
    LocalDateTime lo = LocalDateTime.ofInstant(from.minus(length.atMost()), zone).minusDays(1);
    LocalDateTime hi = LocalDateTime.ofInstant(to, zone).plusDays(1);
    TreeSet<LocalDateTime> starts = new TreeSet<>();
    if (rule == null) {
      starts.add(seed);
    } else if (allDay) {
      Recur<LocalDate> r = new Recur<>(rule);
      r.getDates(seed.toLocalDate(), lo.toLocalDate(), hi.toLocalDate()).stream().limit(MAX_OCCURRENCES)
          .forEach(d -> starts.add(d.atStartOfDay()));
    } else {
      Recur<LocalDateTime> r = new Recur<>(rule);
      starts.addAll(r.getDates(seed, lo, hi).stream().limit(MAX_OCCURRENCES).toList());
    }
    starts.addAll(rdates);
    starts.removeAll(exdates);
    List<BlockingWindow> out = new ArrayList<>();
    for (LocalDateTime s : starts.subSet(lo, true, hi, true)) {
      ZonedDateTime start = allDay ? s.toLocalDate().atStartOfDay(zone) : ZonedDateTime.of(s, zone);
      ZonedDateTime end = allDay ? s.toLocalDate().plus(length.nominal()).atStartOfDay(zone) : length.endOf(start);
      if (!end.isAfter(start)) {
        continue;
      }
      BlockingWindow w = new BlockingWindow(kind, name, null, start.toInstant(), end.toInstant(), zone, source);
      if (w.overlaps(from, to)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Wall-clock time of {@code t} in {@code zone}, to the second (EXDATE matching ignores sub-seconds). */
  static LocalDateTime wall(ZonedDateTime t, ZoneId zone) {
    return t.withZoneSameInstant(zone).toLocalDateTime().truncatedTo(ChronoUnit.SECONDS);
  }
}
