package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecurrenceTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void utcUntilIsComparedAsAnInstant() {
    // Tuesday 20:00 Berlin; UNTIL 2026-04-21T18:00:00Z is exactly 20:00 CEST that day, so that occurrence is the last.
    Recurrence r = new Recurrence(WindowKind.FREEZE, "Patch night", LocalDateTime.parse("2026-04-07T20:00"), false, BERLIN,
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260421T180000Z", Set.of(), Set.of(), WindowLength.of(Duration.ofHours(3)), "test");
    List<Instant> starts = r.windows(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-05-31T00:00:00Z")).stream()
        .map(BlockingWindow::start).toList();
    assertEquals(List.of(Instant.parse("2026-04-07T18:00:00Z"), Instant.parse("2026-04-14T18:00:00Z"),
        Instant.parse("2026-04-21T18:00:00Z")), starts);
  }

  @Test
  void nominalDayKeepsTheWallTimeAcrossDst() {
    // P1D from Saturday 2026-03-28 12:00 CET ends Sunday 12:00 CEST: 23 hours.
    Recurrence r = new Recurrence(WindowKind.FREEZE, "Day", LocalDateTime.parse("2026-03-28T12:00"), false, BERLIN, null,
        Set.of(), Set.of(), WindowLength.parse("P1D", "duration"), "test");
    BlockingWindow w = r.windows(Instant.parse("2026-03-28T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")).get(0);
    assertEquals(Duration.ofHours(23), Duration.between(w.start(), w.end()));
  }

  @Test
  void minutelyRulesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Recurrence(WindowKind.FREEZE, "x",
        LocalDateTime.parse("2026-01-01T00:00"), false, BERLIN, "FREQ=MINUTELY", Set.of(), Set.of(),
        WindowLength.of(Duration.ofMinutes(1)), "test"));
    assertEquals("freeze x: rrule: FREQ=MINUTELY is not supported for windows (use HOURLY or longer)", e.getMessage());
  }
}
