package dev.tollgate.probes.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When deploys are allowed in an environment's own time zone, e.g. Monday to Thursday 09:00–17:00 and Friday
 * 09:00–15:00 in Europe/Berlin. Every other moment is a blocking window; a closed stretch is one window (Friday
 * 15:00 to Monday 09:00), so the result says when it ends.
 *
 * @param open per day of the week, the open ranges (start inclusive, end exclusive; end {@code 24:00} = midnight)
 */
record BusinessHours(String name, ZoneId zone, Map<DayOfWeek, List<LocalTime[]>> open, String source) implements WindowSource {
  private static final Pattern RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  BusinessHours {
    Map<DayOfWeek, List<LocalTime[]>> copy = new EnumMap<>(DayOfWeek.class);
    open.forEach((d, r) -> copy.put(d, List.copyOf(r)));
    open = copy;
    if (open.values().stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("businessHours: no open hours on any day would block every deploy");
    }
  }

  /**
   * Parses {@code {"mon-thu": "09:00-17:00", "fri": "09:00-12:00, 13:00-15:00"}}. Days not named are closed.
   *
   * @throws IllegalArgumentException naming the key
   */
  static Map<DayOfWeek, List<LocalTime[]>> parseOpen(Map<String, String> spec, String key) {
    Map<DayOfWeek, List<LocalTime[]>> open = new EnumMap<>(DayOfWeek.class);
    for (Map.Entry<String, String> e : spec.entrySet()) {
      List<LocalTime[]> ranges = new ArrayList<>();
      for (String part : e.getValue().split(",")) {
        Matcher m = RANGE.matcher(part.strip());
        if (!m.matches()) {
          throw new IllegalArgumentException(key + "." + e.getKey() + ": expected HH:MM-HH:MM, got \"" + part.strip() + "\"");
        }
        LocalTime from = time(m.group(1), m.group(2), key + "." + e.getKey());
        boolean midnight = m.group(3).equals("24") && m.group(4).equals("00");
        LocalTime to = midnight ? LocalTime.MAX : time(m.group(3), m.group(4), key + "." + e.getKey());
        if (!to.isAfter(from)) {
          throw new IllegalArgumentException(key + "." + e.getKey() + ": a range ends before it starts, got \"" + part.strip() + "\"");
        }
        ranges.add(new LocalTime[] {from, to});
      }
      for (String dayPart : e.getKey().toLowerCase(Locale.ROOT).split(",")) {
        for (DayOfWeek d : days(dayPart.strip(), key + "." + e.getKey())) {
          if (open.containsKey(d)) {
            throw new IllegalArgumentException(key + ": " + d.getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT)
                + " is named twice");
          }
          open.put(d, ranges);
        }
      }
    }
    return open;
  }

  private static List<DayOfWeek> days(String spec, String key) {
    String[] ends = spec.split("-");
    int a = DAYS.indexOf(ends[0]);
    int b = ends.length == 2 ? DAYS.indexOf(ends[1]) : a;
    if (ends.length > 2 || a < 0 || b < 0 || b < a) {
      throw new IllegalArgumentException(key + ": expected days such as mon-fri, sat or mon,wed, got \"" + spec + "\"");
    }
    List<DayOfWeek> out = new ArrayList<>();
    for (int i = a; i <= b; i++) {
      out.add(DayOfWeek.of(i + 1));
    }
    return out;
  }

  private static LocalTime time(String h, String m, String key) {
    int hour = Integer.parseInt(h);
    int minute = Integer.parseInt(m);
    if (hour > 23 || minute > 59) {
      throw new IllegalArgumentException(key + ": not a time of day, got \"" + h + ":" + m + "\"");
    }
    return LocalTime.of(hour, minute);
  }

  @Override
  public List<BlockingWindow> windows(Instant from, Instant to) {
    // Open intervals from a week before to a week after the range; the gaps between them are the closed windows.
    LocalDate first = LocalDate.ofInstant(from, zone).minusDays(8);
    LocalDate last = LocalDate.ofInstant(to, zone).plusDays(8);
    List<Instant[]> opens = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      for (LocalTime[] r : open.getOrDefault(d.getDayOfWeek(), List.of())) {
        Instant s = ZonedDateTime.of(d, r[0], zone).toInstant();
        Instant e = r[1].equals(LocalTime.MAX) ? d.plusDays(1).atStartOfDay(zone).toInstant()
            : ZonedDateTime.of(d, r[1], zone).toInstant();
        if (!opens.isEmpty() && !s.isAfter(opens.get(opens.size() - 1)[1])) {
          opens.get(opens.size() - 1)[1] = e.isAfter(opens.get(opens.size() - 1)[1]) ? e : opens.get(opens.size() - 1)[1];
        } else if (e.isAfter(s)) {
          opens.add(new Instant[] {s, e});
        }
      }
    }
    List<BlockingWindow> out = new ArrayList<>();
    for (int i = 0; i + 1 < opens.size(); i++) {
      BlockingWindow closed = new BlockingWindow(WindowKind.BUSINESS_HOURS, name, null, opens.get(i)[1], opens.get(i + 1)[0],
          zone, source);
      if (closed.overlaps(from, to)) {
        out.add(closed);
      }
    }
    return out;
  }
}
