package dev.tollgate.probes.calendar;

import java.io.IOException;
import java.io.StringReader;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.DateListProperty;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.RRule;

/**
 * Reads an iCalendar (RFC 5545) feed into freeze windows: one {@link Recurrence} per VEVENT, with its RRULE, EXDATEs,
 * RDATEs and modified instances (RECURRENCE-ID). Cancelled events are skipped. Floating and all-day events are read in
 * the feed's configured zone.
 */
final class IcsFeed {
  private IcsFeed() {}

  /**
   * Parses the feed.
   *
   * @param zone the zone of floating and all-day times
   * @throws IllegalArgumentException when the text is not a valid iCalendar stream
   */
  static List<Recurrence> parse(String name, String text, ZoneId zone) {
    Calendar cal;
    try {
      cal = new CalendarBuilder().build(new StringReader(text));
    } catch (IOException | ParserException | RuntimeException e) {
      throw new IllegalArgumentException("feed " + name + ": not a valid iCalendar file: " + e.getMessage());
    }
    List<VEvent> events = cal.getComponents(Component.VEVENT);
    // A modified instance (RECURRENCE-ID) replaces the master's occurrence at that time.
    Map<String, Set<Temporal>> moved = new HashMap<>();
    for (VEvent e : events) {
      Optional<Property> rid = e.getProperty(Property.RECURRENCE_ID);
      Optional<Property> uid = e.getProperty(Property.UID);
      if (rid.isPresent() && uid.isPresent()) {
        moved.computeIfAbsent(uid.get().getValue(), k -> new HashSet<>()).add(((DateProperty<?>) rid.get()).getDate());
      }
    }
    List<Recurrence> out = new ArrayList<>();
    for (VEvent e : events) {
      if (e.getProperty(Property.STATUS).map(p -> p.getValue().equalsIgnoreCase("CANCELLED")).orElse(false)) {
        continue;
      }
      Optional<Property> dtStart = e.getProperty(Property.DTSTART);
      if (dtStart.isEmpty()) {
        continue; // RFC 5545 requires DTSTART in a VEVENT of a calendar without METHOD; nothing to block
      }
      String summary = e.getProperty(Property.SUMMARY).map(Property::getValue).filter(s -> !s.isBlank()).orElse("(untitled)");
      DateProperty<?> start = (DateProperty<?>) dtStart.get();
      Temporal s = start.getDate();
      ZoneId z = zoneOf(start, s, zone);
      boolean allDay = s instanceof LocalDate;
      LocalDateTime seed = wall(s, z);
      WindowLength length = length(e, s, z, allDay, name + " " + summary);
      String rule = e.getProperty(Property.RRULE).map(p -> ((RRule<?>) p).getRecur().toString()).orElse(null);
      Set<LocalDateTime> exdates = new HashSet<>();
      for (Property p : e.getProperties(Property.EXDATE)) {
        ((DateListProperty<?>) p).getDates().forEach(t -> exdates.add(wall(t, z)));
      }
      e.getProperty(Property.UID).map(Property::getValue).map(moved::get).ifPresent(ts -> {
        if (e.getProperty(Property.RECURRENCE_ID).isEmpty()) {
          ts.forEach(t -> exdates.add(wall(t, z)));
        }
      });
      Set<LocalDateTime> rdates = new HashSet<>();
      for (Property p : e.getProperties(Property.RDATE)) {
        try {
          ((DateListProperty<?>) p).getDates().forEach(t -> rdates.add(wall(t, z)));
        } catch (ClassCastException | UnsupportedOperationException ex) {
          // RDATE;VALUE=PERIOD is rare in freeze calendars; its periods are skipped rather than guessed.
        }
      }
      out.add(new Recurrence(WindowKind.FREEZE, summary, seed, allDay, z, rule, exdates, rdates, length, "feed " + name));
    }
    return out;
  }

  private static ZoneId zoneOf(DateProperty<?> p, Temporal t, ZoneId fallback) {
    if (t instanceof ZonedDateTime zdt) {
      // Prefer the JDK's rules for an IANA TZID; keep ical4j's zone (built from VTIMEZONE) for others (Outlook names).
      Optional<Parameter> tzid = p.getParameter(Parameter.TZID);
      if (tzid.isPresent()) {
        try {
          return ZoneId.of(((TzId) tzid.get()).getValue());
        } catch (DateTimeException notIana) {
          return zdt.getZone();
        }
      }
      return zdt.getZone();
    }
    if (t instanceof OffsetDateTime || t instanceof Instant) {
      return ZoneOffset.UTC;
    }
    return fallback;
  }

  private static LocalDateTime wall(Temporal t, ZoneId zone) {
    if (t instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (t instanceof LocalDateTime l) {
      return l.truncatedTo(ChronoUnit.SECONDS);
    }
    if (t instanceof ZonedDateTime z) {
      return Recurrence.wall(z, zone);
    }
    if (t instanceof OffsetDateTime o) {
      return Recurrence.wall(o.toZonedDateTime(), zone);
    }
    if (t instanceof Instant i) {
      return Recurrence.wall(i.atZone(ZoneOffset.UTC), zone);
    }
    throw new IllegalArgumentException("unsupported date value " + t);
  }

  private static WindowLength length(VEvent e, Temporal start, ZoneId zone, boolean allDay, String what) {
    Optional<Property> end = e.getProperty(Property.DTEND);
    if (end.isPresent()) {
      Temporal t = ((DateProperty<?>) end.get()).getDate();
      if (allDay && t instanceof LocalDate d) {
        long days = ChronoUnit.DAYS.between((LocalDate) start, d);
        return WindowLength.ofDays((int) Math.max(1, days));
      }
      // RFC 5545 §3.8.5.3: DTEND - DTSTART is an exact duration, the same for every instance.
      Duration exact = Duration.between(instant(start, zone), instant(t, zoneFor(end.get(), t, zone)));
      if (exact.isNegative() || exact.isZero()) {
        throw new IllegalArgumentException("event " + what + ": DTEND is not after DTSTART");
      }
      return WindowLength.of(exact);
    }
    Optional<Property> duration = e.getProperty(Property.DURATION);
    if (duration.isPresent()) {
      TemporalAmount a = ((net.fortuna.ical4j.model.property.Duration) duration.get()).getDuration();
      if (a instanceof Period p) {
        return new WindowLength(p, Duration.ZERO);
      }
      return WindowLength.of((Duration) a);
    }
    // RFC 5545 §3.6.1: without DTEND or DURATION a date event lasts one day, a date-time event ends where it starts;
    // a zero-length freeze would block nothing, so it is read as one minute, enough to be seen.
    return allDay ? WindowLength.ofDays(1) : WindowLength.of(Duration.ofMinutes(1));
  }

  private static ZoneId zoneFor(Property p, Temporal t, ZoneId fallback) {
    return zoneOf((DateProperty<?>) p, t, fallback);
  }

  private static Instant instant(Temporal t, ZoneId zone) {
    if (t instanceof LocalDate d) {
      return d.atStartOfDay(zone).toInstant();
    }
    if (t instanceof LocalDateTime l) {
      return ZonedDateTime.of(l, zone).toInstant();
    }
    return Instant.from(t);
  }
}
