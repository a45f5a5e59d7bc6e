package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.testing.Attacks;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository author writes the candidate's {@code .tollgate.yml} and the files it names (a secrets baseline, a
 * freeze calendar): a range that loosens its own policy and ships what the looser policy lets through is also judged by
 * the policy at the baseline, as a peer gate reads protection settings from the base and not the head. A loosening
 * deployed on its own (reviewed, gated) applies from the next range on.
 */
class RepositoryPolicyTest {
  @TempDir
  Path tmp;

  private static String key() {
    return Attacks.awsKeyId(33);
  }

  private static ProbeCompleted check(FixtureRepo repo, ProbeId probe) {
    CheckExecutor executor = new CheckExecutor(ProbeRegistry.production(), c -> repo.changeSet(ChangeSet.Limits.DEFAULT),
        new ProbeRunner(200), ServerSettings.empty(), ResultRedactionTest.CLOCK, "test");
    return executor.execute(CheckRequested.of("e", "r", repo.target("production"), probe,
        ResultRedactionTest.CLOCK.instant().plusSeconds(60), ResultRedactionTest.CLOCK.instant(), null));
  }

  private static boolean blocks(ProbeCompleted r, String ruleId) {
    return r.status() == ProbeStatus.FAIL && r.findings().stream()
        .anyMatch(f -> f.ruleId().equals(ruleId) && f.message().contains(ProbeRunner.BASELINE_POLICY_NOTE));
  }

