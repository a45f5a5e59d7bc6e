package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iCalendar feeds served by a real HTTP server on loopback: RRULE with EXDATE and a moved instance, a feed that fails
 * (fail closed, or last good copy within maxStale), and caching on an injected ticker (no sleeping).
 */
class FeedCacheTest {
  /** Weekly Tuesday 20:00–23:00 Berlin patch night from 2026-03-03, except 2026-03-17; 2026-03-24 moved to Wednesday. */
  static final String FEED = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tollgate//test//EN",
      "BEGIN:VEVENT", "UID:patch@example.com", "DTSTAMP:20260101T000000Z", "SUMMARY:Patch night",
      "DTSTART;TZID=Europe/Berlin:20260303T200000", "DTEND;TZID=Europe/Berlin:20260303T230000",
      "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260428T000000Z", "EXDATE;TZID=Europe/Berlin:20260317T200000", "END:VEVENT",
      "BEGIN:VEVENT", "UID:patch@example.com", "DTSTAMP:20260101T000000Z", "SUMMARY:Patch night (moved)",
      "RECURRENCE-ID;TZID=Europe/Berlin:20260324T200000",
      "DTSTART;TZID=Europe/Berlin:20260325T200000", "DTEND;TZID=Europe/Berlin:20260325T230000", "END:VEVENT",
      "BEGIN:VEVENT", "UID:xmas@example.com", "DTSTAMP:20260101T000000Z", "SUMMARY:Christmas freeze",
      "DTSTART;VALUE=DATE:20261224", "DTEND;VALUE=DATE:20261227", "END:VEVENT",
      "BEGIN:VEVENT", "UID:cancelled@example.com", "DTSTAMP:20260101T000000Z", "SUMMARY:Cancelled", "STATUS:CANCELLED",
      "DTSTART:20260310T000000Z", "DURATION:P1D", "END:VEVENT",
      "END:VCALENDAR", "");

  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> body = new AtomicReference<>(FEED);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private URI url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/freezes.ics", exchange -> {
      requests.incrementAndGet();
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/calendar");
      exchange.sendResponseHeaders(status.get(), status.get() == 200 ? bytes.length : -1);
      if (status.get() == 200) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/freezes.ics");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private CalendarEngine engine() {
    return new CalendarEngine(Policies.HOLIDAYS, new FeedCache(new FeedCache.HttpFetcher(), nanos::get));
  }

  private static CalendarPolicy policy(String url, String onError) {
    return Policies.server("""
        feeds:
          - name: change-calendar
            url: %s
            onError: %s
            refresh: 15m
            maxStale: 1d
            timeZone: Europe/Berlin
        """.formatted(url, onError));
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void rruleWithExdateAndMovedInstance() {
    CalendarEngine engine = engine();
    CalendarPolicy p = policy(url.toString(), "fail-closed");
    List<String> windows = engine.upcoming(p, Instant.parse("2026-03-01T00:00:00Z"), Duration.ofDays(60)).stream()
        .map(w -> w.name() + " " + w.startLocal().toLocalDateTime() + " " + w.start()).toList();
    assertEquals(List.of(
        "Patch night 2026-03-03T20:00 2026-03-03T19:00:00Z",
        "Patch night 2026-03-10T20:00 2026-03-10T19:00:00Z",
        // 03-17 excluded (EXDATE); 03-24 replaced by the moved instance on Wednesday
        "Patch night (moved) 2026-03-25T20:00 2026-03-25T19:00:00Z",
        // Berlin is on summer time from 03-29: still 20:00 on the wall, 18:00Z
        "Patch night 2026-03-31T20:00 2026-03-31T18:00:00Z",
        "Patch night 2026-04-07T20:00 2026-04-07T18:00:00Z",
        "Patch night 2026-04-14T20:00 2026-04-14T18:00:00Z",
        "Patch night 2026-04-21T20:00 2026-04-21T18:00:00Z"), windows);
    CalendarDecision xmas = engine.evaluate(p, Instant.parse("2026-12-25T12:00:00Z"));
    assertEquals("Christmas freeze", xmas.blocking().get(0).name());
    assertEquals(Instant.parse("2026-12-26T23:00:00Z"), xmas.nextAllowed()); // Dec 27 00:00 CET
    assertTrue(engine.evaluate(p, Instant.parse("2026-03-10T12:00:00Z")).allowed(), "cancelled event blocks nothing");
  }

  @Test
  void failingFeedFailsClosedWithNoNextTime() {
    status.set(500);
    CalendarDecision d = engine().evaluate(policy(url.toString(), "fail-closed"), Instant.parse("2026-06-01T10:00:00Z"));
    assertFalse(d.allowed());
    BlockingWindow w = d.blocking().get(0);
    assertEquals(WindowKind.FREEZE, w.kind());
    assertEquals("feed change-calendar unavailable: feed change-calendar could not be read: HTTP 500", w.name());
    assertNull(w.end());
    assertNull(d.nextAllowed());
  }

  @Test
  void unparseableFeedFailsClosed() {
    body.set("<html>login page</html>");
    CalendarDecision d = engine().evaluate(policy(url.toString(), "fail-closed"), Instant.parse("2026-06-01T10:00:00Z"));
    assertFalse(d.allowed());
    assertTrue(d.blocking().get(0).name().contains("not a valid iCalendar file"), d.blocking().get(0).name());
  }

  @Test
  void cachedForTheRefreshTimeThenFetchedAgain() {
    CalendarEngine engine = engine();
    CalendarPolicy p = policy(url.toString(), "fail-closed");
    Instant at = Instant.parse("2026-06-01T10:00:00Z");
    engine.evaluate(p, at);
    engine.evaluate(p, at);
    assertEquals(1, requests.get());
    advance(Duration.ofMinutes(16));
    engine.evaluate(p, at);
    assertEquals(2, requests.get());
  }

  @Test
  void lastGoodCopyIsUsedWithinMaxStaleThenFailsClosed() {
    CalendarEngine engine = engine();
    CalendarPolicy p = policy(url.toString(), "last-good");
    Instant xmas = Instant.parse("2026-12-25T12:00:00Z");
    assertFalse(engine.evaluate(p, xmas).allowed());
    status.set(503);
    advance(Duration.ofHours(2));
    CalendarDecision stale = engine.evaluate(p, xmas);
    assertEquals("Christmas freeze", stale.blocking().get(0).name(), "the last good copy still blocks Christmas");
    assertEquals(List.of("feed change-calendar could not be read: HTTP 503; using the last good copy, 2h old"), stale.warnings());
    assertTrue(engine.evaluate(p, Instant.parse("2026-06-01T10:00:00Z")).allowed());
    advance(Duration.ofHours(23)); // 25 h old: more than maxStale 1d
    CalendarDecision expired = engine.evaluate(p, Instant.parse("2026-06-01T10:00:00Z"));
    assertFalse(expired.allowed());
    assertTrue(expired.blocking().get(0).name().endsWith("the last good copy is 1d1h old, more than maxStale 1d")
        || expired.blocking().get(0).name().contains("more than maxStale"), expired.blocking().get(0).name());
  }

  @Test
  void failedFetchIsNotRetriedDuringTheBackoff() {
    status.set(500);
    CalendarEngine engine = engine();
    CalendarPolicy p = policy(url.toString(), "fail-closed");
    Instant at = Instant.parse("2026-06-01T10:00:00Z");
    engine.evaluate(p, at);
    engine.evaluate(p, at);
    assertEquals(1, requests.get());
    status.set(200);
    advance(FeedCache.FAILURE_BACKOFF.plusSeconds(1));
    assertTrue(engine.evaluate(p, at).allowed());
    assertEquals(2, requests.get());
  }

  @Test
  void feedFromAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("freezes.ics");
    Files.writeString(file, FEED);
    CalendarPolicy p = policy(file.toString(), "fail-closed");
    assertFalse(engine().evaluate(p, Instant.parse("2026-12-24T12:00:00Z")).allowed());
  }

  @Test
  void plainHttpToAnotherHostIsRefused() {
    FeedCache cache = new FeedCache(new FeedCache.HttpFetcher(), nanos::get);
    FeedSpec spec = new FeedSpec("x", URI.create("http://example.invalid/x.ics"), null, FeedSpec.OnError.FAIL_CLOSED,
        Duration.ofMinutes(1), Duration.ofDays(1), ZoneOffset.UTC, "server");
    assertTrue(cache.load(spec).error().contains("only https URLs"), cache.load(spec).error());
  }

  @Test
  void repositoryFeedIsReadFromTheCandidate() {
    CalendarPolicy p = CalendarPolicy.parse("production", Policies.yaml("{}"),
        List.of(Policies.yaml("feeds: [{name: team, path: ops/freezes.ics, timeZone: Europe/Berlin}]")),
        path -> path.equals("ops/freezes.ics") ? Optional.of(FEED) : Optional.empty(), Policies.HOLIDAYS);
    CalendarDecision d = engine().evaluate(p, Instant.parse("2026-12-24T12:00:00Z"));
    assertEquals("feed team", d.blocking().get(0).source());
    assertEquals(0, requests.get());
  }
}
