package dev.tollgate.probes.calendar;

import java.time.ZoneId;
import java.util.Objects;

/**
 * One freeze from a {@link FreezeSource}, in GitLab's shape: a cron expression for the start, one for the end, and the
 * IANA zone both are read in. Active from the latest start until the next end, exactly as a {@code cron:} freeze of
 * {@code tollgate.yml} (docs/calendar.md), DST included.
 *
 * @param name the window's name in findings, e.g. {@code GitLab freeze}
 * @param cronStart 5-field cron expression of the start, e.g. {@code 0 23 * * 5}
 * @param cronEnd 5-field cron expression of the end, e.g. {@code 0 7 * * 1}
 * @param zone the zone the expressions are read in
 * @param source where it came from, shown with the window, e.g. {@code gitlab acme/shop freeze period 7}
 */
public record ImportedFreeze(String name, String cronStart, String cronEnd, ZoneId zone, String source) {
  public ImportedFreeze {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cronStart, "cronStart");
    Objects.requireNonNull(cronEnd, "cronEnd");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(source, "source");
  }
}
