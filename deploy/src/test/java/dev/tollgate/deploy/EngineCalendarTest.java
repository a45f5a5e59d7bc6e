package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.gate.calendar.EnvironmentCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineCalendarTest {
  private final EngineCalendar calendar = EngineCalendar.of(ServerConfigFileAccess.parse("""
      environments:
        production:
          calendar:
            regions: [us-east-1]
            freezes:
              - {name: Year-end freeze, start: "2026-12-18T17:00:00Z", end: "2027-01-04T09:00:00Z"}
        staging: {}
        broken:
          calendar: {regions: [nowhere-1]}
      """));

  @Test
  void aFreezeBlocksAndNamesTheNextAllowedTime() {
    EnvironmentCalendar.Decision d = calendar.decision("production", Instant.parse("2026-12-20T12:00:00Z"));
    assertFalse(d.allowed());
    assertEquals("Year-end freeze", d.blocking().get(0).name());
    assertEquals("freeze", d.blocking().get(0).kind());
    assertEquals("UTC", d.blocking().get(0).zone(), "an IANA name the browser can use, not \"Z\"");
    // Christmas (US-VA) lies inside the freeze; the first free instant is the freeze's end.
    assertEquals(Instant.parse("2027-01-04T09:00:00Z"), d.nextAllowed());
  }

  @Test
  void upcomingListsHolidaysPerRegionAndFreezesForAll() {
    List<EnvironmentCalendar.Window> w = calendar.upcoming("production", Instant.parse("2026-11-20T00:00:00Z"), Duration.ofDays(30));
    EnvironmentCalendar.Window thanksgiving = w.stream().filter(x -> x.name().contains("Thanksgiving")).findFirst().orElseThrow();
    assertEquals("holiday", thanksgiving.kind());
    assertTrue(thanksgiving.region().contains("US-VA"), thanksgiving.region());
    assertEquals("America/New_York", thanksgiving.zone());
    assertEquals(Instant.parse("2026-11-26T05:00:00Z"), thanksgiving.start());
    assertTrue(w.stream().anyMatch(x -> x.kind().equals("freeze") && x.region() == null));
  }

  @Test
  void anEnvironmentWithoutACalendarIsAlwaysOpen() {
    EnvironmentCalendar.Decision d = calendar.decision("staging", Instant.parse("2026-12-25T12:00:00Z"));
    assertTrue(d.allowed());
    assertEquals(Instant.parse("2026-12-25T12:00:00Z"), d.nextAllowed());
  }

  @Test
  void unknownEnvironmentsAndUnreadablePoliciesAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> calendar.decision("nope", Instant.now()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calendar.decision("broken", Instant.now()));
    assertTrue(e.getMessage().contains("nowhere-1"), e.getMessage());
  }
}
