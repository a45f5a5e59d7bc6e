package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFlagDriftRuleTest {
  private final RuleHarness harness = RuleHarness.of(new FeatureFlagDriftRule());
  @TempDir Path dir;

  @Test
  void flagsFlagsDefinedOnOneSideAndFlagsOnlyProductionEnables() {
    var repo = repo(dir,
        "config/application-staging.yml", """
            features:
              new-checkout: false
              search-v2: true
              rollout-percent: 10
            """,
        "config/application-production.yml", """
            features:
              new-checkout: true
              rollout-percent: 100
              dark-mode: true
            """);
    harness.assertViolations(repo, """
        WARN parity/feature-flag-drift config/application-production.yml:2
          3 feature flags differing between staging and production:
          - features.dark-mode: staging (missing) vs production true (defined only in production)
          - features.new-checkout: staging false vs production true (on in production but off in staging: staging never ran it)
          - features.rollout-percent: staging 10 vs production 100 (different setting)
        WARN parity/feature-flag-drift config/application-staging.yml:3
          1 feature flag differing between staging and production:
          - features.search-v2: staging true vs production (missing) (defined only in staging)
        """);
  }

  @Test
  void flagsDotenvFlagsByNameAndFlagFilesByLocation() {
    var repo = repo(dir,
        ".env.staging", "FEATURE_PAYPAL=on\n",
        ".env.production", "LOG_LEVEL=info\nFEATURE_PAYPAL=on\nFF_BETA_UI=on\n",
        "flags/staging.yaml", "checkout: {enabled: false}\n",
        "flags/production.yaml", "checkout: {enabled: true}\n");
    harness.assertViolations(repo, """
        WARN parity/feature-flag-drift .env.production:3
          1 feature flag differing between staging and production:
          - FF_BETA_UI: staging (missing) vs production on (defined only in production)
        WARN parity/feature-flag-drift flags/production.yaml:1
          1 feature flag differing between staging and production:
          - checkout.enabled: staging false vs production true (on in production but off in staging: staging never ran it)
        """);
  }

  @Test
  void passesWhenProductionTurnsAFlagOffThatStagingRan() {
    // Safe: switching a flag off returns to the code path both environments already ran.
    var repo = repo(dir, "values-staging.yaml", "featureFlags:\n  newSearch: true\n",
        "values-production.yaml", "featureFlags:\n  newSearch: false\n");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesForDeclaredEnvironmentSpecificFlags() {
    // Safe: the team declared the debug toolbar a staging-only flag.
    var repo = repo(dir,
        ".tollgate.yml", "environments:\n  staging: {specificKeys: [features.debug-toolbar]}\n",
        "config/application-staging.yml", "features:\n  debug-toolbar: true\n",
        "config/application-production.yml", "server:\n  port: 80\n");
    harness.assertNoViolations(repo);
  }
}
