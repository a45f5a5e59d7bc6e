package dev.tollgate.probes.rollback;

import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutCannotStopRuleTest {
  private final RuleHarness harness = RuleHarness.of(new RolloutCannotStopRule());
  @TempDir Path dir;

  /** A Deployment that can stop itself; tests replace one line to break one property. */
  static final String SAFE = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: shop
      spec:
        replicas: 3
        revisionHistoryLimit: 5
        progressDeadlineSeconds: 300
        strategy:
          type: RollingUpdate
          rollingUpdate:
            maxUnavailable: 0
            maxSurge: 1
        template:
          spec:
            containers:
              - name: web
                image: ghcr.io/acme/shop:1.4.2
                ports:
                  - containerPort: 8080
                readinessProbe:
                  httpGet: {path: /ready, port: 8080}
              - name: log-shipper
                image: fluent/fluent-bit:3.1.9
      """;

  @Test
  void flagsAServingContainerWithoutReadinessProbe() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", SAFE.replaceAll(
        "(?m)^ *readinessProbe:\n *httpGet: .*\n", ""));
    harness.assertViolations(repo, """
        BLOCK rollback/rollout-cannot-stop k8s/shop.yaml:17
          Container `web` of Deployment `shop` has no readinessProbe but serves ports: the rollout counts it ready as \
        soon as it starts, so a release that starts and then fails to serve still replaces every healthy pod.
        BLOCK rollback/rollout-cannot-stop k8s/shop.yaml:21
          Container `log-shipper` of Deployment `shop` has no readinessProbe: the rollout counts it ready as soon as it \
        starts, so a release that starts and then fails to serve still replaces every healthy pod.
        """);
  }

  @Test
  void flagsNoRevisionToUndoTo() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", SAFE.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 0"));
    harness.assertViolations(repo, """
        BLOCK rollback/rollout-cannot-stop k8s/shop.yaml:7
          Deployment `shop` keeps no old revisions (revisionHistoryLimit: 0): `kubectl rollout undo` has nothing to go \
        back to.
        """);
  }

  @Test
  void flagsAnUpdateThatTakesEveryPodDown() {
    var percent = FixtureRepo.create(dir.resolve("a")).commit("k8s/shop.yaml", SAFE.replace("maxUnavailable: 0",
        "maxUnavailable: 100%"));
    harness.assertViolations(percent, """
        BLOCK rollback/rollout-cannot-stop k8s/shop.yaml:12
          Deployment `shop` may take every pod down at once (maxUnavailable: 100% of 3 replicas): the update keeps no \
        capacity, and a bad release is never held back by old pods still serving.
        """);
    var count = FixtureRepo.create(dir.resolve("b")).commit("k8s/shop.yaml", SAFE.replace("maxUnavailable: 0",
        "maxUnavailable: 3"));
    harness.assertViolations(count, """
        BLOCK rollback/rollout-cannot-stop k8s/shop.yaml:12
          Deployment `shop` may take every pod down at once (maxUnavailable: 3 of 3 replicas): the update keeps no \
        capacity, and a bad release is never held back by old pods still serving.
        """);
  }

  @Test
  void flagsRecreateAndAMissingOrLongProgressDeadlineAsWarnings() {
    var recreate = FixtureRepo.create(dir.resolve("a")).commit("k8s/shop.yaml", SAFE
        .replace("    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n      maxSurge: 1\n", "    type: Recreate\n")
        .replace("  progressDeadlineSeconds: 300\n", ""));
    harness.assertViolations(recreate, """
        WARN rollback/rollout-cannot-stop k8s/shop.yaml:9
          Deployment `shop` uses the Recreate strategy: every old pod is stopped before a new one starts, so the deploy \
        and any rollback are an outage and nothing halts a bad release.
        WARN rollback/rollout-cannot-stop k8s/shop.yaml:2
          Deployment `shop` sets no progressDeadlineSeconds: a stuck rollout is reported failed only after Kubernetes' \
        default of 600 s, and nothing acts on it before.
        """);
    // The operators allow production 2 minutes; the repository cannot loosen that.
    var slow = FixtureRepo.create(dir.resolve("b")).commit(java.util.Map.of("k8s/shop.yaml", SAFE,
        ".tollgate.yml", "rollback:\n  progressDeadline: 10m\n"), "slow");
    harness.withServerConfig("environments: {production: {rollback: {progressDeadline: 2m}}}").assertViolations(slow, """
        WARN rollback/rollout-cannot-stop k8s/shop.yaml:8
          Deployment `shop` waits 5m (progressDeadlineSeconds) before a stuck rollout is reported failed, longer than \
        the 2m this environment allows.
        """);
  }

  @Test
  void flagsStatefulSetsAndDaemonSetsToo() {
    var repo = FixtureRepo.create(dir).commit("k8s/infra.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          revisionHistoryLimit: 0
          template:
            spec:
              containers:
                - name: pg
                  image: postgres:16.4
                  ports: [{containerPort: 5432}]
                  readinessProbe: {exec: {command: [pg_isready]}}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {maxUnavailable: 100%}
          template:
            spec:
              containers:
                - name: agent
                  image: datadog/agent:7.57.2
        """);
    harness.assertViolations(repo, """
        BLOCK rollback/rollout-cannot-stop k8s/infra.yaml:6
          StatefulSet `db` keeps no old revisions (revisionHistoryLimit: 0): `kubectl rollout undo` has nothing to go \
        back to.
        BLOCK rollback/rollout-cannot-stop k8s/infra.yaml:25
          Container `agent` of DaemonSet `agent` has no readinessProbe: the rollout counts it ready as soon as it starts, \
        so a release that starts and then fails to serve still replaces every healthy pod.
        BLOCK rollback/rollout-cannot-stop k8s/infra.yaml:21
          DaemonSet `agent` may take every pod down at once (maxUnavailable: 100%): the update keeps no capacity, and a \
        bad release is never held back by old pods still serving.
        """);
  }

  @Test
  void passesARolloutThatCanStopItself() {
    // Safe: readiness gates the rollout (the sidecar serves no port), 5 old revisions, no capacity lost, 300 s deadline.
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", SAFE);
    harness.assertNoViolations(repo);
  }

  @Test
  void passesJobsAndAnAutoscaledDeploymentWithAnAbsoluteMaxUnavailable() {
    // Safe: a Job does not roll out; without a replica count (the autoscaler owns it) maxUnavailable: 1 keeps the rest.
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", SAFE.replace("  replicas: 3\n", "")
        .replace("maxUnavailable: 0", "maxUnavailable: 1") + """
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: migrate}
        spec:
          template:
            spec:
              containers:
                - name: migrate
                  image: ghcr.io/acme/migrate:1.4.2
        """);
    harness.assertNoViolations(repo);
  }
}
