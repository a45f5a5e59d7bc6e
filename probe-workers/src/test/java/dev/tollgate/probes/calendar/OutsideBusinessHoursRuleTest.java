package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutsideBusinessHoursRuleTest {
  // "No production deploys Friday after 15:00, weekends, or outside 09:00–17:00 Europe/Berlin" (issue #7).
  private static final String SERVER = """
      environments:
        production:
          calendar:
            businessHours:
              timeZone: Europe/Berlin
              open: {mon-thu: "09:00-17:00", fri: "09:00-15:00"}
      """;
  private final RuleHarness harness = RuleHarness.of(new OutsideBusinessHoursRule()).withServerConfig(SERVER);

  @Test
  // Issue 20 item 15: the message said "Outside business hours: outside business hours (...)".
  void flagsFridayAfternoonUntilMondayMorning(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    RuleHarness friday = harness.at(Instant.parse("2026-11-27T14:30:00Z")); // 15:30 CET
    friday.assertViolations(repo, """
        BLOCK calendar/outside-business-hours -
          Outside business hours (mon-thu 09:00-17:00, fri 09:00-15:00 Europe/Berlin), \
        2026-11-27 15:00 – 2026-11-30 09:00 Europe/Berlin (2026-11-27 14:00Z – 2026-11-30 08:00Z). Next allowed deploy: \
        2026-11-30 09:00 Europe/Berlin (2026-11-30 08:00Z).
        """);
    assertEquals(Instant.parse("2026-11-30T08:00:00Z"), friday.run(repo).retryAt());
  }

  @Test
  void passesThursdayAfternoon(@TempDir Path dir) {
    harness.at(Instant.parse("2026-11-26T15:30:00Z")).assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }

  @Test
  void repositoryHoursApplyOnTopOfTheServers(@TempDir Path dir) {
    // The repository narrows Monday–Thursday to 10:00–16:00: 09:30 is now blocked, though the server allows it.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        calendar:
          businessHours:
            timeZone: Europe/Berlin
            open: {mon-thu: "10:00-16:00"}
        """);
    var outcome = harness.at(Instant.parse("2026-11-26T08:30:00Z")).run(repo);
    assertEquals(1, outcome.findings().size(), RuleHarness.render(outcome.findings()));
    assertEquals(Instant.parse("2026-11-26T09:00:00Z"), outcome.retryAt());
  }
}
