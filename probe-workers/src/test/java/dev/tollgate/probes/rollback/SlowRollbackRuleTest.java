package dev.tollgate.probes.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowRollbackRuleTest {
  private final RuleHarness harness = RuleHarness.of(new SlowRollbackRule());
  @TempDir Path dir;

  static final Instant T = Instant.parse("2026-11-20T09:00:00Z");

  /** Successful deploys taking {@code seconds} each, newest first. */
  static DeployHistory took(long... seconds) {
    List<DeployRecord> deploys = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      Instant start = T.minus(Duration.ofDays(i));
      deploys.add(new DeployRecord(String.format("%040x", i + 1), DeployStatus.SUCCEEDED, start,
          start.plusSeconds(seconds[i]), null, "ci-" + i));
    }
    return new DeployHistory(deploys, Map.of());
  }

  FixtureRepo repo() {
    return FixtureRepo.create(dir).commit("app.txt", "v1").deployed().commit("app.txt", "v2");
  }

  @Test
  void flagsAnEstimateOverTheDefaultBudgetWithTheFigure() {
    harness.withHistory(took(150, 200, 170, 400, 160)).assertViolations(repo(), """
        WARN rollback/slow-rollback -
          Rolling back production would take about 2m50s (the median of the last 5 successful deploys, 2m30s to 6m40s), \
        over its rollback budget of 2m.
        """);
  }

  @Test
  void flagsAgainstTheEnvironmentsOwnBudgetAndTheRepositorysTighterOne() {
    var server = harness.in("staging").withHistory(took(90, 80, 100))
        .withServerConfig("defaults: {rollback: {budget: 5m}}\nenvironments: {staging: {rollback: {budget: 60s}}}");
    server.assertViolations(repo(), """
        WARN rollback/slow-rollback -
          Rolling back staging would take about 1m30s (the median of the last 3 successful deploys, 1m20s to 1m40s), \
        over its rollback budget of 1m.
        """);
    var tighter = FixtureRepo.create(dir.resolve("b")).commit(".tollgate.yml",
        "environments:\n  production:\n    rollback: {budget: 45s}\n").deployed().commit("app.txt", "v2");
    harness.withHistory(took(50)).assertViolations(tighter, """
        WARN rollback/slow-rollback -
          Rolling back production would take about 50s (the one successful deploy with timings), over its rollback \
        budget of 45s.
        """);
  }

  @Test
  void flagsDeploysRecordedWithoutTimingsAsInformation() {
    var history = new DeployHistory(List.of(new DeployRecord("a".repeat(40), DeployStatus.SUCCEEDED, null, T, null, "x")),
        Map.of());
    harness.withHistory(history).assertViolations(repo(), """
        INFO rollback/slow-rollback -
          The time to roll back production cannot be estimated: none of its 1 recorded successful deploy has both a \
        start and a finish time.
        """);
  }

  @Test
  void passesFastDeploysAndOneSlowOutlier() {
    // Safe: the median is what a rollback usually takes; one 9-minute deploy among fast ones does not set it.
    harness.withHistory(took(40, 540, 55, 60, 45)).assertNoViolations(repo());
  }

  @Test
  void passesWhenOnlyTheMostRecentDeploysCountAndTheyAreFast() {
    // Safe: estimateFrom: 2 looks at the two newest deploys; the slow ones are from before the pipeline was sped up.
    harness.withHistory(took(60, 70, 300, 300, 300)).withServerConfig("defaults: {rollback: {estimateFrom: 2}}")
        .assertNoViolations(repo());
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(Duration.ofSeconds(65), SlowRollbackRule.median(List.of(Duration.ofSeconds(80), Duration.ofSeconds(50),
        Duration.ofSeconds(60), Duration.ofSeconds(70))));
  }
}
