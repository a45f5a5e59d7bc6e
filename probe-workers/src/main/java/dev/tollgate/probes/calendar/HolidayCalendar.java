package dev.tollgate.probes.calendar;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Public holidays of a region: Jollyday's data, then {@link HolidayCorrections}. Both the actual date of a holiday
 * and the day it is observed on (US July 4 on a Saturday is observed on Friday July 3) are days off. Results are
 * cached per region, kind and year. Thread-safe.
 */
public final class HolidayCalendar {
  /** Which of Jollyday's kinds of holiday count. */
  public enum Kind {
    /** Statutory public holidays (the default). */
    PUBLIC(HolidayType.PUBLIC_HOLIDAY),
    /** Bank holidays: banks and often offices close. */
    BANK(HolidayType.BANK_HOLIDAY),
    /** Observances: widely kept but not statutory (e.g. Christmas Eve in the US). */
    OBSERVANCE(HolidayType.OBSERVANCE);

    private final HolidayType type;

    Kind(HolidayType type) {
      this.type = type;
    }
  }

  /** How far a region's holiday data can be trusted (docs/calendar.md, "Regions and their holiday data"). */
  public enum Quality {
    /** Jollyday's data, corrected where wrong, checked against published dates of 2026 and 2027 by HolidayCalendarTest. */
    VERIFIED,
    /** Jollyday's data as it comes: not checked by Tollgate (the calendar probe says so with an INFO finding). */
    UNVERIFIED,
    /** No holiday data for the country: its holidays are not checked (the calendar probe warns). */
    NONE
  }

  /** The regions whose holidays HolidayCalendarTest pins; the test fails when this list and its data differ. */
  static final Set<String> VERIFIED = Set.of("US-VA", "US-OH", "US-CA", "US-OR", "US-IA", "US-SC", "US-WA", "CA-QC", "CA-ON",
      "BR-SP", "GB-ENG", "IE", "FR", "DE-HE", "DE-BE", "CH-ZH", "SE", "IT", "ES-MD", "ES-AR", "JP-13", "JP-27", "AU-NSW",
      "AU-VIC", "BE", "NL", "FI");

  private record Key(String country, String subdivision, Set<Kind> kinds, int year) {}

  private final Cache<Key, List<HolidayDay>> years = Caffeine.newBuilder().maximumSize(2_000).build();

  /**
   * The days off of {@code region} from {@code from} to {@code to}, both inclusive, sorted by date.
   *
   * @throws IllegalArgumentException when Jollyday has no calendar for the region's country
   */
  public List<HolidayDay> holidays(Region region, Set<Kind> kinds, LocalDate from, LocalDate to) {
    List<HolidayDay> out = new ArrayList<>();
    for (int y = from.getYear(); y <= to.getYear(); y++) {
      for (HolidayDay d : year(region, kinds, y)) {
        if (!d.date().isBefore(from) && !d.date().isAfter(to)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /** How far the holidays of {@code region} can be trusted. */
  public static Quality quality(Region region) {
    if (VERIFIED.contains(region.iso())) {
      return Quality.VERIFIED;
    }
    return HolidayManager.getSupportedCalendarCodes().contains(region.country()) ? Quality.UNVERIFIED : Quality.NONE;
  }

  /**
   * Checks that, where Jollyday has the region's country and subdivisions of it, it has the subdivision. A country
   * without holiday data is accepted: its region still has a time zone, and the probe says its holidays are unchecked.
   *
   * @throws IllegalArgumentException naming {@code key} and the region
   */
  public static void validate(Region region, String key) {
    if (!HolidayManager.getSupportedCalendarCodes().contains(region.country())) {
      return;
    }
    if (region.subdivision() != null) {
      var children = manager(region.country()).getCalendarHierarchy().getChildren();
      if (!children.isEmpty() && !children.containsKey(region.subdivision().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(key + ": no holiday calendar for subdivision " + region.iso() + " (known: "
            + new TreeSet<>(children.keySet()).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList() + ")");
      }
    }
  }

  private List<HolidayDay> year(Region region, Set<Kind> kinds, int year) {
    if (quality(region) == Quality.NONE) {
      return List.of();
    }
    Set<Kind> k = kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
    return years.get(new Key(region.country(), region.subdivision(), k, year), this::load);
  }

  private List<HolidayDay> load(Key key) {
    HolidayManager manager = manager(key.country());
    String[] sub = key.subdivision() == null ? new String[0] : new String[] {key.subdivision().toLowerCase(Locale.ROOT)};
    Set<HolidayType> types = EnumSet.noneOf(HolidayType.class);
    key.kinds().forEach(k -> types.add(k.type));
    // A holiday of January 1 may be observed on December 31 of the year before (US federal rule): read a margin.
    Set<Holiday> raw = manager.getHolidays(LocalDate.of(key.year() - 1, 12, 1), LocalDate.of(key.year() + 1, 1, 31), sub);
    List<HolidayDay> days = new ArrayList<>();
    for (Holiday h : raw) {
      if (!types.contains(h.getType())) {
        continue;
      }
      String name = h.getDescription(Locale.ENGLISH);
      days.add(new HolidayDay(h.getActualDate(), name, h.getPropertiesKey()));
      if (!h.getDate().equals(h.getActualDate())) {
        days.add(new HolidayDay(h.getDate(), name + " (observed)", h.getPropertiesKey()));
      }
    }
    days.removeIf(d -> d.date().getYear() != key.year());
    if (key.kinds().contains(Kind.PUBLIC)) {
      days = HolidayCorrections.apply(key.country(), key.subdivision(), key.year(), days);
    }
    // One entry per date: two names for one day (Columbus Day and Indigenous Peoples' Day) block the same day once.
    List<HolidayDay> unique = new ArrayList<>();
    days.stream().sorted(java.util.Comparator.comparing(HolidayDay::date).thenComparing(HolidayDay::name)).forEach(d -> {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).date().equals(d.date())) {
        unique.add(d);
      }
    });
    return List.copyOf(unique);
  }

  private static HolidayManager manager(String country) {
    // Jollyday caches its managers (one per country); loading a country takes ~0.2 s the first time.
    return HolidayManager.getInstance(ManagerParameters.create(country.toLowerCase(Locale.ROOT)));
  }
}
