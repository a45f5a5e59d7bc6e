package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;

import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDriftRuleTest {
  private final RuleHarness harness = RuleHarness.of(new ImageDriftRule());
  @TempDir Path dir;

  @Test
  void flagsHelmImageTagsAndDigestsThatDiffer() {
    var repo = repo(dir,
        "chart/values.yaml", "image:\n  repository: ghcr.io/acme/api\n  tag: \"1.4.2\"\nworker:\n  image: ghcr.io/acme/worker:7\n",
        "chart/values-staging.yaml", "image:\n  tag: \"1.4.2\"\n",
        "chart/values-production.yaml", "image:\n  tag: \"1.3.9\"\n  digest: sha256:0123abcd\nworker:\n  image: ghcr.io/acme/worker:6\n");
    harness.assertViolations(repo, """
        WARN parity/image-drift chart/values-production.yaml:2
          2 images differing between staging and production:
          - image: staging ghcr.io/acme/api:1.4.2 vs production ghcr.io/acme/api:1.3.9@sha256:0123abcd
          - worker.image: staging ghcr.io/acme/worker:7 vs production ghcr.io/acme/worker:6
        """);
  }

  @Test
  void flagsKustomizeImagesAndContainerImagesInOverlayPatches() {
    var repo = repo(dir,
        "k8s/overlays/staging/kustomization.yaml", """
            images:
              - name: api
                newName: registry.example.com/api
                newTag: "2.0.0"
            """,
        "k8s/overlays/production/kustomization.yaml", """
            images:
              - name: api
                newName: registry.example.com/api
                digest: sha256:feedbeef
            """,
        "k8s/overlays/staging/sidecar.yaml", """
            kind: Deployment
            metadata: {name: api-staging}
            spec: {template: {spec: {containers: [{name: proxy, image: "envoyproxy/envoy:v1.30.1"}]}}}
            """,
        "k8s/overlays/production/sidecar.yaml", """
            kind: Deployment
            metadata: {name: api-prod}
            spec: {template: {spec: {containers: [{name: proxy, image: "envoyproxy/envoy:v1.29.4"}]}}}
            """);
    harness.assertViolations(repo, """
        WARN parity/image-drift k8s/overlays/production/kustomization.yaml:3
          1 image differing between staging and production:
          - images[api]: staging registry.example.com/api:2.0.0 vs production registry.example.com/api@sha256:feedbeef
        WARN parity/image-drift k8s/overlays/production/sidecar.yaml:3
          1 image differing between staging and production:
          - Deployment/api-{env}.spec.template.spec.containers[proxy].image: staging envoyproxy/envoy:v1.30.1 vs production envoyproxy/envoy:v1.29.4
        """);
  }

  @Test
  void flagsDockerfileBaseImagesPerEnvironment() {
    var repo = repo(dir,
        "docker/Dockerfile.staging", "FROM eclipse-temurin:21-jre\n",
        "docker/Dockerfile.production", "ARG BASE=17-jre\nFROM eclipse-temurin:${BASE}\n");
    harness.assertViolations(repo, """
        WARN parity/image-drift docker/Dockerfile.production:2
          1 image differing between staging and production:
          - FROM #0: staging eclipse-temurin:21-jre vs production eclipse-temurin:17-jre
        """);
  }

  @Test
  void passesWhenBothEnvironmentsPinTheSameImage() {
    // Safe: production gets the image staging ran, pinned the same way.
    var repo = repo(dir,
        "chart/values-staging.yaml", "image: {repository: ghcr.io/acme/api, tag: \"1.4.2\"}\nreplicas: 1\n",
        "chart/values-production.yaml", "image: {repository: ghcr.io/acme/api, tag: \"1.4.2\"}\nreplicas: 6\n");
    harness.assertNoViolations(repo);
  }
}
