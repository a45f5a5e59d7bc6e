package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes imported from the repository's platform (issue #9, GitLab deploy freeze periods) block like configured cron
 * freezes, at the right local time across a DST change, and fail closed when the platform cannot be read.
 */
class ImportedFreezeTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  /** GitLab's shape: Friday 18:00 to Monday 08:00 in Berlin (CET until 2026-03-29, CEST after). */
  private static final ImportedFreeze WEEKEND = new ImportedFreeze("GitLab freeze", "0 18 * * 5", "0 8 * * 1", BERLIN,
      "gitlab acme/shop freeze period 7");

  private final List<String> asked = new ArrayList<>();

  private FreezeSource source(Supplier<List<ImportedFreeze>> answer) {
    return new FreezeSource() {
      @Override
      public List<ImportedFreeze> freezes(String tenant, String repositoryUrl, String environment) {
        asked.add(tenant + " " + environment);
        return answer.get();
      }

      @Override
      public String name() {
        return "GitLab freeze periods";
      }
    };
  }

  private RuleHarness harness(FreezeSource source) {
    return RuleHarness.of(new FreezeWindowRule(new CalendarCheck(Policies.ENGINE, source)));
  }

  @Test
  void flagsAnImportedFreezeInLocalTimeBeforeAndAfterTheSpringDstChange(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    RuleHarness h = harness(source(() -> List.of(WEEKEND)));
    // Friday 2026-03-27, 18:30 CET = 17:30Z: frozen. It ends Monday 08:00 CEST, after the change on Sunday: 06:00Z.
    RuleHarness friday = h.at(Instant.parse("2026-03-27T17:30:00Z"));
    friday.assertViolations(repo, """
        BLOCK calendar/freeze-window -
          Change freeze: GitLab freeze, 2026-03-27 18:00 – 2026-03-30 08:00 Europe/Berlin (2026-03-27 17:00Z – \
        2026-03-30 06:00Z). Next allowed deploy: 2026-03-30 08:00 Europe/Berlin (2026-03-30 06:00Z).
        """);
    assertEquals(Instant.parse("2026-03-30T06:00:00Z"), friday.run(repo).retryAt(), "held until the local end");
    // A week later (CEST) the same wall time is an hour earlier in UTC: 18:00 CEST = 16:00Z.
    h.at(Instant.parse("2026-04-03T16:30:00Z")).assertViolations(repo, """
        BLOCK calendar/freeze-window -
          Change freeze: GitLab freeze, 2026-04-03 18:00 – 2026-04-06 08:00 Europe/Berlin (2026-04-03 16:00Z – \
        2026-04-06 06:00Z). Next allowed deploy: 2026-04-06 08:00 Europe/Berlin (2026-04-06 06:00Z).
        """);
    assertTrue(asked.contains("test production"), "asked for the deploy's tenant and environment: " + asked);
  }

  @Test
  void passesJustBeforeTheImportedFreezeOnEitherSideOfTheChange(@TempDir Path dir) {
    // Safe: 17:59 local is outside Friday 18:00 – Monday 08:00, in CET (16:59Z) and in CEST (15:59Z).
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    RuleHarness h = harness(source(() -> List.of(WEEKEND)));
    h.at(Instant.parse("2026-03-27T16:59:00Z")).assertNoViolations(repo);
    h.at(Instant.parse("2026-04-03T15:59:00Z")).assertNoViolations(repo);
    h.at(Instant.parse("2026-03-30T06:00:00Z")).assertNoViolations(repo);
  }

  @Test
  void passesWhenThePlatformHasNoFreezeForTheRepository(@TempDir Path dir) {
    // Safe: the source knows nothing of this repository (another host or tenant), so nothing is added.
    harness(source(List::of)).at(Instant.parse("2026-03-28T12:00:00Z"))
        .assertNoViolations(FixtureRepo.create(dir).commit("app.txt", "v2"));
  }

  @Test
  void flagsUnreadableImportedFreezesWithNoRetryTime(@TempDir Path dir) {
    FixtureRepo repo = FixtureRepo.create(dir).commit("app.txt", "v2");
    var outcome = harness(source(() -> {
      throw new IllegalStateException("GitLab answered HTTP 503 for acme/shop's freeze periods");
    })).at(Instant.parse("2026-03-25T10:00:00Z")).run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status(), "fail closed: a freeze Tollgate cannot see must not let a deploy out");
    assertTrue(outcome.findings().get(0).message().startsWith("Change freeze: GitLab freeze periods unavailable: GitLab "
        + "answered HTTP 503 for acme/shop's freeze periods"), outcome.findings().get(0).message());
    assertNull(outcome.retryAt(), "no known end");
  }

  @Test
  void flagsAnImportedFreezeWhoseCronCannotBeRead(@TempDir Path dir) {
    var outcome = harness(source(() -> List.of(new ImportedFreeze("GitLab freeze", "0 25 * * *", "0 7 * * *", BERLIN,
        "gitlab acme/shop freeze period 9")))).at(Instant.parse("2026-03-25T10:00:00Z"))
        .run(FixtureRepo.create(dir).commit("app.txt", "v2"));
    assertEquals(ProbeStatus.FAIL, outcome.status());
    assertTrue(outcome.findings().get(0).message().startsWith("Change freeze: GitLab freeze cannot be read"),
        outcome.findings().get(0).message());
    assertNull(outcome.retryAt());
  }
}
