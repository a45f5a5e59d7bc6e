package dev.tollgate.contracts;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every Tollgate configuration file: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}, or an ISO-8601 duration ({@code PT30S}).
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @param key the configuration key, named in the error
   * @throws IllegalArgumentException {@code key: expected a duration like 30s, 5m or PT30S, got "x"}
   */
  public static Duration parse(String text, String key) {
    if (text != null) {
      String t = text.strip();
      Matcher m = SIMPLE.matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      if (t.startsWith("P") || t.startsWith("p")) {
        try {
          return Duration.parse(t);
        } catch (RuntimeException e) {
          // fall through to the error below
        }
      }
    }
    throw new IllegalArgumentException(key + ": expected a duration like 30s, 5m or PT30S, got "
        + (text == null ? "nothing" : "\"" + Checks.abbreviate(text) + "\""));
  }

  /** Formats for humans: {@code 30s}, {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillisPart() == 0 ? s + "s" : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long rest = s % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (rest > 0 ? rest + "s" : "");
  }
}
