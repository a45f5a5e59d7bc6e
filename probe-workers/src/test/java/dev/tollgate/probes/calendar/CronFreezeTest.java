package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** GitLab's deploy-freeze semantics (cron start, cron end, IANA zone), including DST nights. */
class CronFreezeTest {
  private static String active(CronFreeze f, Instant at) {
    return f.windows(at, at.plusNanos(1)).stream().filter(w -> w.contains(at)).map(w -> w.start() + "/" + w.end())
        .findFirst().orElse("-");
  }

  // GitLab's own example: frozen from Friday 23:00 to Monday 07:00 UTC.
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "2026-11-27T22:59:00Z, -",
      "2026-11-27T23:00:00Z, 2026-11-27T23:00:00Z/2026-11-30T07:00:00Z",
      "2026-11-29T12:00:00Z, 2026-11-27T23:00:00Z/2026-11-30T07:00:00Z",
      "2026-11-30T07:00:00Z, -",
      "2026-12-02T12:00:00Z, -",
  })
  void weekendFreeze(Instant at, String window) {
    CronFreeze f = new CronFreeze("weekend", "0 23 * * 5", "0 7 * * 1", ZoneOffset.UTC, "server", "freezes[0]");
    assertEquals(window, active(f, at));
  }

  // America/New_York, nightly 02:30 → 03:30. On 2026-03-08 02:30 does not exist: read as 03:30 EDT, the same instant as
  // the end, so the latest start is never later than the latest end and the freeze is not active that night (GitLab's
  // rule). On the next night it runs 06:30Z → 07:30Z.
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "2026-03-07T07:45:00Z, 2026-03-07T07:30:00Z/2026-03-07T08:30:00Z",  // EST: 02:30 = 07:30Z
      "2026-03-08T07:45:00Z, -",
      "2026-03-09T07:00:00Z, 2026-03-09T06:30:00Z/2026-03-09T07:30:00Z",  // EDT
  })
  void springForwardNight(Instant at, String window) {
    CronFreeze f = new CronFreeze("nightly", "30 2 * * *", "30 3 * * *", ZoneId.of("America/New_York"), "server", "freezes[0]");
    assertEquals(window, active(f, at));
  }

  // Fall back 2026-11-01: 01:30 happens twice; the start is the first (EDT, 05:30Z), the end 02:00 EST (07:00Z), so
  // the window covers the whole repeated hour.
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
      "2026-11-01T05:45:00Z, 2026-11-01T05:30:00Z/2026-11-01T07:00:00Z",  // 01:45 EDT
      "2026-11-01T06:15:00Z, 2026-11-01T05:30:00Z/2026-11-01T07:00:00Z",  // 01:15 EST, second pass
      "2026-11-01T07:00:00Z, -",
  })
  void fallBackNight(Instant at, String window) {
    CronFreeze f = new CronFreeze("nightly", "30 1 * * *", "0 2 * * *", ZoneId.of("America/New_York"), "server", "freezes[0]");
    assertEquals(window, active(f, at));
  }

  @Test
  void severalStartsBeforeOneEndBeginAtTheFirst() {
    // Starts daily at 18:00, ends only on Mondays 06:00: from Friday the freeze began at the first start after the
    // last end (Monday 18:00).
    CronFreeze f = new CronFreeze("rolling", "0 18 * * *", "0 6 * * 1", ZoneOffset.UTC, "server", "freezes[0]");
    assertEquals("2026-11-23T18:00:00Z/2026-11-30T06:00:00Z", active(f, Instant.parse("2026-11-27T12:00:00Z")));
  }

  @Test
  void windowsOfARangeAreContiguousAndOrdered() {
    CronFreeze f = new CronFreeze("weekend", "0 23 * * 5", "0 7 * * 1", ZoneOffset.UTC, "server", "freezes[0]");
    List<BlockingWindow> ws = f.windows(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-31T00:00:00Z"));
    assertEquals(4, ws.size());
    assertTrue(ws.stream().allMatch(w -> w.startLocal().getDayOfWeek() == java.time.DayOfWeek.FRIDAY));
  }

  @Test
  void badExpressionsNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CronFreeze("x", "0 25 * * *", "0 7 * * 1", ZoneOffset.UTC, "server", "freezes[2]"));
    assertTrue(e.getMessage().startsWith("freezes[2].cron.start: expected a 5-field cron expression"), e.getMessage());
    IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
        () -> new CronFreeze("x", "0 0 30 2 *", "0 7 * * 1", ZoneOffset.UTC, "server", "freezes[2]"));
    assertEquals("freezes[2].cron.start: the cron expression never matches a date, got \"0 0 30 2 *\"", never.getMessage());
  }
}
