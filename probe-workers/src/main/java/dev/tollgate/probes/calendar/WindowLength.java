package dev.tollgate.probes.calendar;

import java.time.Duration;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a recurring window lasts, as RFC 5545 §3.3.6 durations: weeks and days are nominal (same wall time on a
 * later day, whatever DST does in between), hours, minutes and seconds are exact. {@code P1D} across a spring-forward
 * night is 23 hours; {@code PT24H} is 24.
 */
record WindowLength(Period nominal, Duration exact) {
  private static final Pattern FORM = Pattern.compile("P(?:(\\d+)W)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?");

  static WindowLength parse(String text, String key) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT));
    if (!m.matches() || text.strip().equalsIgnoreCase("P") || text.strip().toUpperCase(java.util.Locale.ROOT).endsWith("T")) {
      throw new IllegalArgumentException(key + ": expected an ISO-8601 duration such as PT6H, P1D or P2DT12H, got \"" + text + "\"");
    }
    Period p = Period.ofDays(num(m.group(1)) * 7 + num(m.group(2)));
    Duration d = Duration.ofHours(num(m.group(3))).plusMinutes(num(m.group(4))).plusSeconds(num(m.group(5)));
    if (p.isZero() && d.isZero()) {
      throw new IllegalArgumentException(key + ": expected a positive duration, got \"" + text + "\"");
    }
    return new WindowLength(p, d);
  }

  static WindowLength of(Duration exact) {
    return new WindowLength(Period.ZERO, exact);
  }

  static WindowLength ofDays(int days) {
    return new WindowLength(Period.ofDays(days), Duration.ZERO);
  }

  /** The end of a window that starts at {@code start}. */
  ZonedDateTime endOf(ZonedDateTime start) {
    return start.plus(nominal).plus(exact);
  }

  /** An upper bound of the length, for look-back when searching windows that started before a range. */
  Duration atMost() {
    return Duration.ofDays(nominal.getDays() + 1L).plus(exact);
  }

  private static int num(String s) {
    return s == null ? 0 : Integer.parseInt(s);
  }
}
