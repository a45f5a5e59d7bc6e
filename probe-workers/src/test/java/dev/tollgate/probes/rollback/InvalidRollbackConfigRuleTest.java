package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidRollbackConfigRuleTest {
  private final RuleHarness harness = RuleHarness.of(new InvalidRollbackConfigRule());
  @TempDir Path dir;

  @Test
  void flagsUnknownKeysBadValuesAndForwardOnlyWithoutAReason() {
    var repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        rollback:
          exlude: [bench/]
          budget: 2 minutes
          forwardOnly:
            db/V7__drop.sql: ""
        environments:
          staging:
            rollback: {blastRadius: {commits: 0}, estimateFrom: 3}
        """);
    harness.assertViolations(repo, """
        BLOCK rollback/invalid-config .tollgate.yml
          rollback.exlude: unknown key (known: [blastRadius, budget, exclude, floatingTags, forwardOnly, movingTags, \
        progressDeadline])
        BLOCK rollback/invalid-config .tollgate.yml
          rollback.budget: expected a duration such as 30s, 5m or PT30S
        BLOCK rollback/invalid-config .tollgate.yml
          rollback.forwardOnly.db/V7__drop.sql: expected the reason this migration has no way back (a non-empty text)
        BLOCK rollback/invalid-config .tollgate.yml
          environments.staging.rollback.estimateFrom: unknown key (known: [blastRadius, budget, floatingTags, \
        progressDeadline])
        BLOCK rollback/invalid-config .tollgate.yml
          environments.staging.rollback.blastRadius.commits: expected a whole number from 1 to 1000000
        """);
  }

  @Test
  void flagsTheOperatorsSettingsWithoutARepositoryPath() {
    var repo = FixtureRepo.create(dir).commit("app.txt", "v1");
    harness.withServerConfig("environments: {production: {rollback: {budget: -5s, floatingTags: sometimes}}}")
        .assertViolations(repo, """
            BLOCK rollback/invalid-config -
              server tollgate.yml rollback (environment production): budget: expected a duration like 30s, 5m or PT30S, \
            got "-5s"
            BLOCK rollback/invalid-config -
              server tollgate.yml rollback (environment production): floatingTags: expected info, warn or block, got \
            "sometimes"
            """);
  }

  @Test
  void passesValidSettingsInEveryPlace() {
    // Safe: every key known, every value in range, on both sides.
    var repo = FixtureRepo.create(dir).commit(".tollgate.yml", """
        rollback:
          exclude: ["**/src/test/**", bench/]
          movingTags: [prod-current]
          forwardOnly:
            "db/migration/V7__*.sql": "archived first, see OPS-1207"
          floatingTags: warn
        defaults:
          rollback: {budget: 90s}
        environments:
          production:
            rollback: {blastRadius: {commits: 10, files: 50, migrations: 2}, progressDeadline: 5m}
        """);
    harness.withServerConfig("defaults: {rollback: {budget: 2m, estimateFrom: 5, floatingTags: info}}")
        .assertNoViolations(repo);
  }
}
