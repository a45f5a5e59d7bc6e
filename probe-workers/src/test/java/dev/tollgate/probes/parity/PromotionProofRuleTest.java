package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.passedIn;
import static dev.tollgate.probes.parity.ParityFixtures.repo;
import static dev.tollgate.probes.parity.ParityFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionProofRuleTest {
  private static final String CHAIN = """
      environments:
        staging: {promotesFrom: dev}
        production:
          promotesFrom: staging
          promotion: {hotfix: '^hotfix(\\(.*\\))?:'}
      """;

  private final RuleHarness harness = RuleHarness.of(new PromotionProofRule());
  @TempDir Path dir;

  private FixtureRepo chain(String subject) {
    return FixtureRepo.create(dir).commit(Map.of(".tollgate.yml", CHAIN), subject);
  }

  @Test
  void flagsACommitNeverDeployedToThePreviousEnvironment() {
    FixtureRepo repo = chain("feat: new checkout");
    harness.assertViolations(repo, "BLOCK parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging");
  }

  @Test
  void flagsAGoVerdictWithoutARecordedDeploy() {
    FixtureRepo repo = chain("feat: new checkout");
    harness.withHistory(status("staging", true, false)).assertViolations(repo, "BLOCK parity/promotion-proof -\n  "
        + repo.head().substring(0, 7) + " passed the gate for staging (evaluation ev-42) but no successful deploy to"
        + " staging was recorded");
  }

  @Test
  void flagsADeployThatNeverHadAGoVerdict() {
    FixtureRepo repo = chain("feat: new checkout");
    harness.withHistory(status("staging", false, true)).assertViolations(repo, "BLOCK parity/promotion-proof -\n  "
        + repo.head().substring(0, 7) + " was deployed to staging without a GO verdict");
  }

  @Test
  void flagsAHotfixAsAWarningThatStaysVisible() {
    FixtureRepo repo = chain("hotfix(payments): stop double charge");
    harness.assertViolations(repo, "WARN parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging (hotfix bypass: the commit subject matches /^hotfix(\\(.*\\))?:/)");
  }

  @Test
  void flagsAHotfixAsBlockingWhenTheServerForbidsTheBypass() {
    FixtureRepo repo = chain("hotfix: stop double charge");
    harness.withServerConfig("""
        environments:
          production:
            parity: {promotion: {allowHotfix: false}}
        """).assertViolations(repo, "BLOCK parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging");
  }

  @Test
  void flagsUsingTheServersChainWhenTheRepositoryDeclaresNone() {
    FixtureRepo repo = repo(dir, "README.md", "no .tollgate.yml here\n");
    harness.withServerConfig("""
        environments:
          production:
            parity: {promotesFrom: staging}
        """).assertViolations(repo, "BLOCK parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging");
  }

  @Test
  void flagsAsWarningWhenTheRepositoryAsksForWarnAndTheServerDoesNotForbidIt() {
    FixtureRepo repo = repo(dir, ".tollgate.yml", """
        environments:
          production: {promotesFrom: staging, promotion: {proof: warn}}
        """);
    harness.assertViolations(repo, "WARN parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging");
    // The repository may only tighten: a server floor of block wins over the repository's warn.
    harness.withServerConfig("""
        defaults:
          parity: {promotion: {proof: block}}
        """).assertViolations(repo, "BLOCK parity/promotion-proof -\n  " + repo.head().substring(0, 7)
        + " was never deployed to staging");
  }

  @Test
  void passesWhenTheCommitPassedAndWasDeployedInThePreviousEnvironment() {
    // Safe: the exact commit ran in staging with a GO verdict.
    harness.withHistory(passedIn("staging")).assertNoViolations(chain("feat: new checkout"));
  }

  @Test
  void passesForTheFirstEnvironmentOfTheChain() {
    // Safe: dev promotes from nothing, so there is nothing to prove.
    harness.in("dev").assertNoViolations(chain("feat: new checkout"));
  }

  @Test
  void passesWhenTheChainIsOnlyInferredFromFileNames() {
    // Safe by design: a chain guessed from values-staging.yaml must not block a team that deploys staging
    // outside Tollgate; only a declared chain is proven.
    FixtureRepo repo = repo(dir, "values-staging.yaml", "a: 1\n", "values-production.yaml", "a: 2\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesWhenProofIsOff() {
    // The repository turned the proof off and the server set no floor.
    harness.assertNoViolations(repo(dir, ".tollgate.yml", """
        environments:
          production: {promotesFrom: staging, promotion: {proof: "off"}}
        """));
    // Unquoted, YAML 1.1 reads off as false: still understood as off.
    harness.assertNoViolations(repo(dir.resolve("unquoted"), ".tollgate.yml", """
        environments:
          production:
            promotesFrom: staging
            promotion:
              proof: off
        """));
  }

  @Test
  void endToEndStagingThenProductionForTheSameCommitAndNotForAnother() {
    // #6 proof at probe level: staging (first evaluated, promotes from dev, which passed) then production.
    var probe = RuleHarness.of(new EnvironmentParityProbe());
    FixtureRepo repo = chain("feat: new checkout");
    assertEquals(ProbeStatus.PASS, probe.in("staging").withHistory(passedIn("dev")).run(repo).status());
    var production = probe.in("production").withHistory(passedIn("dev", "staging")).run(repo);
    assertEquals(ProbeStatus.PASS, production.status(), production.reason());
    var unseen = probe.in("production").withHistory(passedIn("dev")).run(repo);
    assertEquals(ProbeStatus.FAIL, unseen.status());
    assertEquals(repo.head().substring(0, 7) + " was never deployed to staging", unseen.findings().get(0).message());
  }
}
