package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidCalendarConfigRuleTest {
  private static final String SERVER = """
      defaults:
        calendar:
          regions: [us-east-1]
      """;
  private final RuleHarness harness = RuleHarness.of(new InvalidCalendarConfigRule()).withServerConfig(SERVER)
      .at(Instant.parse("2026-11-24T15:00:00Z"));

  @Test
  void flagsARepositoryThatTriesToRemoveAServerHoliday(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        calendar:
          holidays:
            remove: [{date: 2026-11-26}]
        """);
    harness.assertViolations(repo, """
        BLOCK calendar/invalid-config -
          Calendar policy: .tollgate.yml calendar.holidays.remove: unknown key (known: [add, block, include])
        """);
    assertNull(harness.run(repo).retryAt(), "a broken policy does not fix itself");
  }

  @Test
  void flagsAnUnknownRegion(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "calendar: {regions: [us-east-9]}\n");
    harness.assertViolations(repo, """
        BLOCK calendar/invalid-config -
          Calendar policy: .tollgate.yml calendar.regions[0]: unknown region: expected a cloud region of the \
        built-in table (e.g. us-east-1, europe-west3, westeurope), an entry of calendar.regionTable, or an ISO code such as DE-HE
        """);
  }

  @Test
  void flagsARepositoryFeedUrl(@TempDir Path dir) {
    // A repository may not make the worker fetch URLs (it could point them inside the network); it ships a file.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        calendar:
          feeds: [{name: x, url: "https://example.com/x.ics"}]
        """);
    harness.assertViolations(repo, """
        BLOCK calendar/invalid-config -
          Calendar policy: .tollgate.yml calendar.feeds[0].url: unknown key (known: [name, path, timeZone])
        """);
  }

  @Test
  void passesAValidPolicy(@TempDir Path dir) {
    harness.assertNoViolations(FixtureRepo.create(dir).commit(".tollgate.yml", "calendar: {regions: [DE-HE]}\n"));
  }
}
