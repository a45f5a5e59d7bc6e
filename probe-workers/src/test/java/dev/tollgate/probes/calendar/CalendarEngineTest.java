package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decisions of the engine at fixed instants: DST edges in America/New_York, Europe/Berlin and Australia/Sydney, leap
 * days, year ends, several regions in different zones at once, and the next allowed time across chains of windows.
 */
class CalendarEngineTest {
  private static final CalendarEngine ENGINE = Policies.ENGINE;

  /** One line per blocking window: {@code kind name region start end}. */
  private static String blocking(CalendarDecision d) {
    return d.blocking().stream().map(w -> w.kind().label() + " " + w.name() + " " + w.region() + " " + w.start() + " " + w.end())
        .collect(Collectors.joining("\n"));
  }

  // America/New_York springs forward on 2026-03-08 at 02:00 EST (07:00Z) to 03:00 EDT. A freeze from 01:30 to 03:30
  // wall time that night lasts one hour: 06:30Z to 07:30Z.
  private static final CalendarPolicy NEW_YORK_SPRING_NIGHT = Policies.server("""
      freezes:
        - name: Spring-forward maintenance
          start: 2026-03-08T01:30
          end: 2026-03-08T03:30
          timeZone: America/New_York
      """);

  @ParameterizedTest(name = "{0} → allowed {1}, next {2}")
  @CsvSource({
      "2026-03-08T06:29:59Z, true,  2026-03-08T06:29:59Z",
      "2026-03-08T06:30:00Z, false, 2026-03-08T07:30:00Z",
      "2026-03-08T07:00:00Z, false, 2026-03-08T07:30:00Z",  // 03:00 EDT: the wall clock skipped 02:00-03:00
      "2026-03-08T07:29:59Z, false, 2026-03-08T07:30:00Z",
      "2026-03-08T07:30:00Z, true,  2026-03-08T07:30:00Z",
  })
  void oneOffFreezeAcrossSpringForwardInNewYork(Instant at, boolean allowed, Instant next) {
    CalendarDecision d = ENGINE.evaluate(NEW_YORK_SPRING_NIGHT, at);
    assertEquals(allowed, d.allowed(), blocking(d));
    assertEquals(next, d.nextAllowed());
    if (!allowed) {
      BlockingWindow w = d.blocking().get(0);
      assertEquals(Duration.ofHours(1), Duration.between(w.start(), w.end()));
      assertEquals("2026-03-08T01:30-05:00[America/New_York]", w.startLocal().toString());
      assertEquals("2026-03-08T03:30-04:00[America/New_York]", w.endLocal().toString());
    }
  }

  // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET. A weekly Sunday 02:30 window
  // of one hour: on the spring night 02:30 does not exist and is read with the offset before the gap (RFC 5545
  // §3.3.5): 02:30 CET = 01:30Z. On the autumn night 02:30 happens twice and the first one (CEST, 00:30Z) is taken.
  private static final CalendarPolicy BERLIN_SUNDAYS = Policies.server("""
      timeZone: Europe/Berlin
      freezes:
        - name: Sunday batch
          rrule: FREQ=WEEKLY;BYDAY=SU
          start: 2026-01-04T02:30
          duration: PT1H
      """);

  @ParameterizedTest(name = "{0} → allowed {1}")
  @CsvSource({
      "2026-03-22T01:29:59Z, true,  ",                       // a normal winter Sunday: 02:30 CET = 01:30Z
      "2026-03-22T01:30:00Z, false, 2026-03-22T02:30:00Z",
      "2026-03-29T01:30:00Z, false, 2026-03-29T02:30:00Z",   // spring night: 03:30 CEST on the wall
      "2026-03-29T02:30:00Z, true,  ",
      "2026-04-05T00:30:00Z, false, 2026-04-05T01:30:00Z",   // summer: 02:30 CEST = 00:30Z
      "2026-10-25T00:30:00Z, false, 2026-10-25T01:30:00Z",   // autumn night: first 02:30 (CEST)
      "2026-10-25T01:45:00Z, true,  ",                       // the second 02:45 (CET) is after the window
      "2026-11-01T01:30:00Z, false, 2026-11-01T02:30:00Z",   // winter again
  })
  void weeklyWindowAcrossBothBerlinTransitions(Instant at, boolean allowed, Instant end) {
    CalendarDecision d = ENGINE.evaluate(BERLIN_SUNDAYS, at);
    assertEquals(allowed, d.allowed(), blocking(d));
    if (!allowed) {
      assertEquals(end, d.blocking().get(0).end());
      assertEquals(end, d.nextAllowed());
    }
  }

