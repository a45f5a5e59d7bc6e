package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicHolidayRuleTest {
  private static final String SERVER = """
      environments:
        production:
          calendar:
            regions: [us-east-1]
      """;
  private final RuleHarness harness = RuleHarness.of(new PublicHolidayRule()).withServerConfig(SERVER);

  @Test
  void flagsDeployOnThanksgivingInVirginiaAndClearsTheNextDay(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    RuleHarness thanksgiving = harness.at(Instant.parse("2026-11-26T15:00:00Z"));
    thanksgiving.assertViolations(repo, """
        BLOCK calendar/public-holiday -
          Public holiday in us-east-1 (US-VA): Thanksgiving Day, 2026-11-26 00:00 – 2026-11-27 00:00 America/New_York \
        (2026-11-26 05:00Z – 2027-11-27 05:00Z). Next allowed deploy: 2026-11-27 00:00 America/New_York (2026-11-27 05:00Z).
        """.replace("2027-11-27 05:00Z).", "2026-11-27 05:00Z)."));
    assertEquals(Instant.parse("2026-11-27T05:00:00Z"), thanksgiving.run(repo).retryAt());
  }

  @Test
  void passesTheDayAfter(@TempDir Path dir) {
    harness.at(Instant.parse("2026-11-27T15:00:00Z")).assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }

  @Test
  void passesInAnEnvironmentWithoutRegions(@TempDir Path dir) {
    harness.in("staging").at(Instant.parse("2026-11-26T15:00:00Z"))
        .assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }

  @Test
  void flagsAHolidayOfARegionTheRepositoryAdds(@TempDir Path dir) {
    // The server serves Virginia; the repository adds Tokyo. At 10:00 JST on Culture Day (Nov 3, 2026) only Tokyo
    // blocks, but the next allowed time also waits for Virginia's Election Day, which begins as Tokyo's holiday ends.
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        calendar:
          regions: [ap-northeast-1]
        """);
    harness.at(Instant.parse("2026-11-03T01:00:00Z")).assertViolations(repo, """
        BLOCK calendar/public-holiday -
          Public holiday in ap-northeast-1 (JP-13): Culture Day, 2026-11-03 00:00 – 2026-11-04 00:00 Asia/Tokyo \
        (2026-11-02 15:00Z – 2026-11-03 15:00Z). Next allowed deploy: 2026-11-04 14:00 Asia/Tokyo (2026-11-04 05:00Z).
        """);
  }

  @Test
  void flagsACompanyDayOffAddedByTheRepository(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        environments:
          production:
            calendar:
              holidays:
                add: [{date: 2026-12-24, name: Company day off}]
        """);
    harness.at(Instant.parse("2026-12-24T15:00:00Z")).assertViolations(repo, """
        BLOCK calendar/public-holiday -
          Public holiday in us-east-1 (US-VA): Company day off, 2026-12-24 00:00 – 2026-12-25 00:00 America/New_York \
        (2026-12-24 05:00Z – 2026-12-25 05:00Z). Next allowed deploy: 2026-12-26 00:00 America/New_York (2026-12-26 05:00Z).
        """);
  }
}
