package dev.tollgate.gate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each figure on hand-made histories whose answers are known (docs/delivery-metrics.md has the definitions), including
 * a deploy with no finish, a rollback, a hotfix, deploys across midnight and a DST change, a repository with no
 * deploys, records read in any order, redeliveries, another tenant's data and records from outside the period.
 * "Now" is 2026-11-26T12:00Z unless a test moves it.
 */
class DeliveryHistoryTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final String REPO = "https://github.com/acme/shop";
  static final Duration DAY = Duration.ofDays(1);
  final MutableClock clock = new MutableClock(NOW);
  final DeliveryHistory history = new DeliveryHistory(DeliverySettings.DEFAULT, clock, "/docs/delivery-metrics");
  int ids;

  // --------------------------------------------------------------------------------------------- frequency

  @Test
  void frequencyCountsSucceededDeploysPerDayAndWeekAndFailedApart() {
    deploy("production", c(1), DeployStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(6)));
    deploy("production", c(2), DeployStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(3)));
    deploy("production", c(3), DeployStatus.FAILED, NOW.minus(DAY.multipliedBy(2)));
    deploy("production", c(4), DeployStatus.SUCCEEDED, NOW.minusSeconds(60));
    deploy("production", c(5), DeployStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(8))); // before the 7 days
    deploy("staging", c(1), DeployStatus.SUCCEEDED, NOW.minusSeconds(60));
    var p = figures(7, "production");
    assertEquals(3, p.deployments().deploys());
    assertEquals(1, p.deployments().failedDeploys());
    assertEquals(0.4286, p.deployments().perDay());
    assertEquals(3.0, p.deployments().perWeek());
    assertEquals(7, p.daily().size());
    assertEquals(LocalDate.parse("2026-11-20"), p.daily().get(0).date());
    assertEquals(1, p.daily().get(6).deploys(), "today counts");
    assertEquals(1, figures(7, "staging").deployments().deploys());
    assertEquals(4, figures(30, "production").deployments().deploys());
  }

  /**
   * Attack: a requester token reports deploys it may not vouch for (another's commit, a deployment id taken first). They
   * count in no figure, and the real report of the same deployment id still counts.
   */
  @Test
  void aReportNobodyVouchedForCountsInNoFigureAndTakesNoDeploymentIdFirst() {
    var mallory = Identity.token("mallory");
    var none = ReporterStanding.NONE;
    history.onDeployment(record("production", c(1), DeployStatus.SUCCEEDED, "run-1", null, NOW.minusSeconds(120),
        NOW.minusSeconds(120)).withReporter(mallory, none));
    history.onDeployment(record("production", c(2), DeployStatus.FAILED, "run-2", null, NOW.minusSeconds(90),
        NOW.minusSeconds(90)).withReporter(mallory, none));
    history.onDeployment(record("production", c(3), DeployStatus.STARTED, "run-3", NOW.minusSeconds(80), null,
        NOW.minusSeconds(80)).withReporter(mallory, ReporterStanding.UNKNOWN));
    var p = figures(7, "production");
    assertEquals(0, p.deployments().deploys());
    assertEquals(0, p.deployments().failedDeploys());
    assertEquals(0, p.deployments().unfinished());
    history.onDeployment(record("production", c(1), DeployStatus.SUCCEEDED, "run-1", null, NOW.minusSeconds(60),
        NOW.minusSeconds(60)).withReporter(Identity.token("ci"),
        ReporterStanding.REQUESTER));
    assertEquals(1, figures(7, "production").deployments().deploys(), "the real report of run-1 counts");
  }

  @Test
  void aDeployWithNoFinishIsUnfinishedUntilItsOutcomeArrives() {
    DeploymentRecorded started = record("production", c(1), DeployStatus.STARTED, "run-1", NOW.minusSeconds(600), null,
        NOW.minusSeconds(600));
    history.onDeployment(started);
    var p = figures(7, "production");
    assertEquals(0, p.deployments().deploys());
    assertEquals(1, p.deployments().unfinished());
    history.onDeployment(record("production", c(1), DeployStatus.SUCCEEDED, "run-1", null, NOW.minusSeconds(60),
        NOW.minusSeconds(60)));
    p = figures(7, "production");
    assertEquals(1, p.deployments().deploys());
    assertEquals(0, p.deployments().unfinished());
  }

  @Test
  void anOutcomeWithoutAFinishTimeCountsWhenRecordedAndAFutureFinishNoLaterThanRecorded() {
    history.onDeployment(record("production", c(1), DeployStatus.SUCCEEDED, "a", null, null, NOW.minus(DAY)));
    history.onDeployment(record("production", c(2), DeployStatus.SUCCEEDED, "b", null, Instant.parse("2100-01-01T00:00:00Z"),
        NOW.minusSeconds(5)));
    var p = figures(7, "production");
    assertEquals(1, p.daily().get(5).deploys(), "yesterday: recorded then");
    assertEquals(1, p.daily().get(6).deploys(), "today, not in 2100");
  }

  @Test
  void aRedeliveredOutcomeCountsOnceAndACanceledDeployNever() {
    DeploymentRecorded d = record("production", c(1), DeployStatus.SUCCEEDED, "gh-1", null, NOW.minusSeconds(60),
        NOW.minusSeconds(60));
    history.onDeployment(d);
    history.onDeployment(d);
    history.onDeployment(record("production", c(2), DeployStatus.STARTED, "gh-2", NOW.minusSeconds(50), null, NOW.minusSeconds(50)));
    history.onDeployment(record("production", c(2), DeployStatus.CANCELED, "gh-2", null, NOW.minusSeconds(40), NOW.minusSeconds(40)));
    var p = figures(7, "production");
    assertEquals(1, p.deployments().deploys());
    assertEquals(0, p.deployments().unfinished());
    assertEquals(1, p.changeFailures().deploys());
  }

  // --------------------------------------------------------------------------------------------- midnight, DST

  @Test
  void deploysAcrossMidnightFallOnTheirUtcDays() {
    Instant midnight = Instant.parse("2026-11-25T00:00:00Z");
    deploy("production", c(1), DeployStatus.SUCCEEDED, midnight.minusSeconds(1));
    deploy("production", c(2), DeployStatus.SUCCEEDED, midnight);
    // 23:30 in New York on November 24 is 04:30 UTC on the 25th.
    deploy("production", c(3), DeployStatus.SUCCEEDED,
        LocalDateTime.parse("2026-11-24T23:30").atZone(ZoneId.of("America/New_York")).toInstant());
    var days = figures(7, "production").daily();
    assertEquals(LocalDate.parse("2026-11-24"), days.get(4).date());
    assertEquals(1, days.get(4).deploys());
    assertEquals(2, days.get(5).deploys());
  }

  @Test
  void aLeadTimeAcrossADstChangeIsElapsedTime() {
    clock.set(Instant.parse("2026-11-03T12:00:00Z"));
    // 01:30 EDT and 01:30 EST on November 1, 2026 (New York falls back at 02:00 EDT): one hour apart, same wall clock.
    ZoneId ny = ZoneId.of("America/New_York");
    Instant firstCommit = LocalDateTime.parse("2026-11-01T01:30").atZone(ny).withEarlierOffsetAtOverlap().toInstant();
    Instant deployed = LocalDateTime.parse("2026-11-01T01:30").atZone(ny).withLaterOffsetAtOverlap().toInstant();
    evaluation("ev-dst", "production", c(2), c(1), firstCommit, deployed.minusSeconds(300));
    deploy("production", c(2), DeployStatus.SUCCEEDED, deployed, "ev-dst");
    var p = figures(7, "production");
    assertEquals(1, p.leadTime().count());
    assertWithinOnePercent(3600, p.leadTime().medianSeconds());
    assertEquals(1, p.daily().stream().filter(d -> d.date().equals(LocalDate.parse("2026-11-01"))).findFirst().orElseThrow()
        .deploys(), "06:30 UTC on November 1");
  }

  // --------------------------------------------------------------------------------------------- lead time

  @Test
  void leadTimeRunsFromTheOldestCommitOfTheRangeToTheDeployWithMedianAndP90() {
    // Ten deploys with lead times of 1..10 hours: median (rank 5) 5 h, p90 (rank 9) 9 h.
    for (int i = 1; i <= 10; i++) {
      Instant at = NOW.minus(Duration.ofHours(i * 3));
      evaluation("ev-" + i, "production", c(100 + i), c(99 + i), at.minus(Duration.ofHours(i)), at.minusSeconds(60));
      deploy("production", c(100 + i), DeployStatus.SUCCEEDED, at, "ev-" + i);
    }
    var l = figures(7, "production").leadTime();
    assertEquals(10, l.count());
    assertWithinOnePercent(5 * 3600, l.medianSeconds());
    assertWithinOnePercent(9 * 3600, l.p90Seconds());
    assertEquals(0, l.unknown());
  }

  @Test
  void aDeployReadBeforeItsEvaluationGetsItsLeadTimeWhenTheResultsArrive() {
    Instant at = NOW.minus(Duration.ofHours(1));
    deploy("production", c(2), DeployStatus.SUCCEEDED, at, "ev-late");
    assertEquals(1, figures(7, "production").leadTime().unknown());
    result("ev-late", new CommitRange(2, at.minus(Duration.ofHours(2)), at.minus(Duration.ofHours(1)), false));
    assertEquals(1, figures(7, "production").leadTime().unknown(), "the target is not known yet");
    verdict("ev-late", "production", c(2), c(1), Decision.GO, at.minusSeconds(120), 1, false, List.of());
    var l = figures(7, "production").leadTime();
    assertEquals(0, l.unknown());
    assertWithinOnePercent(7200, l.medianSeconds());
  }

  @Test
  void aDeployWithoutAnEvaluationIsUnknownAndFoundByCommitWhenItNamesNone() {
    deploy("production", c(7), DeployStatus.SUCCEEDED, NOW.minusSeconds(100)); // never evaluated
    Instant at = NOW.minus(Duration.ofHours(2));
    evaluation("ev-8", "production", c(8), c(7), at.minus(Duration.ofMinutes(30)), at.minusSeconds(60));
    deploy("production", c(8), DeployStatus.SUCCEEDED, at, null); // names no evaluation: the commit's newest is used
    var l = figures(7, "production").leadTime();
    assertEquals(1, l.unknown());
    assertEquals(1, l.count());
    assertWithinOnePercent(1800, l.medianSeconds());
  }

  @Test
  void aDeployNamingAnotherTenantsEvaluationDoesNotBorrowItsRange() {
    // The attack: acme reports a deploy with globex's evaluation id to read globex's commit times through its figures.
    Instant at = NOW.minus(Duration.ofHours(1));
    history.onVerdict(VerdictReached.of("ev-globex", "r", new DeployTarget("globex", "https://github.com/globex/app",
        "production", c(3), c(2)), Decision.GO, List.of(), List.of(), "p", at.minusSeconds(60), at, 1, null, false));
    result("ev-globex", new CommitRange(1, at.minus(Duration.ofDays(3)), at.minus(Duration.ofDays(3)), false));
    deploy("production", c(3), DeployStatus.SUCCEEDED, at, "ev-globex");
    var l = figures(7, "production").leadTime();
    assertEquals(0, l.count());
    assertEquals(1, l.unknown());
  }

  @Test
  void aFirstDeployAndARedeployHaveNoLeadTimeAndACommitDatedAfterItsDeployIsUnknown() {
    // Safe to leave out: a first deploy ships the whole history, a redeploy ships nothing new.
    Instant at = NOW.minus(Duration.ofHours(5));
    verdict("ev-first", "production", c(1), null, Decision.GO, at.minusSeconds(60), 1, false, List.of());
    deploy("production", c(1), DeployStatus.SUCCEEDED, at, "ev-first");
    deploy("production", c(1), DeployStatus.SUCCEEDED, at.plusSeconds(600));
    evaluation("ev-future", "production", c(2), c(1), NOW.plus(DAY), at.plusSeconds(900));
    deploy("production", c(2), DeployStatus.SUCCEEDED, at.plusSeconds(1000), "ev-future");
    var l = figures(7, "production").leadTime();
    assertEquals(0, l.count());
    assertEquals(1, l.unknown());
    assertEquals(3, figures(7, "production").deployments().deploys());
  }

  @Test
  void aRangeLongerThanTheWorkerReadsIsALowerBound() {
    Instant at = NOW.minus(Duration.ofHours(1));
    verdict("ev-long", "production", c(2), c(1), Decision.GO, at.minusSeconds(60), 1, false, List.of());
    result("ev-long", new CommitRange(1000, at.minus(DAY), at.minusSeconds(600), true));
    deploy("production", c(2), DeployStatus.SUCCEEDED, at, "ev-long");
    var l = figures(7, "production").leadTime();
    assertEquals(1, l.count());
    assertEquals(1, l.lowerBounds());
  }

  // --------------------------------------------------------------------------------------------- failures

  @Test
  void aRollbackToAnEarlierCommitFailsTheDeploysItUndidAndRestoresThem() {
    Instant t0 = NOW.minus(Duration.ofHours(10));
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0);
    deploy("production", c(2), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(1)));
    deploy("production", c(3), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(2)));
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(4))); // back to c1: c2 and c3 undone
    var p = figures(7, "production");
    assertEquals(4, p.changeFailures().deploys());
    assertEquals(2, p.changeFailures().rolledBack());
    assertEquals(0.5, p.changeFailures().rate());
    assertEquals(1, p.timeToRestore().count());
    assertWithinOnePercent(3 * 3600, p.timeToRestore().medianSeconds()); // from c2 going out to the rollback
    assertEquals(0, p.timeToRestore().openFailures());
  }

  @Test
  void aRollbackAfterTheWindowIsNoFailureAndARedeployNoRollback() {
    // Safe: two days later, going back is a new decision, not a response to the deploy (window 1d).
    Instant t0 = NOW.minus(Duration.ofDays(5));
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0);
    deploy("production", c(2), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(1)));
    deploy("production", c(2), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(2))); // a redeploy: nothing undone
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0.plus(Duration.ofDays(2)));
    var p = figures(7, "production");
    assertEquals(0, p.changeFailures().failures());
    assertEquals(0, p.timeToRestore().count());
  }

  @Test
  void aFailedDeployIsAFailedChangeRestoredByTheNextSuccessfulOne() {
    Instant t0 = NOW.minus(Duration.ofHours(6));
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0);
    deploy("production", c(2), DeployStatus.FAILED, t0.plus(Duration.ofHours(1)));
    deploy("production", c(3), DeployStatus.FAILED, t0.plus(Duration.ofHours(2))); // the same failure goes on
    var p = figures(7, "production");
    assertEquals(1, p.timeToRestore().openFailures());
    assertNull(p.timeToRestore().medianSeconds());
    deploy("production", c(4), DeployStatus.SUCCEEDED, t0.plus(Duration.ofMinutes(150)));
    p = figures(7, "production");
    assertEquals(4, p.changeFailures().deploys());
    assertEquals(2, p.changeFailures().failures());
    assertEquals(2, p.changeFailures().failedDeploys());
    assertEquals(1, p.timeToRestore().count());
    assertWithinOnePercent(90 * 60, p.timeToRestore().medianSeconds());
    assertEquals(0, p.timeToRestore().openFailures());
  }

  @Test
  void aHotfixWithinTheWindowFailsTheDeployItReplaced() {
    Instant t0 = NOW.minus(Duration.ofHours(8));
    deploy("production", c(1), DeployStatus.SUCCEEDED, t0);
    deploy("production", c(2), DeployStatus.SUCCEEDED, t0.plus(Duration.ofHours(1)));
    history.onDeployment(record("production", c(3), DeployStatus.SUCCEEDED, "hf", null, t0.plus(Duration.ofHours(3)),
        t0.plus(Duration.ofHours(3))).withRef("refs/heads/hotfix/login"));
    history.onDeployment(record("production", c(4), DeployStatus.SUCCEEDED, "main", null, t0.plus(Duration.ofHours(4)),
        t0.plus(Duration.ofHours(4))).withRef("main"));
    var c = figures(7, "production").changeFailures();
    assertEquals(1, c.hotfixed());
    assertEquals(1, c.failures());
    assertEquals(0.25, c.rate());
    assertWithinOnePercent(2 * 3600, figures(7, "production").timeToRestore().medianSeconds());
  }

  @Test
  void aRepositoryWithNoDeploysHasZerosAndNoValues() {
    deploy("production", c(1), DeployStatus.SUCCEEDED, NOW.minusSeconds(60));
    var p = history.report(List.of("production"), new DeliveryHistory.Filter(t -> true, null, null,
        "https://github.com/acme/quiet"), 30).environments().get(0);
    assertEquals(0, p.deployments().deploys());
    assertEquals(0.0, p.deployments().perDay());
    assertNull(p.leadTime().medianSeconds());
    assertNull(p.changeFailures().rate());
    assertNull(p.timeToRestore().medianSeconds());
    assertEquals(30, p.daily().size());
    assertTrue(p.weekly().stream().allMatch(w -> w.changeFailureRate() == null && w.leadTimeMedianSeconds() == null));
    var empty = figures(30, "staging");
    assertEquals(0, empty.deployments().deploys());
  }

  // --------------------------------------------------------------------------------------------- gate

  @Test
  void eachEvaluationCountsOnceByItsLatestVerdictAndItsBlockersOnce() {
    Instant at = NOW.minus(Duration.ofHours(3));
    List<Reason> secrets = List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.SECRETS, "probe secrets failed"),
        new Reason(ReasonCode.PROBE_TIMED_OUT, ProbeId.MIGRATIONS, "probe migrations gave no result within 60s"));
    history.onResult(ProbeCompleted.of("ev-1", "ev-1/secrets", "r", ProbeId.SECRETS, ProbeStatus.FAIL, "1 blocking",
        List.of(finding("secrets/aws-access-key", Severity.BLOCK, "x:1"), finding("secrets/generic", Severity.WARN, "x:2")),
        false, null, "w", at, at, null));
    verdict("ev-1", "production", c(2), c(1), Decision.NO_GO, at, 1, false, secrets);
    verdict("ev-1", "production", c(2), c(1), Decision.NO_GO, at.plusSeconds(5), 1, false, secrets); // redelivered
    verdict("ev-2", "production", c(3), c(1), Decision.GO, at, 1, false, List.of());
    history.onVerdict(VerdictReached.of("ev-1", "r", target("production", c(2), c(1)), Decision.OVERRIDDEN,
        List.of(new Reason(ReasonCode.OVERRIDDEN, null, "alice: hotfix")), List.of(), "p", at, at.plusSeconds(600), 2, null, false));
    var g = figures(7, "production").gate();
    assertEquals(1, g.go());
    assertEquals(0, g.noGo());
    assertEquals(1, g.overridden());
    assertEquals(List.of(new DeliveryReport.ProbeCount("migrations", 1, 0, 0, 1),
        new DeliveryReport.ProbeCount("secrets", 1, 1, 0, 0)), g.probes());
    assertEquals(List.of(new DeliveryReport.RuleCount("secrets/aws-access-key", 1)), g.rules(), "WARN does not block here");
  }

  @Test
  void aHoldAddsItsLengthPerCalendarWindowWhenItEnds() {
    Instant at = NOW.minus(Duration.ofHours(30));
    String fp = "calendar:freeze::Release freeze:2026-11-25T00:00:00Z";
    history.onResult(ProbeCompleted.of("ev-h", "ev-h/calendar", "r", ProbeId.CALENDAR, ProbeStatus.FAIL, "frozen",
        List.of(finding("calendar/freeze-window", Severity.BLOCK, fp)), false, null, "w", at, at, at.plus(Duration.ofHours(6))));
    List<Reason> frozen = List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR, "probe calendar failed"));
    verdict("ev-h", "production", c(2), c(1), Decision.NO_GO, at, 1, true, frozen);
    var g = figures(7, "production").gate();
    assertEquals(1, g.held());
    assertEquals(1, g.heldNow());
    assertEquals(0, g.holds().count(), "not ended yet");
    verdict("ev-h", "production", c(2), c(1), Decision.GO, at.plus(Duration.ofHours(6)), 2, false, List.of());
    g = figures(7, "production").gate();
    assertEquals(0, g.held());
    assertEquals(0, g.heldNow());
    assertEquals(1, g.go());
    assertEquals(1, g.holds().count());
    assertEquals(6 * 3600, g.holds().seconds());
    assertEquals(List.of(new DeliveryReport.CalendarHold("freeze: Release freeze", 1, 6 * 3600)), g.holds().calendars());
    assertEquals(List.of(new DeliveryReport.RuleCount("calendar/freeze-window", 1)), g.rules());
  }

  @Test
  void aHoldEndedBeforeItsCalendarResultIsReadCountsUnderItsWindowOnceTheResultArrives() {
    // Replayed from the beginning, the verdicts topic may be read ahead of the results topic.
    Instant at = NOW.minus(Duration.ofHours(30));
    List<Reason> frozen = List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR, "probe calendar failed"));
    verdict("ev-r", "production", c(2), c(1), Decision.NO_GO, at, 1, true, frozen);
    verdict("ev-r", "production", c(2), c(1), Decision.GO, at.plus(Duration.ofHours(6)), 2, false, List.of());
    assertEquals(List.of(new DeliveryReport.CalendarHold(DeliveryHistory.WINDOW_NOT_READ, 1, 6 * 3600)),
        figures(7, "production").gate().holds().calendars(), "counted, and said to be unread, until the result comes");
    String fp = "calendar:freeze::Release freeze:2026-11-25T00:00:00Z";
    history.onResult(ProbeCompleted.of("ev-r", "ev-r/calendar", "r", ProbeId.CALENDAR, ProbeStatus.FAIL, "frozen",
        List.of(finding("calendar/freeze-window", Severity.BLOCK, fp)), false, null, "w", at, at, at.plus(Duration.ofHours(6))));
    var g = figures(7, "production").gate();
    assertEquals(1, g.holds().count());
    assertEquals(6 * 3600, g.holds().seconds());
    assertEquals(List.of(new DeliveryReport.CalendarHold("freeze: Release freeze", 1, 6 * 3600)), g.holds().calendars());
  }

  @Test
  void overrideVotesCountPerApproverOnce() {
    Instant at = NOW.minus(Duration.ofHours(2));
    override("o-1", "ev-o", "alice", at);
    override("o-1", "ev-o", "alice", at); // redelivered
    override("o-2", "ev-o", "bob", at.plusSeconds(60));
    override("o-3", "ev-p", "alice", at.plusSeconds(120));
    var o = figures(7, "production").gate().overrides();
    assertEquals(3, o.votes());
    assertEquals(List.of(new DeliveryReport.ApproverVotes("alice", 2), new DeliveryReport.ApproverVotes("bob", 1)), o.approvers());
  }

  @Test
  void aWithdrawnApprovalIsTakenBackAndARejectionApprovesNothing() {
    Instant at = NOW.minus(Duration.ofDays(2)); // the withdrawal, a day later, takes it back from the day it counted on
    override("o-1", "ev-o", "alice", at);
    vote("o-2", "ev-o", "bob", VoteDecision.REJECT, at.plusSeconds(60));
    vote("o-3", "ev-o", "alice", VoteDecision.WITHDRAW, at.plus(Duration.ofDays(1)));
    vote("o-3", "ev-o", "alice", VoteDecision.WITHDRAW, at.plus(Duration.ofDays(1))); // redelivered
    vote("o-4", "ev-o", "carol", VoteDecision.WITHDRAW, at.plus(Duration.ofDays(1))); // nothing of hers to take back
    override("o-5", "ev-p", "alice", at.plusSeconds(120));
    var o = figures(7, "production").gate().overrides();
    assertEquals(1, o.votes());
    assertEquals(List.of(new DeliveryReport.ApproverVotes("alice", 1)), o.approvers());
  }

  @Test
  void calendarWindowsAreNamedFromTheFindingsFingerprint() {
    assertEquals("holiday US-VA: Thanksgiving Day", DeliveryHistory.calendarWindow(finding("calendar/public-holiday",
        Severity.BLOCK, "calendar:holiday:US-VA:Thanksgiving Day:2026-11-26T05:00:00Z")));
    assertEquals("calendar/freeze-window", DeliveryHistory.calendarWindow(finding("calendar/freeze-window", Severity.BLOCK,
        "calendar:warning:12345")));
  }

  // --------------------------------------------------------------------------------------------- scope, time

  @Test
  void aViewerSeesOnlyTheTenantsItMayRead() {
    deploy("production", c(1), DeployStatus.SUCCEEDED, NOW.minusSeconds(60));
    history.onDeployment(new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "g", "r", "g-1", "globex",
        "https://github.com/globex/app", "production", c(9), DeployStatus.SUCCEEDED, null, Source.API, null,
        NOW.minusSeconds(30), NOW.minusSeconds(30)));
    var acme = history.report(List.of("production"), new DeliveryHistory.Filter(Set.of("acme")::contains, null, null, null), 7);
    assertEquals(1, acme.environments().get(0).deployments().deploys());
    var asked = history.report(List.of("production"), new DeliveryHistory.Filter(Set.of("acme")::contains, "globex", null,
        null), 7);
    assertEquals(0, asked.environments().get(0).deployments().deploys(), "naming a tenant never widens what one may read");
    var all = history.report(List.of("production"), DeliveryHistory.Filter.all("production"), 7);
    assertEquals(2, all.environments().get(0).deployments().deploys());
  }

  @Test
  void bucketsOlderThanNinetyDaysAreForgottenAndAReportNeverReachesThem() {
    deploy("production", c(1), DeployStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(89)));
    deploy("production", c(2), DeployStatus.SUCCEEDED, NOW.minus(DAY.multipliedBy(95)));
    assertEquals(1, figures(90, "production").deployments().deploys());
    clock.set(NOW.plus(DAY.multipliedBy(2)));
    assertEquals(0, figures(90, "production").deployments().deploys(), "a day later the first is out too");
  }

  // --------------------------------------------------------------------------------------------- helpers

  DeliveryReport.EnvironmentFigures figures(int days, String environment) {
    return history.report(List.of("production", "staging"), new DeliveryHistory.Filter(t -> true, null, environment, null),
        days).environments().get(0);
  }

  static String c(int n) {
    return String.format("%040x", n);
  }

  static DeployTarget target(String environment, String candidate, String baseline) {
    return new DeployTarget("acme", REPO, environment, candidate, baseline);
  }

  void deploy(String environment, String commit, DeployStatus status, Instant at) {
    deploy(environment, commit, status, at, null);
  }

  void deploy(String environment, String commit, DeployStatus status, Instant at, String evaluationId) {
    DeploymentRecorded d = record(environment, commit, status, "d-" + ids++, null, at, at);
    if (evaluationId != null) {
      d = new DeploymentRecorded(d.schemaVersion(), evaluationId, d.requestId(), d.deploymentId(), d.tenant(), d.repository(),
          d.environment(), d.commit(), d.status(), null, d.source(), d.startedAt(), d.finishedAt(), d.recordedAt());
    }
    history.onDeployment(d);
  }

  static DeploymentRecorded record(String environment, String commit, DeployStatus status, String id, Instant startedAt,
      Instant finishedAt, Instant recordedAt) {
    return new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, id, "r", id, "acme", REPO, environment, commit, status,
        null, Source.API, startedAt, finishedAt, recordedAt);
  }

  /** An evaluation of candidate over baseline whose range's oldest commit was authored at {@code firstCommit}. */
  void evaluation(String id, String environment, String candidate, String baseline, Instant firstCommit, Instant decided) {
    verdict(id, environment, candidate, baseline, Decision.GO, decided, 1, false, List.of());
    result(id, new CommitRange(1, firstCommit, firstCommit, false));
  }

  void verdict(String id, String environment, String candidate, String baseline, Decision decision, Instant at, int revision,
      boolean held, List<Reason> reasons) {
    history.onVerdict(VerdictReached.of(id, "r", target(environment, candidate, baseline), decision, reasons, List.of(), "p",
        at.minusSeconds(1), at, revision, held ? at.plus(DAY) : null, held));
  }

  void result(String id, CommitRange range) {
    history.onResult(ProbeCompleted.of(id, id + "/secrets", "r", ProbeId.SECRETS, ProbeStatus.PASS, null, List.of(), false,
        null, "w", NOW, NOW, null).withRange(range));
  }

  void override(String overrideId, String evaluationId, String approver, Instant at) {
    vote(overrideId, evaluationId, approver, VoteDecision.APPROVE, at);
  }

  void vote(String overrideId, String evaluationId, String voter, VoteDecision decision, Instant at) {
    history.onOverride(OverrideRecorded.vote(evaluationId, "r", overrideId, target("production", c(2), c(1)), voter, decision,
        "accepted", 1, at.plus(Duration.ofHours(4)), at));
  }

  static Finding finding(String rule, Severity severity, String fingerprint) {
    return new Finding(rule, severity, null, 0, "m", "f", fingerprint, null);
  }

  static void assertWithinOnePercent(double expected, Double actual) {
    assertTrue(actual != null && Math.abs(actual - expected) <= expected * 0.01, "expected " + expected + " ±1%, got " + actual);
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
