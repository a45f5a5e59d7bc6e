package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading and merging policies: the repository only tightens; the documented example parses. */
class CalendarPolicyTest {
  private static CalendarPolicy merged(String server, String repo) {
    return CalendarPolicy.parse("production", Policies.yaml(server), List.of(Policies.yaml(repo)), p -> Optional.empty(),
        Policies.HOLIDAYS);
  }

  @Test
  void theDocumentedServerExampleParses() {
    CalendarPolicy p = Policies.server("""
        timeZone: Europe/Berlin
        regions:
          - us-east-1
          - europe-west3
          - DE-BY
          - {country: US, subdivision: TX, zone: America/Chicago, name: dallas-office}
          - {code: my-dc-1}
        regionTable:
          my-dc-1: {country: NL, zone: Europe/Amsterdam}
          us-east-1: {country: US, subdivision: NY, zone: America/New_York}
        holidays:
          block: [day, day-before, bridge]
          include: [public, bank]
          add:
            - {date: 2026-12-24, name: Christmas Eve (company), regions: [DE, US-VA]}
          remove:
            - {date: 2026-08-03, regions: [AU-NSW]}
        freezes:
          - name: Year-end freeze
            reason: CHG-1234
            start: 2026-12-18T18:00
            end: 2027-01-04T09:00
            timeZone: America/New_York
          - name: Weekend
            cron: {start: "0 23 * * 5", end: "0 7 * * 1"}
            timeZone: UTC
          - name: Patch night
            rrule: FREQ=MONTHLY;BYDAY=2TU
            start: 2026-01-13T20:00
            duration: PT3H
            exdates: [2026-12-08T20:00]
        feeds:
          - name: change-calendar
            url: https://calendar.example.com/freezes.ics
            onError: last-good
            refresh: 15m
            maxStale: 1d
            timeZone: Europe/Berlin
        businessHours:
          timeZone: Europe/Berlin
          open: {mon-thu: "09:00-17:00", fri: "09:00-15:00"}
        """);
    assertEquals(List.of("us-east-1 (US-NY)", "europe-west3 (DE-HE)", "DE-BY", "dallas-office (US-TX)", "my-dc-1 (NL)"),
        p.regions().stream().map(Region::label).toList());
    assertEquals(1, p.feeds().size());
    // 2026-12-08 is the second Tuesday of December, excluded: only the business-hours window remains at 20:30.
    CalendarDecision d = Policies.ENGINE.evaluate(p, Instant.parse("2026-12-08T19:30:00Z"));
    assertTrue(d.blocking().stream().noneMatch(w -> w.name().equals("Patch night")), d.blocking().toString());
  }

  @Test
  void repositoryOptionsAddToTheServers() {
    CalendarPolicy p = merged("regions: [DE-HE]", "holidays: {block: [bridge]}");
    // The server's default [day] stays when the repository names only bridge days: Ascension and its bridge Friday.
    assertFalse(Policies.ENGINE.evaluate(p, Instant.parse("2026-05-14T10:00:00Z")).allowed());
    assertFalse(Policies.ENGINE.evaluate(p, Instant.parse("2026-05-15T10:00:00Z")).allowed());
    // Likewise include: [bank] from the repository adds bank holidays and keeps public ones.
    CalendarPolicy banks = merged("regions: [CA-ON]", "holidays: {include: [bank]}");
    assertFalse(Policies.ENGINE.evaluate(banks, Instant.parse("2026-08-03T16:00:00Z")).allowed(), "Civic Holiday (bank)");
    assertFalse(Policies.ENGINE.evaluate(banks, Instant.parse("2026-07-01T16:00:00Z")).allowed(), "Canada Day (public)");
  }

  @Test
  void serverCanRemoveAHoliday() {
    CalendarPolicy p = Policies.server("""
        regions: [AU-NSW]
        holidays: {remove: [{date: 2026-08-03, regions: [AU-NSW]}]}
        """);
    assertTrue(Policies.ENGINE.evaluate(p, Instant.parse("2026-08-03T02:00:00Z")).allowed());
  }

  @Test
  void repositoryCannotRemapARegionOrRemoveHolidays() {
    assertThrows(IllegalArgumentException.class, () -> merged("regions: [us-east-1]", "regionTable: {x: {country: SE}}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> merged("regions: [us-east-1]", "holidays: {remove: [{date: 2026-11-26}]}"));
    assertEquals(".tollgate.yml calendar.holidays.remove: unknown key (known: [add, block, include])", e.getMessage());
  }

  @Test
  void countrySpanningSeveralZonesNeedsOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.server("regions: [US-FL]"));
    assertEquals("server calendar.regions[0]: region US-FL spans several time zones or is not built in: name it as "
        + "{country: US, subdivision: FL, zone: <IANA zone>}", e.getMessage());
  }

  @Test
  void repositoryFreezesUseTheServersZoneUnlessTheyNameOne() {
    CalendarPolicy p = merged("timeZone: Asia/Tokyo", "freezes: [{name: Launch, start: 2026-07-01T09:00, end: 2026-07-01T18:00}]");
    CalendarDecision d = Policies.ENGINE.evaluate(p, Instant.parse("2026-07-01T00:30:00Z"));
    assertEquals("2026-07-01T00:00:00Z", d.blocking().get(0).start().toString()); // 09:00 JST
    assertEquals("repository", d.blocking().get(0).source());
  }

  @Test
  void badValuesNameTheirKey() {
    assertEquals("server calendar.businessHours.open.fri: expected HH:MM-HH:MM, got \"9-15\"",
        assertThrows(IllegalArgumentException.class, () -> Policies.server("businessHours: {open: {fri: 9-15}}")).getMessage());
    assertEquals("server calendar.freezes[0].timeZone: expected an IANA time zone such as Europe/Berlin, got \"CEST\"",
        assertThrows(IllegalArgumentException.class, () -> Policies.server(
            "freezes: [{name: x, start: 2026-01-01, end: 2026-01-02, timeZone: CEST}]")).getMessage());
    assertEquals("server calendar.holidays.block: expected day, day-before or bridge, got \"week\"",
        assertThrows(IllegalArgumentException.class, () -> Policies.server("holidays: {block: [week]}")).getMessage());
  }
}
