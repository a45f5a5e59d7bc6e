package dev.tollgate.deploy.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.FakeGitLab;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.gate.gitlab.GitLabApi;
import dev.tollgate.gate.gitlab.GitLabSettings;
import dev.tollgate.gate.gitlab.GitLabToken;
import dev.tollgate.gate.gitlab.GitLabWebhookAuth;
import dev.tollgate.probes.calendar.BlockingWindow;
import dev.tollgate.probes.calendar.CalendarDecision;
import dev.tollgate.probes.calendar.CalendarEngine;
import dev.tollgate.probes.calendar.CalendarPolicy;
import dev.tollgate.probes.calendar.FeedCache;
import dev.tollgate.probes.calendar.HolidayCalendar;
import dev.tollgate.probes.calendar.ImportedFreeze;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GitLab's deploy freeze periods, read from a fake GitLab API over real HTTP, become calendar freezes that block at
 * the right local time on both sides of a DST change (fixed instants through the real {@link CalendarEngine}); the
 * import is per tenant, cached, and fails closed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitLabFreezeImportTest {
  static final String SHOP = "acme/platform/shop";
  FakeGitLab gitlab;
  GitServer host;
  GitLabSettings settings;
  final AtomicLong nanos = new AtomicLong();
  final CalendarEngine engine = new CalendarEngine(new HolidayCalendar(), FeedCache.standard());

  @BeforeAll
  void start() throws Exception {
    gitlab = new FakeGitLab().bot("acme", "glpat-acme", true, "acme").bot("globex", "glpat-globex", false, "globex")
        .project(30, SHOP).project(31, "acme/ops/calendar").project(40, "globex/site")
        // Friday 18:00 to Monday 08:00 in New York; DST starts Sunday 2026-03-08 (02:00 EST → 03:00 EDT).
        .freezePeriod(SHOP, 7, "0 18 * * 5", "0 8 * * 1", "America/New_York")
        .freezePeriod("acme/ops/calendar", 9, "0 0 24 12 *", "0 0 27 12 *", "UTC");
    host = new GitServer((repo, user, password) -> false, Map.of("/api/v4/*", gitlab));
    settings = new GitLabSettings(host.webUrl(), null, false, Map.of(
        "acme", new GitLabSettings.Tenant("acme", List.of("acme"), new GitLabToken("glpat-acme")),
        "globex", new GitLabSettings.Tenant("globex", List.of("globex"), new GitLabToken("glpat-globex"))),
        new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, "t", null))));
  }

  @AfterAll
  void stop() {
    host.close();
  }

  GitLabFreezeImport importer(Set<String> environments, Map<String, List<String>> projects) {
    return new GitLabFreezeImport(settings, new GitLabApi(settings, new SimpleMeterRegistry()),
        new GitLabConfig.Freezes(true, Duration.ofMinutes(5), Duration.ofHours(1), environments, projects), nanos::get,
        new SimpleMeterRegistry());
  }

  String repo(String path) {
    return host.webUrl() + "/" + path + ".git";
  }

  CalendarDecision decide(List<ImportedFreeze> freezes, String at) {
    return engine.evaluate(CalendarPolicy.none("production").withImported(freezes), Instant.parse(at));
  }

  @Test
  void anImportedFreezeBlocksAtTheRightLocalTimeAcrossTheDstChange() {
    List<ImportedFreeze> freezes = importer(Set.of(), Map.of()).freezes("acme", repo(SHOP), "production");
    assertEquals(List.of(new ImportedFreeze("GitLab freeze", "0 18 * * 5", "0 8 * * 1", ZoneId.of("America/New_York"),
        "gitlab " + SHOP + " freeze period 7")), freezes);

    // Friday 2026-03-06 18:00 EST = 23:00Z: frozen from then; 17:59 EST is not.
    assertTrue(decide(freezes, "2026-03-06T22:59:00Z").allowed());
    CalendarDecision friday = decide(freezes, "2026-03-06T23:00:00Z");
    assertFalse(friday.allowed());
    BlockingWindow w = friday.blocking().get(0);
    assertEquals("GitLab freeze", w.name());
    assertEquals(Instant.parse("2026-03-06T23:00:00Z"), w.start());
    // It ends Monday 08:00 local, which after the change is EDT (UTC-4): 12:00Z, not 13:00Z.
    assertEquals(Instant.parse("2026-03-09T12:00:00Z"), w.end());
    assertEquals(Instant.parse("2026-03-09T12:00:00Z"), friday.nextAllowed());
    assertFalse(decide(freezes, "2026-03-09T11:59:00Z").allowed(), "07:59 EDT Monday: still frozen");
    assertTrue(decide(freezes, "2026-03-09T12:00:00Z").allowed(), "08:00 EDT Monday: open");
    // The next Friday, in EDT, 18:00 local is 22:00Z.
    assertTrue(decide(freezes, "2026-03-13T21:59:00Z").allowed());
    assertFalse(decide(freezes, "2026-03-13T22:00:00Z").allowed());
  }

  @Test
  void aTenantsFreezeProjectStandsForItsGroupAndEnvironmentsCanBeLimited() {
    GitLabFreezeImport importer = importer(Set.of("production"), Map.of("acme", List.of("acme/ops/calendar")));
    List<ImportedFreeze> production = importer.freezes("acme", repo(SHOP), "production");
    assertEquals(2, production.size(), String.valueOf(production));
    assertFalse(decide(production, "2026-12-25T12:00:00Z").allowed(), "the group's year-end freeze applies to the shop too");
    assertEquals(List.of(), importer.freezes("acme", repo(SHOP), "staging"), "only the listed environments");
  }

  @Test
  void nothingIsReadForAnotherTenantsProjectOrAnotherHost() {
    GitLabFreezeImport importer = importer(Set.of(), Map.of());
    int before = gitlab.calls().size();
    assertEquals(List.of(), importer.freezes("globex", repo(SHOP), "production"), "acme's project, asked for globex");
    assertEquals(List.of(), importer.freezes("acme", "https://github.com/acme/shop.git", "production"));
    assertEquals(List.of(), importer.freezes("acme", "/srv/git/shop", "production"));
    assertEquals(before, gitlab.calls().size(), "no bot asked GitLab about someone else's project");
  }

  @Test
  void readsAreCachedAStaleCopyBridgesAnOutageAndThenTheImportFailsClosed() {
    GitLabFreezeImport importer = importer(Set.of(), Map.of());
    importer.freezes("acme", repo(SHOP), "production");
    int reads = reads();
    importer.freezes("acme", repo(SHOP), "production");
    assertEquals(reads, reads(), "cached for refresh (5 min)");
    nanos.addAndGet(Duration.ofMinutes(6).toNanos());
    gitlab.failNextFreezeReads(100);
    assertEquals(1, importer.freezes("acme", repo(SHOP), "production").size(), "GitLab down: the copy younger than maxStale");
    nanos.addAndGet(Duration.ofHours(2).toNanos());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> importer.freezes("acme", repo(SHOP), "production"));
    assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    assertFalse(e.getMessage().contains("glpat"), e.getMessage());
    int failedReads = reads();
    assertThrows(IllegalStateException.class, () -> importer.freezes("acme", repo(SHOP), "production"));
    assertEquals(failedReads, reads(), "a failure is not retried for 30 s");
    gitlab.failNextFreezeReads(0);
    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    assertEquals(1, importer.freezes("acme", repo(SHOP), "production").size(), "back once GitLab answers");
  }

  @Test
  void aBotWithoutTheMaintainerRoleFailsClosedAndSaysWhy() {
    settingsWithGlobexProject();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> importer(Set.of(), Map.of()).freezes("globex", repo("globex/site"), "production"));
    assertTrue(e.getMessage().contains("Maintainer"), e.getMessage());
    // The calendar turns that into a freeze with no known end: the deploy is blocked, not waved through.
    CalendarDecision d = engine.evaluate(CalendarPolicy.none("production").withUnavailable("GitLab freeze periods unavailable: "
        + e.getMessage(), "GitLab freeze periods"), Instant.parse("2026-03-10T12:00:00Z"));
    assertFalse(d.allowed());
    assertNull(d.nextAllowed());
  }

  private void settingsWithGlobexProject() {
    assertTrue(settings.tenantOf("globex/site").isPresent());
  }

  private int reads() {
    return (int) gitlab.calls().stream().filter(c -> c.path().endsWith("/freeze_periods")).count();
  }
}
