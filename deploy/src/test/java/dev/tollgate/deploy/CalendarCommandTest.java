package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.probes.calendar.CalendarEngine;
import dev.tollgate.probes.calendar.FeedCache;
import dev.tollgate.probes.calendar.HolidayCalendar;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tollgate calendar}: exit codes, the issue's JSON, text, --upcoming and the repository's tightening. */
class CalendarCommandTest {
  private static final CalendarEngine ENGINE = new CalendarEngine(new HolidayCalendar(), FeedCache.standard());
  private static final String CONFIG = """
      environments:
        staging: {}
        production:
          calendar:
            regions: [us-east-1, eu-central-1]
            freezes:
              - name: Year-end freeze
                start: 2026-12-18T18:00
                end: 2027-01-04T09:00
                timeZone: Europe/Berlin
            businessHours:
              timeZone: Europe/Berlin
              open: {mon-thu: "09:00-17:00", fri: "09:00-15:00"}
      """;

  @TempDir
  Path dir;
  private Path config;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void writeConfig() throws IOException {
    config = dir.resolve("tollgate.yml");
    Files.writeString(config, CONFIG);
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new CalendarCommand(ENGINE, Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void blockedOnThanksgivingWithTheIssuesJson() throws Exception {
    int code = run("--env", "production", "--config", config.toString(), "--at", "2026-11-26T12:00:00Z", "--format", "json");
    assertEquals(CalendarCommand.BLOCKED, code, err.toString());
    JsonNode json = Json.mapper().readTree(out.toString());
    assertEquals(false, json.get("allowed").booleanValue());
    assertEquals("2026-11-26T12:00:00Z", json.get("at").asText());
    JsonNode w = json.get("blocking").get(0);
    assertEquals("holiday", w.get("kind").asText());
    assertEquals("Thanksgiving Day", w.get("name").asText());
    assertEquals("us-east-1 (US-VA)", w.get("region").asText());
    assertEquals("2026-11-26T05:00:00Z", w.get("start").asText());
    assertEquals("2026-11-27T05:00:00Z", w.get("end").asText());
    assertEquals("2026-11-26T00:00-05:00", w.get("startLocal").asText());
    assertEquals(1, json.get("blocking").size());
    // Friday 27th: Berlin closes at 15:00; Virginia's holiday ends at 05:00Z = 06:00 CET, before Berlin opens.
    assertEquals("2026-11-27T08:00:00Z", json.get("nextAllowed").asText());
  }

  @Test
  void allowedOnATuesdayMorningInBerlin() {
    assertEquals(CalendarCommand.ALLOWED, run("--env", "production", "--config", config.toString()));
    assertEquals("production at 2026-11-24T10:00:00Z: ALLOWED\n", out.toString());
  }

  @Test
  void textNamesEveryWindowAndTheNextTime() {
    // Friday 11:00 in Berlin is within business hours; the freeze and both Christmas days block.
    assertEquals(CalendarCommand.BLOCKED, run("--env", "production", "--config", config.toString(), "--at", "2026-12-25T10:00:00Z"));
    assertEquals("""
        production at 2026-12-25T10:00:00Z: BLOCKED
          freeze "Year-end freeze": 2026-12-18 18:00 – 2027-01-04 09:00 Europe/Berlin (2026-12-18 17:00Z – 2027-01-04 08:00Z)
          holiday "1st Christmas day" eu-central-1 (DE-HE): 2026-12-25 00:00 – 2026-12-26 00:00 Europe/Berlin (2026-12-24 23:00Z – 2026-12-25 23:00Z)
          holiday "Christmas" us-east-1 (US-VA): 2026-12-25 00:00 – 2026-12-26 00:00 America/New_York (2026-12-25 05:00Z – 2026-12-26 05:00Z)
        next allowed: 2027-01-04T08:00:00Z
        """, out.toString());
  }

  @Test
  void upcomingListsTheComingWindows() throws Exception {
    assertEquals(0, run("--env", "production", "--config", config.toString(), "--upcoming", "3d", "--format", "json"));
    JsonNode json = Json.mapper().readTree(out.toString());
    assertEquals("2026-11-27T10:00:00Z", json.get("to").asText());
    java.util.List<String> windows = new java.util.ArrayList<>();
    json.get("windows").forEach(w -> windows.add(w.get("kind").asText() + " " + w.get("start").asText()));
    assertEquals(java.util.List.of("business-hours 2026-11-24T16:00:00Z", "business-hours 2026-11-25T16:00:00Z",
        "holiday 2026-11-26T05:00:00Z", "business-hours 2026-11-26T16:00:00Z"), windows);
  }

  @Test
  void theRepositoryCanOnlyAdd() throws IOException {
    Path repoConfig = dir.resolve(".tollgate.yml");
    Files.writeString(repoConfig, """
        calendar:
          regions: [ap-northeast-1]
        """);
    // Tuesday 2026-11-03 is Culture Day in Tokyo (and Election Day in Virginia).
    assertEquals(CalendarCommand.BLOCKED, run("--env", "production", "--config", config.toString(), "--repo-config",
        repoConfig.toString(), "--at", "2026-11-03T01:00:00Z", "--format", "json"));
    assertTrue(out.toString().contains("\"region\":\"ap-northeast-1 (JP-13)\""), out.toString());
    Files.writeString(repoConfig, "calendar: {regionTable: {us-east-1: {country: SE}}}\n");
    assertEquals(CalendarCommand.ERROR, run("--env", "production", "--config", config.toString(), "--repo-config",
        repoConfig.toString()));
    assertTrue(err.toString().contains("calendar.regionTable: unknown key"), err.toString());
  }

  @Test
  void unreadableFeedBlocksWithNullEndAndNullNextAllowed() throws Exception {
    Path cfg = dir.resolve("feed.yml");
    Files.writeString(cfg, """
        environments:
          production:
            calendar:
              feeds: [{name: ops, url: "%s"}]
        """.formatted(dir.resolve("missing.ics").toUri()));
    assertEquals(CalendarCommand.BLOCKED, run("--env", "production", "--config", cfg.toString(), "--format", "json"));
    JsonNode json = Json.mapper().readTree(out.toString());
    assertTrue(json.get("nextAllowed").isNull(), out.toString());
    assertTrue(json.get("blocking").get(0).get("end").isNull(), out.toString());
    assertEquals("freeze", json.get("blocking").get(0).get("kind").asText());
  }

  @Test
  void errorsExitWithTwo() {
    assertEquals(CalendarCommand.ERROR, run("--env", "nope", "--config", config.toString()));
    assertEquals("tollgate calendar: --env: unknown environment \"nope\" (configured: [staging, production])\n", err.toString());
    assertEquals(CalendarCommand.ERROR, run("--env", "production", "--config", config.toString(), "--at", "tomorrow"));
    assertEquals(CalendarCommand.ERROR, run("--env", "production", "--config", config.toString(), "--format", "xml"));
  }

  @Test
  void registeredInTheTollgateCommand() {
    // Through the real entry point: an environment without a calendar is always allowed.
    assertEquals(0, Cli.run("calendar", "--env", "staging", "--config", config.toString(), "--at", "2026-12-25T10:00:00Z"));
    assertEquals(2, Cli.run("calendar", "--config", config.toString()));
  }
}
