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

  /**
   * Issue 20 item 10: these regions were an error; now they resolve, and the finding says what their holiday data is
   * worth: Jollyday's unverified data (INFO), or none at all (WARN: the holidays there are not checked).
   */
  @Test
  void flagsRegionsWhoseHolidayDataIsUnverifiedOrMissing(@TempDir Path dir) {
    RuleHarness asia = RuleHarness.of(new PublicHolidayRule()).withServerConfig("""
        environments:
          production:
            calendar:
              regions: [ap-south-1, ap-northeast-2]
        """).at(Instant.parse("2026-12-02T06:00:00Z"));
    asia.assertViolations(FixtureRepo.create(dir).commit("app.txt", "v2"), """
        WARN calendar/public-holiday -
          No public holiday data for ap-northeast-2 (KR): its holidays are not checked.
        INFO calendar/public-holiday -
          Holidays of ap-south-1 (IN-MH) are Jollyday's data, not verified by Tollgate against published dates: check the \
        coming ones (tollgate calendar --upcoming 90d).
        """);
  }

  @Test
  void passesRegionsWithVerifiedHolidaysOnAWorkingDay(@TempDir Path dir) {
    // Safe: Virginia's and Hesse's holidays are verified, and December 2, 2026 is none of them.
    RuleHarness.of(new PublicHolidayRule()).withServerConfig("""
        environments:
          production:
            calendar:
              regions: [us-east-1, eu-central-1]
        """).at(Instant.parse("2026-12-02T12:00:00Z")).assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }
}