  // Australia/Sydney: DST starts 2026-10-04 02:00 AEST → 03:00 AEDT. Business hours close Friday 17:00 AEST (07:00Z)
  // and open Monday 09:00 AEDT (Sunday 22:00Z): 63 hours, not 64.
  @Test
  void businessHoursAcrossSydneySpringForward() {
    CalendarPolicy p = Policies.server("""
        businessHours:
          timeZone: Australia/Sydney
          open: {mon-fri: "09:00-17:00"}
        """);
    CalendarDecision d = ENGINE.evaluate(p, Instant.parse("2026-10-03T02:00:00Z"));
    assertFalse(d.allowed());
    BlockingWindow w = d.blocking().get(0);
    assertEquals(WindowKind.BUSINESS_HOURS, w.kind());
    assertEquals(Instant.parse("2026-10-02T07:00:00Z"), w.start());
    assertEquals(Instant.parse("2026-10-04T22:00:00Z"), w.end());
    assertEquals(Duration.ofHours(63), Duration.between(w.start(), w.end()));
    assertEquals(Instant.parse("2026-10-04T22:00:00Z"), d.nextAllowed());
    // And autumn: DST ends 2026-04-05 03:00 AEDT → 02:00 AEST; Friday 17:00 AEDT (06:00Z) to Monday 09:00 AEST (23:00Z).
    CalendarDecision autumn = ENGINE.evaluate(p, Instant.parse("2026-04-04T00:00:00Z"));
    assertEquals(Duration.ofHours(65), Duration.between(autumn.blocking().get(0).start(), autumn.blocking().get(0).end()));
  }

