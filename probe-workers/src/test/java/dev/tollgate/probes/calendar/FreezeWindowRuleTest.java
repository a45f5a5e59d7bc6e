package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezeWindowRuleTest {
  private static final String SERVER = """
      defaults:
        calendar:
          timeZone: Europe/Berlin
          freezes:
            - name: Year-end freeze
              start: 2026-12-18T18:00
              end: 2027-01-04T09:00
            - name: Weekend
              cron: {start: "0 23 * * 5", end: "0 7 * * 1"}
              timeZone: UTC
      """;
  private final RuleHarness harness = RuleHarness.of(new FreezeWindowRule()).withServerConfig(SERVER);

  @Test
  void flagsDeployInTheYearEndFreeze(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    RuleHarness inFreeze = harness.at(Instant.parse("2026-12-22T10:00:00Z"));
    inFreeze.assertViolations(repo, """
        BLOCK calendar/freeze-window -
          Change freeze: Year-end freeze, 2026-12-18 18:00 – 2027-01-04 09:00 Europe/Berlin (2026-12-18 17:00Z – \
        2027-01-04 08:00Z). Next allowed deploy: 2027-01-04 09:00 Europe/Berlin (2027-01-04 08:00Z).
        """);
    assertEquals(Instant.parse("2027-01-04T08:00:00Z"), inFreeze.run(repo).retryAt());
  }

  @Test
  void flagsBothOverlappingFreezesWithOneNextTime(@TempDir Path dir) {
    // Saturday 2026-12-19: the weekend freeze and the year-end freeze; next allowed is after both.
    harness.at(Instant.parse("2026-12-19T10:00:00Z")).assertViolations(FixtureRepo.create(dir).commit("app.txt", "v2"), """
        BLOCK calendar/freeze-window -
          Change freeze: Year-end freeze, 2026-12-18 18:00 – 2027-01-04 09:00 Europe/Berlin (2026-12-18 17:00Z – \
        2027-01-04 08:00Z). Next allowed deploy: 2027-01-04 09:00 Europe/Berlin (2027-01-04 08:00Z).
        BLOCK calendar/freeze-window -
          Change freeze: Weekend, 2026-12-18 23:00 – 2026-12-21 07:00 UTC (2026-12-18 23:00Z – 2026-12-21 07:00Z). \
        Next allowed deploy: 2027-01-04 08:00 UTC (2027-01-04 08:00Z).
        """);
  }

  @Test
  void passesOnAWeekdayOutsideFreezes(@TempDir Path dir) {
    harness.at(Instant.parse("2026-12-16T10:00:00Z")).assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }

  @Test
  void flagsAnUnreadableFeedWithNoRetryTime(@TempDir Path dir) {
    RuleHarness h = RuleHarness.of(new FreezeWindowRule()).withServerConfig("""
        defaults:
          calendar:
            feeds: [{name: ops, url: "file:///nonexistent/tollgate-test/freezes.ics"}]
        """).at(Instant.parse("2026-12-16T10:00:00Z"));
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    var outcome = h.run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status());
    assertEquals("feed ops unavailable: feed ops could not be read: /nonexistent/tollgate-test/freezes.ics", 
        outcome.findings().get(0).message().replaceAll("^Change freeze: (.*), 2026-12-16 10:00 – unknown.*$", "$1"));
    assertNull(outcome.retryAt(), "no known end: the gate must not schedule a re-evaluation it cannot justify");
  }
}
