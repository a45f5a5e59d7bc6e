package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidParityConfigRuleTest {
  private final RuleHarness harness = RuleHarness.of(new InvalidParityConfigRule());
  @TempDir Path dir;

  @Test
  void flagsUnknownKeysBadValuesAndOneSidedDeclaredConfig() {
    var repo = repo(dir, ".tollgate.yml", """
        environments:
          production:
            promotesFrom: staging
            config: [deploy/prod.env]
            promotion: {proof: maybe, hotfix: "([unclosed"}
          staging:
            promotesFrom: staging
        parity:
          detectt: false
        """, "deploy/prod.env", "A=1\n");
    harness.assertViolations(repo, """
        BLOCK parity/invalid-config .tollgate.yml
          parity.detectt: unknown key (known: [detect, exclude, flagKeys, ignoreKeys, secretKeys])
        BLOCK parity/invalid-config .tollgate.yml
          environments.production.promotion.proof: expected block, warn or off
        BLOCK parity/invalid-config .tollgate.yml
          environments.production.promotion.hotfix: not a regular expression Tollgate can run in linear time (RE2 syntax: \
        no backreferences such as \\1, no lookarounds, no possessive quantifiers): missing closing ]
        BLOCK parity/invalid-config .tollgate.yml
          environments.staging.promotesFrom: an environment cannot promote from itself
        BLOCK parity/invalid-config .tollgate.yml
          environments.staging.config: required because environments.production.config is set (the two are compared layer by layer)
        """);
  }

  @Test
  void flagsDeclaredFilesThatDoNotExistAndServerSettingsErrors() {
    var repo = repo(dir, ".tollgate.yml", """
        environments:
          staging: {config: [deploy/staging.env]}
          production: {promotesFrom: staging, config: [deploy/production.env]}
        """, "deploy/staging.env", "A=1\n");
    harness.assertViolations(repo, """
        BLOCK parity/invalid-config .tollgate.yml
          environments.production.config: deploy/production.env matches no file at the candidate commit
        """);
    harness.withServerConfig("""
        environments:
          production:
            parity: {promotesFrom: 7, promotion: {allowHotfix: "sometimes"}}
        """).assertViolations(repo, """
        BLOCK parity/invalid-config -
          server tollgate.yml parity.promotesFrom: expected another environment's name, got 7
        BLOCK parity/invalid-config -
          server tollgate.yml parity.promotion.allowHotfix: expected true or false, got "sometimes"
        """);
  }

  @Test
  void passesForValidSettingsAndReadableFiles() {
    // Safe: every key known, every declared file present and parseable.
    var repo = repo(dir, ".tollgate.yml", """
        defaults:
          specificKeys: [ingress.host]
          promotion: {hotfix: "^hotfix:"}
        environments:
          staging: {config: ["deploy/staging/*.env"]}
          production:
            promotesFrom: staging
            config: ["deploy/production/*.env"]
            promotion: {proof: warn}
        parity:
          detect: true
          secretKeys: ["*.dsn"]
          flagKeys: ["experiments.*"]
          ignoreKeys: [build.timestamp]
          exclude: ["legacy/**"]
        """, "deploy/staging/app.env", "A=1\n", "deploy/production/app.env", "A=2\n");
    harness.assertNoViolations(repo);
  }
}
