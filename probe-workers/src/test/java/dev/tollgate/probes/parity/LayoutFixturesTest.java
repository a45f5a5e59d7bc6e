package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.layout;
import static dev.tollgate.probes.parity.ParityFixtures.passedIn;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole probe on one checked-in repository per layout (src/test/resources/fixtures/parity/layouts): what a
 * reviewer sees for each, grouped by file. The candidate passed staging, so only configuration drift shows.
 */
class LayoutFixturesTest {
  private final RuleHarness production = RuleHarness.of(new EnvironmentParityProbe()).withHistory(passedIn("staging"));
  @TempDir Path dir;

  @Test
  void springProfilesInYamlAndPropertiesOverABaseFile() {
    // application-staging.yml and application-production.properties are one profile in two formats; keys of
    // application.yml are set for both; the datasource password is in both and never shown.
    production.assertViolations(layout(dir, "layouts/spring"), """
        BLOCK parity/missing-key src/main/resources/application-production.properties:5
          1 key set in only one of staging and production:
          - mail.host: staging (missing) vs production smtp.internal
        BLOCK parity/missing-key src/main/resources/application-staging.yml:6
          1 key set in only one of staging and production:
          - cache.ttl: staging 300 vs production (missing)
        BLOCK parity/type-mismatch src/main/resources/application-production.properties:4
          1 key with a different type in staging and production:
          - payments.retries: staging 3 (number) vs production three (string)
        WARN parity/feature-flag-drift src/main/resources/application-production.properties:3
          1 feature flag differing between staging and production:
          - features.new-checkout: staging false vs production true (on in production but off in staging: staging never ran it)
        """);
  }

  @Test
  void helmValuesPerEnvironment() {
    production.assertViolations(layout(dir, "layouts/helm"), """
        BLOCK parity/missing-key deploy/chart/values-staging.yaml:7
          1 key set in only one of staging and production:
          - podAnnotations.sidecar.istio.io/inject: staging "true" vs production (missing)
        BLOCK parity/type-mismatch deploy/chart/values-production.yaml:6
          1 key with a different type in staging and production:
          - ingress.hosts: staging [shop.staging.example.com] (list) vs production "shop.example.com" (string)
        WARN parity/image-drift deploy/chart/values-production.yaml:3
          1 image differing between staging and production:
          - image: staging ghcr.io/acme/shop:2.4.0-rc1 vs production ghcr.io/acme/shop:2.3.0@sha256:5d41402abc4b2a76b9719d911017c592
        """);
  }

  @Test
  void kustomizeOverlays() {
    production.assertViolations(layout(dir, "layouts/kustomize"), """
        BLOCK parity/missing-key k8s/overlays/production/replicas.yaml:6
          1 key set in only one of staging and production:
          - Deployment/api.spec.minReadySeconds: staging (missing) vs production 30
        BLOCK parity/missing-key k8s/overlays/staging/kustomization.yaml:12
          1 key set in only one of staging and production:
          - configMapGenerator[api-config].literals.SEARCH_BACKEND: staging opensearch vs production (missing)
        BLOCK parity/type-mismatch k8s/overlays/production/kustomization.yaml:11
          1 key with a different type in staging and production:
          - configMapGenerator[api-config].literals.MAX_CONNECTIONS: staging 100 (number) vs production many (string)
        WARN parity/image-drift k8s/overlays/production/kustomization.yaml:6
          1 image differing between staging and production:
          - images[api]: staging registry.example.com/api:1.8.0 vs production registry.example.com/api:1.7.2
        """);
  }

  @Test
  void dotenvFilesWithQuotingAndMultiLineValues() {
    production.assertViolations(layout(dir, "layouts/dotenv"), """
        BLOCK parity/missing-key .env.production:5
          1 key set in only one of staging and production:
          - SENTRY_DSN: staging (missing) vs production (set, redacted)
        BLOCK parity/missing-key .env.staging:4
          2 keys set in only one of staging and production:
          - REDIS_URL: staging redis://cache.staging:6379/0 vs production (missing)
          - TLS_CERT: staging -----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIUQ\\n-----END CERTIFICATE----- vs production (missing)
        BLOCK parity/type-mismatch .env.production:2
          1 key with a different type in staging and production:
          - WORKERS: staging 4 (number) vs production auto (string)
        WARN parity/feature-flag-drift .env.production:4
          1 feature flag differing between staging and production:
          - FEATURE_NEW_SEARCH: staging off vs production on (on in production but off in staging: staging never ran it)
        """);
  }

  @Test
  void jsonNodeConfigAndDotnetAppsettings() {
    production.assertViolations(layout(dir, "layouts/json"), """
        BLOCK parity/missing-key api/appsettings.Production.json:3
          1 key set in only one of staging and production:
          - RateLimit.QueueLimit: staging (missing) vs production 10
        BLOCK parity/missing-key config/staging.json:3
          1 key set in only one of staging and production:
          - queue.concurrency: staging 2 vs production (missing)
        BLOCK parity/type-mismatch config/production.json:2
          1 key with a different type in staging and production:
          - db.pool: staging 5 (number) vs production "20" (string)
        """);
  }

  @Test
  void propertiesFilesDeclaredForOwnEnvironmentNames() {
    RuleHarness.of(new EnvironmentParityProbe()).in("live").withHistory(passedIn("acceptance"))
        .assertViolations(layout(dir, "layouts/properties"), """
            BLOCK parity/missing-key conf/acceptance.properties:4
              1 key set in only one of acceptance and live:
              - http.proxy: acceptance proxy.acc:3128 vs live (missing)
            BLOCK parity/missing-key conf/live.properties:4
              1 key set in only one of acceptance and live:
              - batch.size: acceptance (missing) vs live 500
            BLOCK parity/type-mismatch conf/live.properties:2
              1 key with a different type in acceptance and live:
              - http.timeout.ms: acceptance 2000 (number) vs live 2s (string)
            """);
  }

  @Test
  void terraformTfvarsPerEnvironment() {
    production.assertViolations(layout(dir, "layouts/terraform"), """
        BLOCK parity/missing-key infra/production.tfvars:6
          1 key set in only one of staging and production:
          - db.backup_window: staging (missing) vs production "03:00-04:00"
        BLOCK parity/type-mismatch infra/production.tfvars:8
          1 key with a different type in staging and production:
          - allowed_cidrs: staging [10.0.0.0/8] (list) vs production "10.0.0.0/8" (string)
        WARN parity/runtime-drift infra/production.tfvars:4
          1 version differing between staging and production:
          - db.engine_version: staging "16.2" vs production "15.6"
        """);
  }

  @Test
  void runtimePinsAndBaseImagesPerEnvironment() {
    production.assertViolations(layout(dir, "layouts/runtime"), """
        WARN parity/image-drift docker/Dockerfile.production:1
          2 images differing between staging and production:
          - FROM #1: staging gcr.io/distroless/nodejs20 vs production gcr.io/distroless/nodejs18
          - FROM build: staging node:20-alpine vs production node:18-alpine
        WARN parity/runtime-drift envs/production/.tool-versions:1
          1 version differing between staging and production:
          - nodejs: staging 20.11.0 vs production 18.19.0
        """);
  }

  @Test
  void aSingleEnvironmentRepositoryPassesWithNoFindings() {
    // No chain declared and nothing detected: parity has nothing to say, which is not an error.
    production.assertNoViolations(layout(dir, "layouts/none"));
  }
}