  // Tokyo's Silver Week 2026 (Mon 21 Respect for the Aged Day, Tue 22 Citizens' Holiday, Wed 23 Autumnal Equinox)
  // follows a weekend, while Frankfurt is in business hours. The next allowed time chains the weekend and the three
  // Japanese holidays, then lands inside Berlin's hours: 2026-09-24 00:00 JST = 2026-09-23 15:00Z = 17:00 CEST.
  private static final CalendarPolicy TOKYO_AND_FRANKFURT = Policies.server("""
      regions: [ap-northeast-1, eu-central-1]
      businessHours:
        timeZone: Europe/Berlin
        open: {mon-fri: "08:00-18:00"}
      """);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // Saturday: closed in Berlin; Monday 08:00 CEST Berlin opens but Tokyo is on holiday until Thursday.
      "2026-09-19T10:00:00Z | business-hours | 2026-09-23T15:00:00Z",
      // Monday 10:00 CEST: Berlin is in business hours, Tokyo's holiday blocks.
      "2026-09-21T08:00:00Z | holiday        | 2026-09-23T15:00:00Z",
      // Wednesday 16:00 CEST: still the equinox in Tokyo (until 00:00 JST).
      "2026-09-23T14:00:00Z | holiday        | 2026-09-23T15:00:00Z",
  })
  void nextAllowedAcrossAHolidayAfterAWeekendInOneRegionWhileTheOtherIsInBusinessHours(Instant at, String kind, Instant next) {
    CalendarDecision d = ENGINE.evaluate(TOKYO_AND_FRANKFURT, at);
    assertFalse(d.allowed());
    assertEquals(kind, d.blocking().get(0).kind().label(), blocking(d));
    assertEquals(next, d.nextAllowed());
    assertTrue(ENGINE.evaluate(TOKYO_AND_FRANKFURT, next).allowed());
  }

  @Test
  void holidayWindowsCarryRegionAndLocalDay() {
    CalendarDecision d = ENGINE.evaluate(TOKYO_AND_FRANKFURT, Instant.parse("2026-09-21T08:00:00Z"));
    assertEquals("holiday Respect-for-the-Aged Day ap-northeast-1 (JP-13) 2026-09-20T15:00:00Z 2026-09-21T15:00:00Z", blocking(d));
    assertEquals("2026-09-21T00:00+09:00[Asia/Tokyo]", d.blocking().get(0).startLocal().toString());
  }

  // New Year 2027: the same date is a different span in Tokyo (UTC+9) and Virginia (UTC-5); both block at 06:00Z.
  @Test
  void yearEndInSeveralZonesAndAFreezeAcrossIt() {
    CalendarPolicy p = Policies.server("""
        regions: [ap-northeast-1, us-east-1]
        freezes:
          - name: Year-end freeze
            reason: CHG-1234
            start: 2026-12-19
            end: 2027-01-04T09:00
            timeZone: America/New_York
        """);
    CalendarDecision d = ENGINE.evaluate(p, Instant.parse("2027-01-01T06:00:00Z"));
    assertEquals("""
        freeze Year-end freeze (CHG-1234) null 2026-12-19T05:00:00Z 2027-01-04T14:00:00Z
        holiday New Year's Day ap-northeast-1 (JP-13) 2026-12-31T15:00:00Z 2027-01-01T15:00:00Z
        holiday New Year's Day us-east-1 (US-VA) 2027-01-01T05:00:00Z 2027-01-02T05:00:00Z""".strip(), blocking(d));
    assertEquals(Instant.parse("2027-01-04T14:00:00Z"), d.nextAllowed());
    // Dec 31 2026 23:30 in New York (04:30Z on Jan 1): the Virginia New Year has not begun, Tokyo's has.
    CalendarDecision eve = ENGINE.evaluate(p, Instant.parse("2027-01-01T04:30:00Z"));
    assertEquals(List.of("Year-end freeze (CHG-1234)", "New Year's Day"), eve.blocking().stream().map(BlockingWindow::name).toList());
    assertEquals("ap-northeast-1 (JP-13)", eve.blocking().get(1).region());
  }

  @ParameterizedTest(name = "{0} → allowed {1}")
  @CsvSource({
      "2028-02-29T12:00:00Z, false",  // the leap day itself
      "2028-02-28T12:00:00Z, true",
      "2028-03-01T12:00:00Z, true",
      "2027-02-28T12:00:00Z, true",   // no February 29 in 2027: no occurrence at all
      "2027-03-01T12:00:00Z, true",
  })
  void leapDayOnlyRule(Instant at, boolean allowed) {
    CalendarPolicy p = Policies.server("""
        timeZone: Europe/Berlin
        freezes:
          - name: Leap-day ledger close
            rrule: FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29
            start: 2024-02-29
        """);
    CalendarDecision d = ENGINE.evaluate(p, at);
    assertEquals(allowed, d.allowed(), blocking(d));
    if (!allowed) {
      assertEquals(Instant.parse("2028-02-28T23:00:00Z"), d.blocking().get(0).start());
      assertEquals(Instant.parse("2028-02-29T23:00:00Z"), d.nextAllowed());
    }
  }

  // Hesse, Ascension Day 2026 (Thursday May 14): the day before and the bridge Friday block by policy.
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2026-05-13T10:00:00Z | day before Ascension Day",
      "2026-05-14T10:00:00Z | Ascension Day",
      "2026-05-15T10:00:00Z | bridge day (Ascension Day)",
  })
  void dayBeforeAndBridgeDay(Instant at, String name) {
    CalendarPolicy p = Policies.server("""
        regions: [DE-HE]
        holidays: {block: [day, day-before, bridge]}
        """);
    CalendarDecision d = ENGINE.evaluate(p, at);
    assertEquals(name, d.blocking().get(0).name());
    // Saturday is allowed (no business hours here): 2026-05-16 00:00 CEST.
    assertEquals(Instant.parse("2026-05-15T22:00:00Z"), d.nextAllowed());
  }

  @Test
  void withoutOptionsOnlyTheHolidayBlocks() {
    CalendarPolicy p = Policies.server("regions: [DE-HE]");
    assertTrue(ENGINE.evaluate(p, Instant.parse("2026-05-13T10:00:00Z")).allowed());
    assertTrue(ENGINE.evaluate(p, Instant.parse("2026-05-15T10:00:00Z")).allowed());
  }

  @Test
  void upcomingListsWindowsInOrder() {
    List<BlockingWindow> next = ENGINE.upcoming(TOKYO_AND_FRANKFURT, Instant.parse("2026-09-18T00:00:00Z"), Duration.ofDays(7));
    assertEquals(List.of("business-hours 2026-09-17T16:00:00Z", "business-hours 2026-09-18T16:00:00Z",
        "holiday 2026-09-20T15:00:00Z", "holiday 2026-09-21T15:00:00Z", "business-hours 2026-09-21T16:00:00Z",
        "holiday 2026-09-22T15:00:00Z", "business-hours 2026-09-22T16:00:00Z", "business-hours 2026-09-23T16:00:00Z",
        "business-hours 2026-09-24T16:00:00Z"),
        next.stream().map(w -> w.kind().label() + " " + w.start()).toList());
  }

  @Test
  void emptyPolicyAllowsEverything() {
    CalendarDecision d = ENGINE.evaluate(CalendarPolicy.none("production"), Instant.parse("2026-12-25T12:00:00Z"));
    assertTrue(d.allowed());
    assertEquals(d.at(), d.nextAllowed());
  }

  @Test
  void nothingFreeWithinTheHorizonGivesNoNextTime() {
    CalendarPolicy p = Policies.server("""
        freezes:
          - {name: Moratorium, start: 2026-01-01, end: 2028-01-01, timeZone: UTC}
        """);
    CalendarDecision d = ENGINE.evaluate(p, Instant.parse("2026-06-01T00:00:00Z"));
    assertFalse(d.allowed());
    assertNull(d.nextAllowed());
  }
}
