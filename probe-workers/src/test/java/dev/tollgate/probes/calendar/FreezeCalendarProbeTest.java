package dev.tollgate.probes.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezeCalendarProbeTest {
  @Test
  void rulesAreListedAlphabeticallyAndTheProbeIsRegistered() {
    FreezeCalendarProbe probe = new FreezeCalendarProbe();
    assertEquals(ProbeId.CALENDAR, probe.id());
    assertEquals(java.util.List.of("calendar/freeze-window", "calendar/invalid-config", "calendar/outside-business-hours",
        "calendar/public-holiday"), probe.rules().stream().map(Rule::id).map(Object::toString).toList());
    assertEquals(true, ProbeRegistry.production().find(ProbeId.CALENDAR).isPresent());
  }

  @Test
  void retryAtIsWhenEveryCalendarWindowHasPassed(@TempDir Path dir) {
    // Saturday 2026-12-26 in Frankfurt: a holiday (Boxing Day) inside the weekend's closed hours. Each finding
    // clears at the same next allowed time, Monday 09:00 CET, which becomes the result's retryAt.
    RuleHarness h = RuleHarness.of(new FreezeCalendarProbe()).withServerConfig("""
        environments:
          production:
            calendar:
              regions: [eu-central-1]
              businessHours: {timeZone: Europe/Berlin, open: {mon-fri: "09:00-17:00"}}
        """).at(Instant.parse("2026-12-26T10:00:00Z"));
    var outcome = h.run(FixtureRepo.create(dir).commit("app.txt", "v2"));
    assertEquals(ProbeStatus.FAIL, outcome.status());
    assertEquals(2, outcome.findings().size(), RuleHarness.render(outcome.findings()));
    assertEquals(Instant.parse("2026-12-28T08:00:00Z"), outcome.retryAt());
  }
}
