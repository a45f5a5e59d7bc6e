package dev.tollgate.probes.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The one place where Tollgate corrects or supplements Jollyday's holiday data (issue #7). Every entry says what
 * Jollyday 2.19.0 gets wrong and why the fix is right; {@code HolidayCalendarTest} pins the corrected 2026 and
 * 2027 dates of every built-in region, so a Jollyday upgrade that fixes (or breaks) the data shows up as a failing
 * test, and the entry here can then be dropped.
 *
 * <p>Corrections are rules, not lists of dates, so they keep working after 2027.
 */
final class HolidayCorrections {
  private HolidayCorrections() {}

  /** Applies the corrections for {@code country}/{@code subdivision} to Jollyday's public holidays of {@code year}. */
  static List<HolidayDay> apply(String country, String subdivision, int year, List<HolidayDay> jollyday) {
    List<HolidayDay> days = new ArrayList<>(jollyday);
    switch (country) {
      case "JP" -> days = japan(year, days);
      case "US" -> {
        if ("OH".equals(subdivision)) {
          // Ohio Revised Code 5.2x names April 27 "President Ulysses S. Grant Day" as a commemoration; the legal
          // holidays of ORC 1.14 are the federal ones. Jollyday lists it as a public holiday.
          days.removeIf(d -> d.key().equals("ULYSSES_S_GRANT_DAY"));
        }
        if ("VA".equals(subdivision) && year >= 2020) {
          // Virginia Code § 2.2-3300 (HB 19, 2020) made Election Day a state holiday: the Tuesday after the first
          // Monday in November. Jollyday has only the federal days for Virginia.
          LocalDate firstMonday = LocalDate.of(year, Month.NOVEMBER, 1)
              .with(java.time.temporal.TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
          days.add(new HolidayDay(firstMonday.plusDays(1), "Election Day", "tollgate.us.va.ELECTION_DAY"));
        }
      }
      default -> { }
    }
    days.sort(Comparator.comparing(HolidayDay::date).thenComparing(HolidayDay::name));
    return days;
  }

  /**
   * Japan (Act on National Holidays, 国民の祝日に関する法律). Jollyday's data predates the 2019 change of emperor and
   * lacks the computed days:
   * <ul>
   *   <li>Emperor's Birthday is February 23 since 2020 (December 23 until 2018; no birthday holiday in 2019).</li>
   *   <li>Vernal and Autumnal Equinox Days (春分の日, 秋分の日) are missing: they are the equinox days announced each
   *       February in the official gazette. The formula below is the National Astronomical Observatory's approximation
   *       used for calendars, exact for 1980–2099.</li>
   *   <li>Substitute holidays (振替休日, Art. 3(2)): a national holiday on a Sunday moves the day off to the next day
   *       that is not a national holiday.</li>
   *   <li>Citizens' holidays (国民の休日, Art. 3(3)): a day between two national holidays is a holiday (2026-09-22).</li>
   * </ul>
   */
  private static List<HolidayDay> japan(int year, List<HolidayDay> days) {
    days.removeIf(d -> d.key().equals("EMPERORS_BIRTHDAY") && year >= 2019);
    Map<LocalDate, HolidayDay> national = new TreeMap<>();
    days.forEach(d -> national.putIfAbsent(d.date(), d));
    if (year >= 2020) {
      add(national, LocalDate.of(year, Month.FEBRUARY, 23), "Emperor's Birthday", "tollgate.jp.EMPERORS_BIRTHDAY");
    }
    if (year >= 1980 && year <= 2099) {
      add(national, LocalDate.of(year, Month.MARCH, equinoxDay(year, 20.8431)), "Vernal Equinox Day", "tollgate.jp.VERNAL_EQUINOX");
      add(national, LocalDate.of(year, Month.SEPTEMBER, equinoxDay(year, 23.2488)), "Autumnal Equinox Day",
          "tollgate.jp.AUTUMNAL_EQUINOX");
    }
    Map<LocalDate, HolidayDay> all = new TreeMap<>(national);
    Predicate<LocalDate> isNational = national::containsKey;
    for (LocalDate d : Set.copyOf(national.keySet())) {
      if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
        LocalDate next = d.plusDays(1);
        while (isNational.test(next)) {
          next = next.plusDays(1);
        }
        add(all, next, "Substitute Holiday (" + national.get(d).name() + ")", "tollgate.jp.SUBSTITUTE_HOLIDAY");
      }
      LocalDate between = d.plusDays(1);
      if (!isNational.test(between) && isNational.test(between.plusDays(1)) && between.getYear() == year) {
        add(all, between, "Citizens' Holiday", "tollgate.jp.CITIZENS_HOLIDAY");
      }
    }
    return new ArrayList<>(all.values());
  }

  /** Day of the month of the equinox in Japan Standard Time, by the standard approximation (valid 1980–2099). */
  static int equinoxDay(int year, double base) {
    int y = year - 1980;
    return (int) Math.floor(base + 0.242194 * y - Math.floor(y / 4.0));
  }

  private static void add(Map<LocalDate, HolidayDay> days, LocalDate date, String name, String key) {
    days.putIfAbsent(date, new HolidayDay(date, name, key));
  }
}
