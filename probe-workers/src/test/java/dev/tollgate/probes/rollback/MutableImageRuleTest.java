package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MutableImageRuleTest {
  private final RuleHarness harness = RuleHarness.of(new MutableImageRule());
  @TempDir Path dir;

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: shop
      spec:
        template:
          spec:
            containers:
              - name: web
                image: %s
      """;

  @Test
  void flagsLatestInADeployment() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", DEPLOYMENT.formatted("nginx:latest"));
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image k8s/shop.yaml:10
          `nginx:latest` in container `web` of Deployment `shop`: `:latest` names whatever was pushed last, so "roll back \
        to the previous image" may pull the new one again.
        """);
  }

  @Test
  void flagsEveryUnpinnedImageOfAMultiDocumentFile() {
    var repo = FixtureRepo.create(dir).commit("k8s/all.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop@sha256:"
        + "a".repeat(64)) + """
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: cleanup
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                    - name: wait
                      image: busybox
                  containers:
                    - name: run
                      image: ghcr.io/acme/cleanup:stable
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: not-a-workload
        data:
          image: nginx:latest
        """);
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image k8s/all.yaml:24
          `busybox` in init container `wait` of CronJob `cleanup` has no tag, so the runtime pulls `:latest`: "roll back \
        to the previous image" may pull the new one again.
        BLOCK rollback/mutable-image k8s/all.yaml:27
          `ghcr.io/acme/cleanup:stable` in container `run` of CronJob `cleanup` uses `stable`, a tag that is moved to \
        newer images, so "roll back to the previous image" is undefined.
        """);
  }

  @Test
  void flagsUnchangedManifestsOfTheCandidateTreeToo() {
    // The deploy changes only the README, but what it rolls back to still runs an image nobody can name again.
    var repo = FixtureRepo.create(dir).commit("deploy/worker.yaml", DEPLOYMENT.formatted("acme/worker:main")
        .replace("Deployment", "StatefulSet").replace("shop", "worker")).deployed().commit("README.md", "docs");
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image deploy/worker.yaml:10
          `acme/worker:main` in container `web` of StatefulSet `worker` uses `main`, a tag that is moved to newer images, \
        so "roll back to the previous image" is undefined.
        """);
  }

  @Test
  void flagsHelmValuesTrees() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n");
    files.put("chart/values.yaml", """
        image:
          repository: ghcr.io/acme/shop
          tag: ""            # the chart's appVersion, and Chart.yaml has none
        worker:
          image:
            registry: ghcr.io
            repository: acme/worker
            tag: edge
        sidecars:
          - name: proxy
            image: envoyproxy/envoy
            imageTag: v1.31.2
          - name: metrics
            image: prom/statsd-exporter
        """);
    files.put("chart/templates/deployment.yaml", "image: {{ .Values.image.repository }}:latest\n");
    // An environment's override names only what it changes; a digest-only override pins.
    files.put("chart/values-production.yaml", "image:\n  tag: latest\nworker:\n  image:\n    digest: sha256:"
        + "e".repeat(64) + "\n");
    var repo = FixtureRepo.create(dir).commit(files, "chart");
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image chart/values-production.yaml:2
          `…:latest` in `image` (Helm values) (the repository is set in another values file): `:latest` names whatever \
        was pushed last, so "roll back to the previous image" may pull the new one again.
        BLOCK rollback/mutable-image chart/values.yaml:3
          `ghcr.io/acme/shop` in `image` (Helm values) (no `tag` here and no `appVersion` in Chart.yaml) has no tag, so \
        the runtime pulls `:latest`: "roll back to the previous image" may pull the new one again.
        BLOCK rollback/mutable-image chart/values.yaml:8
          `ghcr.io/acme/worker:edge` in `worker.image` (Helm values) uses `edge`, a tag that is moved to newer images, so \
        "roll back to the previous image" is undefined.
        BLOCK rollback/mutable-image chart/values.yaml:14
          `prom/statsd-exporter` in `sidecars[1].image` (Helm values) has no tag, so the runtime pulls `:latest`: "roll \
        back to the previous image" may pull the new one again.
        """);
  }

  @Test
  void flagsKustomizeOverlayTagsAndBaseImagesOneOverlayLeavesUnpinned() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
    files.put("k8s/base/deployment.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop"));
    files.put("k8s/overlays/production/kustomization.yaml", """
        resources: [../../base]
        images:
          - name: ghcr.io/acme/shop
            newTag: latest
        """);
    // Staging sets no tag: it renders the base's untagged image.
    files.put("k8s/overlays/staging/kustomization.yaml", "resources: [../../base]\n");
    var repo = FixtureRepo.create(dir).commit(files, "kustomize");
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image k8s/base/deployment.yaml:10
          `ghcr.io/acme/shop` in container `web` of Deployment `shop` has no tag, so the runtime pulls `:latest`: "roll \
        back to the previous image" may pull the new one again.
        BLOCK rollback/mutable-image k8s/overlays/production/kustomization.yaml:4
          `ghcr.io/acme/shop:latest` in Kustomize `images` entry `ghcr.io/acme/shop`: `:latest` names whatever was pushed \
        last, so "roll back to the previous image" may pull the new one again.
        """);
  }

  @Test
  void flagsComposeServicesAndDockerfileBaseImages() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("docker-compose.yml", """
        services:
          db:
            image: postgres
          app:
            build: .
            image: acme/app:latest     # what Compose builds from this checkout: not pulled
        """);
    files.put("Dockerfile", """
        ARG BASE=node:current-alpine
        FROM ${BASE} AS build
        RUN npm ci
        FROM gcr.io/distroless/nodejs20-debian12:nonroot
        COPY --from=build /app /app
        """);
    var repo = FixtureRepo.create(dir).commit(files, "compose");
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image Dockerfile:2
          `node:current-alpine` in `FROM` (Dockerfile) uses `current-alpine`, a tag that is moved to newer images, so \
        "roll back to the previous image" is undefined.
        BLOCK rollback/mutable-image Dockerfile:4
          `gcr.io/distroless/nodejs20-debian12:nonroot` in `FROM` (Dockerfile) uses `nonroot`, a tag that is moved to \
        newer images, so "roll back to the previous image" is undefined.
        BLOCK rollback/mutable-image docker-compose.yml:3
          `postgres` in `services.db.image` (Compose) has no tag, so the runtime pulls `:latest`: "roll back to the \
        previous image" may pull the new one again.
        """);
  }

  @Test
  void flagsFloatingVersionTagsAtTheWeightTheEnvironmentGivesThem() {
    var repo = FixtureRepo.create(dir).commit("Dockerfile", "FROM eclipse-temurin:17-jre\n");
    harness.assertViolations(repo, """
        INFO rollback/mutable-image Dockerfile:1
          `eclipse-temurin:17-jre` in `FROM` (Dockerfile) uses the floating version tag `17-jre`, re-pointed at every \
        patch release: a rebuild or rollback may get a different image than the one that ran.
        """);
    harness.withServerConfig("environments: {production: {rollback: {floatingTags: block}}}").assertViolations(repo, """
        BLOCK rollback/mutable-image Dockerfile:1
          `eclipse-temurin:17-jre` in `FROM` (Dockerfile) uses the floating version tag `17-jre`, re-pointed at every \
        patch release: a rebuild or rollback may get a different image than the one that ran.
        """);
  }

  @Test
  void flagsTheRepositorysOwnMovingTagsAndBadDigests() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".tollgate.yml", "rollback:\n  movingTags: [\"release-*\"]\n");
    files.put("k8s/a.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop:release-7"));
    files.put("k8s/b.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop@sha256:abc123"));
    var repo = FixtureRepo.create(dir).commit(files, "tags");
    harness.assertViolations(repo, """
        BLOCK rollback/mutable-image k8s/a.yaml:10
          `ghcr.io/acme/shop:release-7` in container `web` of Deployment `shop` uses `release-7`, a tag that is moved to \
        newer images, so "roll back to the previous image" is undefined.
        BLOCK rollback/mutable-image k8s/b.yaml:10
          `ghcr.io/acme/shop@sha256:abc123` in container `web` of Deployment `shop`: `@sha256:abc123` is not a digest \
        (expected `sha256:` and 64 hex digits), so the pull fails and nothing pins the image.
        """);
  }

  @Test
  void passesDigestsReleaseVersionsAndCommitTags() {
    // Safe: each reference names one image for as long as the registry keeps it.
    Map<String, String> files = new LinkedHashMap<>();
    files.put("k8s/web.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop:1.4.2@sha256:" + "0".repeat(64)));
    files.put("k8s/api.yaml", DEPLOYMENT.formatted("ghcr.io/acme/api:v2.31.0-alpine"));
    files.put("k8s/job.yaml", DEPLOYMENT.formatted("registry.local:5000/acme/job:main-3f2c9a1"));
    files.put("k8s/batch.yaml", DEPLOYMENT.formatted("acme/batch:20261126.3"));
    files.put("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\nappVersion: 1.4.2\n");
    files.put("chart/values.yaml", "image:\n  repository: ghcr.io/acme/shop\n  tag: \"\"\n  pullPolicy: IfNotPresent\n");
    var repo = FixtureRepo.create(dir).commit(files, "pinned");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesBaseImagesThatEveryOverlayPins() {
    // Safe: kustomize renders the overlays, and each one pins the image; the base's bare name is a placeholder.
    Map<String, String> files = new LinkedHashMap<>();
    files.put("k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n");
    files.put("k8s/base/deployment.yaml", DEPLOYMENT.formatted("ghcr.io/acme/shop"));
    files.put("k8s/overlays/production/kustomization.yaml", """
        resources: [../../base]
        images:
          - name: ghcr.io/acme/shop
            digest: sha256:%s
        """.formatted("1".repeat(64)));
    files.put("k8s/overlays/staging/kustomization.yaml", """
        resources: [../../base]
        images:
          - name: ghcr.io/acme/shop
            newTag: 1.4.2
        """);
    var repo = FixtureRepo.create(dir).commit(files, "kustomize");
    harness.assertNoViolations(repo);
  }

  @Test
  void passesWhatIsExcludedTemplatedOrBuiltHere() {
    // Safe: excluded test fixtures never ship; ${IMAGE} and Helm templates are filled in by the pipeline; a Dockerfile
    // stage built earlier in the same file is not pulled.
    Map<String, String> files = new LinkedHashMap<>();
    files.put(".tollgate.yml", "rollback:\n  exclude: [\"**/src/test/**\", legacy/]\n");
    files.put("app/src/test/resources/k8s/bad.yaml", DEPLOYMENT.formatted("nginx:latest"));
    files.put("legacy/docker-compose.yml", "services:\n  db:\n    image: postgres\n");
    files.put("k8s/envsubst.yaml", DEPLOYMENT.formatted("${IMAGE}"));
    files.put("k8s/not-yaml.yaml", "kind: Deployment\ncontainers: [ {{ oops\n");
    files.put("Dockerfile", "FROM maven:3.9.9-eclipse-temurin-17 AS build\nFROM build AS test\nFROM scratch\n");
    var repo = FixtureRepo.create(dir).commit(files, "noise");
    harness.assertNoViolations(repo);
  }
}
