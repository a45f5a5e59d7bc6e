package dev.tollgate.probes.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The days off of every served region as whole-day windows in the region's own time zone: the holiday itself, and by
 * policy the day before and bridge days. Holidays of several regions are separate windows (a holiday in Tokyo is a
 * different span of time than the same date in Virginia).
 *
 * @param added extra days by policy (company days off), per region code; the key {@code *} applies to every region
 * @param removed days the operators took out (server policy only), per region code or {@code *}
 */
record HolidayWindows(HolidayCalendar calendar, List<Region> regions, Set<HolidayCalendar.Kind> kinds, boolean dayOf,
    boolean dayBefore, boolean bridge, List<Extra> added, List<Extra> removed) implements WindowSource {

  /** A day added to or removed from the calendar by policy. */
  record Extra(LocalDate date, String name, Set<String> regions, String source) {
    boolean appliesTo(Region r) {
      return regions.isEmpty() || regions.stream().anyMatch(code -> code.equalsIgnoreCase(r.code())
          || code.equalsIgnoreCase(r.iso()) || code.equalsIgnoreCase(r.country()));
    }
  }

  @Override
  public List<BlockingWindow> windows(Instant from, Instant to) {
    List<BlockingWindow> out = new ArrayList<>();
    for (Region r : regions) {
      // Two extra days each side: the day before a holiday and bridge days look at neighbours.
      LocalDate first = LocalDate.ofInstant(from, r.zone()).minusDays(3);
      LocalDate last = LocalDate.ofInstant(to, r.zone()).plusDays(3);
      Map<LocalDate, String[]> off = daysOff(r, first.minusDays(3), last.plusDays(3));
      Map<LocalDate, String[]> blocked = new TreeMap<>();
      for (var e : off.entrySet()) {
        if (dayOf) {
          blocked.putIfAbsent(e.getKey(), e.getValue());
        }
        LocalDate before = e.getKey().minusDays(1);
        if (dayBefore && !off.containsKey(before)) {
          blocked.putIfAbsent(before, new String[] {"day before " + e.getValue()[0], e.getValue()[1]});
        }
      }
      if (bridge) {
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
          if (isBridge(d, off)) {
            String next = off.containsKey(d.plusDays(1)) ? off.get(d.plusDays(1))[0] : off.get(d.minusDays(1))[0];
            blocked.putIfAbsent(d, new String[] {"bridge day (" + next + ")", off.containsKey(d.plusDays(1))
                ? off.get(d.plusDays(1))[1] : off.get(d.minusDays(1))[1]});
          }
        }
      }
      for (var e : blocked.entrySet()) {
        if (e.getKey().isBefore(first) || e.getKey().isAfter(last)) {
          continue;
        }
        BlockingWindow w = new BlockingWindow(WindowKind.HOLIDAY, e.getValue()[0], r.label(),
            e.getKey().atStartOfDay(r.zone()).toInstant(), e.getKey().plusDays(1).atStartOfDay(r.zone()).toInstant(), r.zone(),
            e.getValue()[1]);
        if (w.overlaps(from, to)) {
          out.add(w);
        }
      }
    }
    return out;
  }

  /** Every holiday of the region in [from, to], name and source by date, after the policy's additions and removals. */
  Map<LocalDate, String[]> daysOff(Region r, LocalDate from, LocalDate to) {
    Map<LocalDate, String[]> off = new LinkedHashMap<>();
    for (HolidayDay d : calendar.holidays(r, kinds, from, to)) {
      off.put(d.date(), new String[] {d.name(), "built-in"});
    }
    for (Extra x : removed) {
      if (x.appliesTo(r)) {
        off.remove(x.date());
      }
    }
    for (Extra x : added) {
      if (x.appliesTo(r) && !x.date().isBefore(from) && !x.date().isAfter(to)) {
        off.putIfAbsent(x.date(), new String[] {x.name(), x.source()});
      }
    }
    return new TreeMap<>(off);
  }

  /**
   * A working day between a holiday and a weekend or another holiday: Friday after a Thursday holiday, Monday before a
   * Tuesday one. Weekends are Saturday and Sunday.
   */
  private static boolean isBridge(LocalDate d, Map<LocalDate, String[]> off) {
    if (weekend(d) || off.containsKey(d)) {
      return false;
    }
    LocalDate prev = d.minusDays(1);
    LocalDate next = d.plusDays(1);
    boolean prevOff = weekend(prev) || off.containsKey(prev);
    boolean nextOff = weekend(next) || off.containsKey(next);
    return prevOff && nextOff && (off.containsKey(prev) || off.containsKey(next));
  }

  private static boolean weekend(LocalDate d) {
    return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
  }
}
