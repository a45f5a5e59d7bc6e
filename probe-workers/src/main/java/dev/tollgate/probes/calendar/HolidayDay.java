package dev.tollgate.probes.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One day off in a region.
 *
 * @param date the day, in the region's calendar
 * @param name English name, e.g. {@code Thanksgiving Day}; {@code (observed)} is appended on a moved day
 * @param key stable identifier (Jollyday's property key, or {@code tollgate.<name>} for corrections and config)
 */
public record HolidayDay(LocalDate date, String name, String key) {
  public HolidayDay {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }
}