  @Test
  void anAllowPathAddedWithTheKeyItCoversStillBlocks() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("README.md", "# shop\n").deployed()
        .commit(Map.of(".tollgate.yml", "secrets: {allowPaths: [\"app/**\"]}\n",
            "app/prod.env", "AWS_ACCESS_KEY_ID=" + key() + "\n"), "move config");
    ProbeCompleted r = check(repo, ProbeId.SECRETS);
    assertTrue(blocks(r, "secrets/aws-access-key-id"), r.toString());
    assertFalse(r.toString().contains(key()), "the key never shows");
  }

  @Test
  void aStopwordAndAnInlineFreeConfigChangeOfTheSameRangeStillBlock() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit(".tollgate.yml", "secrets: {allowPaths: [fixtures/]}\n").deployed()
        .commit(Map.of(".tollgate.yml", "secrets: {allowPaths: [fixtures/], stopwords: {secrets/aws-access-key-id: [akia]}}\n",
            "app/prod.env", "AWS_ACCESS_KEY_ID=" + key() + "\n"), "tidy config");
    assertTrue(blocks(check(repo, ProbeId.SECRETS), "secrets/aws-access-key-id"));
  }

  @Test
  void theKeysFingerprintAcceptedInTheSecretsBaselineOfTheSameRangeStillBlocks() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("README.md", "# shop\n").deployed()
        .commit("app/prod.env", "AWS_ACCESS_KEY_ID=" + key() + "\n");
    Finding found = check(repo, ProbeId.SECRETS).findings().get(0);
    // The author reads the fingerprint off the NO_GO and accepts it in the same range.
    repo.commit(".tollgate/secrets-baseline.json",
        "{\"version\": 1, \"accepted\": [{\"fingerprint\": \"" + found.fingerprint() + "\", \"reason\": \"test\"}]}\n");
    assertTrue(blocks(check(repo, ProbeId.SECRETS), "secrets/aws-access-key-id"));
  }

  @Test
  void aLooseningDeployedOnItsOwnAppliesToTheNextRange() {
    // Not a false positive: the fixture path was allowed by a reviewed, gated deploy before the fixture came.
    FixtureRepo repo = FixtureRepo.create(tmp).commit("README.md", "# shop\n").deployed()
        .commit(".tollgate.yml", "secrets: {allowPaths: [\"fixtures/**\"]}\n");
    assertEquals(ProbeStatus.PASS, check(repo, ProbeId.SECRETS).status());
    repo.deployed().commit("fixtures/aws.env", "AWS_ACCESS_KEY_ID=" + key() + "\n");
    ProbeCompleted r = check(repo, ProbeId.SECRETS);
    assertEquals(ProbeStatus.PASS, r.status(), r.toString());
  }

  @Test
  void aMigrationDirectoryExcludedInTheSameRangeIsStillRead() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint);\n")
        .deployed()
        .commit(Map.of(".tollgate.yml", "migrations: {exclude: [db/], notMigrations: {\"db/\": \"not ours\"}}\n",
            "db/migration/V2__drop.sql", "DROP TABLE users;\n"), "cleanup");
    ProbeCompleted r = check(repo, ProbeId.MIGRATIONS);
    assertTrue(blocks(r, "migration/drop-table"), r.toString());
  }

  @Test
  void aForwardOnlyWaiverWrittenWithTheMigrationItWaivesStillBlocks() {
    FixtureRepo repo = FixtureRepo.create(tmp)
        .commit(Map.of("db/migration/V1__init.sql", "CREATE TABLE users (id bigint, flag int);\n",
            "db/migration/U1__init.sql", "DROP TABLE users;\n"), "init").deployed()
        .commit(Map.of(".tollgate.yml", "rollback: {forwardOnly: {\"db/migration/V2__drop.sql\": \"no way back\"}}\n",
            "db/migration/V2__drop.sql", "ALTER TABLE users DROP COLUMN flag;\n"), "drop flag");
    ProbeCompleted r = check(repo, ProbeId.ROLLBACK);
    assertTrue(blocks(r, "rollback/irreversible-migration"), r.toString());
  }

  @Test
  void aFreezeTheRepositoryDeclaredCannotBeLiftedByTheRangeItFreezes() {
    String frozen = "environments: {production: {calendar: {freezes: [{name: launch, start: 2026-11-20, end: 2026-12-01}]}}}\n";
    FixtureRepo repo = FixtureRepo.create(tmp).commit(".tollgate.yml", frozen).deployed()
        .commit(Map.of(".tollgate.yml", "version: 1\n", "app.txt", "ship it\n"), "ship");
    ProbeCompleted r = check(repo, ProbeId.CALENDAR);
    assertTrue(blocks(r, "calendar/freeze-window"), r.toString());
  }

  @Test
  void aFreezeCalendarFileEditedInTheRangeItFreezesStillBlocks() {
    String ics = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//shop//freezes//EN
        BEGIN:VEVENT
        UID:launch@shop
        DTSTAMP:20261101T000000Z
        DTSTART:20261120T000000Z
        DTEND:20261201T000000Z
        SUMMARY:Launch freeze
        END:VEVENT
        END:VCALENDAR
        """.replace("\n", "\r\n");
    FixtureRepo repo = FixtureRepo.create(tmp)
        .commit(Map.of(".tollgate.yml", "calendar: {feeds: [{name: team, path: ops/freezes.ics}]}\n",
            "ops/freezes.ics", ics), "freeze").deployed()
        .commit(Map.of("ops/freezes.ics", ics.replace("DTEND:20261201", "DTEND:20261121"), "app.txt", "ship\n"), "ship");
    ProbeCompleted r = check(repo, ProbeId.CALENDAR);
    assertTrue(blocks(r, "calendar/freeze-window"), r.toString());
  }

  @Test
  void aRequiredProbeOrDeadlineDroppedInTheRangeStillApplies() {
    FixtureRepo repo = FixtureRepo.create(tmp)
        .commit(".tollgate.yml", "environments: {production: {requiredProbes: [rollback], deadlines: {secrets: 20s},"
            + " warningsBlock: true}}\n").deployed()
        .commit(".tollgate.yml", "version: 1\n");
    ProbeCompleted r = check(repo, ProbeId.SECRETS);
    assertEquals(List.of(ProbeId.ROLLBACK), r.repoPolicy().requiredProbes());
    assertEquals(Duration.ofSeconds(20), r.repoPolicy().deadlines().get(ProbeId.SECRETS));
    assertTrue(r.repoPolicy().warningsBlock());
  }

  @Test
  void aRollbackIsNotJudgedByTheNewerGatePolicy() {
    // The running release requires the rollback probe; rolling back to the commit before that is judged by its own
    // policy, as the probe pass is (the baseline is no ancestor of a rollback).
    FixtureRepo repo = FixtureRepo.create(tmp).commit(".tollgate.yml", "version: 1\n");
    String older = repo.head();
    repo.commit(".tollgate.yml", "environments: {production: {requiredProbes: [rollback], deadlines: {secrets: 20s},"
        + " warningsBlock: true}}\n").deployed().resetTo(older);
    ProbeCompleted r = check(repo, ProbeId.SECRETS);
    assertEquals(List.of(), r.repoPolicy().requiredProbes(), r.toString());
    assertFalse(r.repoPolicy().deadlines().containsKey(ProbeId.SECRETS), r.toString());
    assertFalse(r.repoPolicy().warningsBlock(), r.toString());
  }

  @Test
  void aRangeThatLeavesThePolicyAloneIsJudgedOnce() {
    // The ordinary range: no second pass, no note, the same outcome as before.
    FixtureRepo repo = FixtureRepo.create(tmp).commit(".tollgate.yml", "secrets: {allowPaths: [\"fixtures/**\"]}\n")
        .deployed().commit(Map.of("fixtures/aws.env", "AWS_ACCESS_KEY_ID=" + key() + "\n",
            "app/prod.env", "AWS_ACCESS_KEY_ID=" + Attacks.awsKeyId(34) + "\n"), "config");
    ProbeCompleted r = check(repo, ProbeId.SECRETS);
    assertEquals(1, r.findings().size(), r.toString());
    assertEquals("app/prod.env", r.findings().get(0).file());
    assertFalse(r.findings().get(0).message().contains(ProbeRunner.BASELINE_POLICY_NOTE));
  }
}
