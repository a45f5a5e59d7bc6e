package dev.tollgate.probes.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole probe on one realistic release, and the operators' settings check. */
class RollbackReadinessProbeTest {
  private final RuleHarness harness = RuleHarness.of(new RollbackReadinessProbe());
  @TempDir Path dir;

  static final Instant T = Instant.parse("2026-11-25T09:00:00Z");

  /** A release over a recorded, digest-pinned deploy that took 70 s: every rule's safe case at once. */
  FixtureRepo release(String image) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("db/migration/V1__init.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text);");
    base.put("src/main/java/app/Users.java", "class Users { String q = \"SELECT id, email FROM users\"; }");
    base.put("k8s/shop.yaml", RolloutCannotStopRuleTest.SAFE);
    Map<String, String> next = new LinkedHashMap<>();
    next.put("db/migration/V2__nick.sql", "ALTER TABLE users ADD COLUMN nick text;");
    next.put("db/migration/U2__nick.sql", "ALTER TABLE users DROP COLUMN nick;");
    next.put("k8s/shop.yaml", RolloutCannotStopRuleTest.SAFE.replace("ghcr.io/acme/shop:1.4.2", image));
    return FixtureRepo.create(dir).commit(base, "release 1").deployed().commit(next, "release 2");
  }

  DeployHistory history(FixtureRepo repo) {
    return new DeployHistory(List.of(new DeployRecord(repo.baseline(), DeployStatus.SUCCEEDED, T, T.plusSeconds(70),
        "sha256:" + "c".repeat(64), "ci-7")), Map.of());
  }

  @Test
  void passesAReleaseThatCanBeUndone() {
    var repo = release("ghcr.io/acme/shop:1.4.3");
    ProbeOutcome outcome = harness.withHistory(history(repo)).run(repo);
    assertEquals(ProbeStatus.PASS, outcome.status(), RuleHarness.render(outcome.findings()));
    assertEquals(List.of(), outcome.findings());
  }

  @Test
  void flagsOnlyTheLatestImageWhenThatIsTheOnlyProblem() {
    var repo = release("ghcr.io/acme/shop:latest");
    ProbeOutcome outcome = harness.withHistory(history(repo)).run(repo);
    assertEquals(ProbeStatus.FAIL, outcome.status());
    assertEquals("""
        BLOCK rollback/mutable-image k8s/shop.yaml:18
          `ghcr.io/acme/shop:latest` in container `web` of Deployment `shop`: `:latest` names whatever was pushed last, \
        so "roll back to the previous image" may pull the new one again.""", RuleHarness.render(outcome.findings()));
    assertTrue(outcome.findings().get(0).fix().contains("ghcr.io/acme/shop@sha256:<digest>"), outcome.findings().toString());
  }

  @Test
  void rulesAreListedInIdOrder() {
    List<String> ids = new RollbackReadinessProbe().rules().stream().map(r -> r.id().value()).toList();
    assertEquals(ids.stream().sorted().toList(), ids);
    assertEquals(9, ids.size());
  }

  @Test
  void validatesTheOperatorsSettingsPerEnvironment() throws Exception {
    var root = new YAMLMapper().readTree("""
        defaults:
          rollback: {budget: 2m, blastRadius: {commits: 30}}
        environments:
          production:
            rollback: {budget: soon, blastRadius: {lines: 5}, exclude: [x/]}
          staging: {}
        """);
    RollbackReadinessProbe probe = new RollbackReadinessProbe();
    ServerSettings settings = new ServerSettings(root.path("defaults"), root.path("environments"), "");
    assertEquals(List.of(), probe.validateServerSettings(settings.forEnvironment("staging")));
    assertEquals(List.of(
        "server tollgate.yml rollback (environment production): exclude: unknown key (known: [blastRadius, budget,"
            + " estimateFrom, floatingTags, progressDeadline])",
        "server tollgate.yml rollback (environment production): budget: expected a duration like 30s, 5m or PT30S,"
            + " got \"soon\"",
        "server tollgate.yml rollback (environment production): blastRadius.lines: unknown key (known: [commits, files,"
            + " migrations])"), probe.validateServerSettings(settings.forEnvironment("production")));
  }
}
