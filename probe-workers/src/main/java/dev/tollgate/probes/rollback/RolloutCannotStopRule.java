package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes rollout cannot stop itself: no readiness probe to halt on, no old revision to undo to, a strategy that
 * takes all capacity down, or no deadline after which a stuck rollout is reported failed.
 */
final class RolloutCannotStopRule implements Rule {
  static final RuleId ID = RuleId.of("rollback/rollout-cannot-stop");

  @Override
  public RuleId id() {
    return ID;
  }

  @Override
  public Severity severity() {
    return Severity.BLOCK;
  }

  @Override
  public String summary() {
    return "A Kubernetes rollout cannot stop itself: a bad release would replace every healthy pod, or leave nothing to undo to.";
  }

  @Override
  public String help() {
    return "Add readiness probes, keep revisionHistoryLimit above 0, keep capacity during the update (maxUnavailable below"
        + " 100%) and set progressDeadlineSeconds.";
  }

  @Override
  public List<RuleViolation> check(RuleContext ctx) {
    RollbackSettings settings = RollbackSettings.of(ctx);
    List<RuleViolation> out = new ArrayList<>();
    for (Manifests.Workload w : Manifests.of(ctx).workloads()) {
      readiness(w, out);
      history(w, out);
      strategy(w, out);
      if (w.kind().equals("Deployment")) {
        deadline(w, settings.progressDeadline(), out);
      }
    }
    return out;
  }

  /**
   * A rolling update waits for new pods to become ready before it removes old ones. With no readiness probe a pod is
   * ready as soon as its containers start, so a release that starts and then fails to serve replaces every pod.
   */
  private static void readiness(Manifests.Workload w, List<RuleViolation> out) {
    List<YamlTree.Node> containers = w.podSpec().get("containers").items();
    boolean any = containers.stream().anyMatch(c -> !c.get("readinessProbe").isAbsent());
    for (YamlTree.Node c : containers) {
      if (!c.get("readinessProbe").isAbsent()) {
        continue;
      }
      boolean serves = !c.get("ports").items().isEmpty();
      // A sidecar that serves nothing may go without one, as long as the pod has a probe that gates the rollout.
      if (any && !serves) {
        continue;
      }
      out.add(RuleViolation.at(w.path(), c.line(), "Container `" + c.get("name").string() + "` of " + w.label()
          + " has no readinessProbe" + (serves ? " but serves ports" : "") + ": the rollout counts it ready as soon as it"
          + " starts, so a release that starts and then fails to serve still replaces every healthy pod.")
          .withFix("Add a readinessProbe that checks the container can serve (an HTTP health endpoint, a TCP or exec"
              + " check); the rollout then halts on the first pod that never becomes ready."));
    }
  }

  /** {@code kubectl rollout undo} goes back to an old ReplicaSet / ControllerRevision: with 0 kept there is none. */
  private static void history(Manifests.Workload w, List<RuleViolation> out) {
    YamlTree.Node limit = w.doc().path("spec", "revisionHistoryLimit");
    if (limit.integer().map(n -> n <= 0).orElse(false)) {
      out.add(RuleViolation.at(w.path(), limit.line(), w.label() + " keeps no old revisions (revisionHistoryLimit: "
          + limit.string() + "): `kubectl rollout undo` has nothing to go back to.")
          .withFix("Remove revisionHistoryLimit (Kubernetes keeps 10) or set it to at least 2."));
    }
  }

  private static void strategy(Manifests.Workload w, List<RuleViolation> out) {
    YamlTree.Node spec = w.doc().get("spec");
    YamlTree.Node strategy = w.kind().equals("Deployment") ? spec.get("strategy") : spec.get("updateStrategy");
    String type = strategy.get("type").string();
    if (w.kind().equals("Deployment") && type.equals("Recreate")) {
      out.add(RuleViolation.at(w.path(), strategy.get("type").line(), w.label() + " uses the Recreate strategy: every old"
          + " pod is stopped before a new one starts, so the deploy and any rollback are an outage and nothing halts"
          + " a bad release.").withSeverity(Severity.WARN)
          .withFix("Use RollingUpdate with maxUnavailable: 0 and maxSurge: 1; keep Recreate only if two versions can"
              + " never run side by side, and then budget the outage."));
      return;
    }
    if (!type.isEmpty() && !type.equals("RollingUpdate")) {
      return; // OnDelete (StatefulSet, DaemonSet): pods change only when someone deletes them
    }
    YamlTree.Node maxUnavailable = strategy.path("rollingUpdate", "maxUnavailable");
    if (maxUnavailable.isAbsent()) {
      return; // defaults: 25% (Deployment), 1 (StatefulSet, DaemonSet)
    }
    // Without a replica count (an autoscaler owns it, or a DaemonSet: one pod per node) only a percentage can be judged.
    Optional<Long> replicas = spec.get("replicas").integer();
    String value = maxUnavailable.string();
    boolean all;
    if (value.endsWith("%")) {
      all = parseLong(value.substring(0, value.length() - 1)).map(p -> p >= 100).orElse(false);
    } else {
      all = replicas.isPresent() && maxUnavailable.integer().map(n -> n >= replicas.get()).orElse(false);
    }
    if (all) {
      out.add(RuleViolation.at(w.path(), maxUnavailable.line(), w.label() + " may take every pod down at once"
          + " (maxUnavailable: " + value + replicas.map(r -> " of " + r + " replica" + (r == 1 ? "" : "s")).orElse("")
          + "): the update keeps no capacity, and a bad release is never held back by old pods still serving.")
          .withFix("Set maxUnavailable: 0 with maxSurge: 1 (or a percentage below 100%), so old pods serve until new ones"
              + " are ready."));
    }
  }

  /**
   * Without progressDeadlineSeconds Kubernetes waits its default 600 s before it reports a stuck rollout failed, and
   * pipelines that auto-rollback on that condition wait with it.
   */
  private static void deadline(Manifests.Workload w, Duration max, List<RuleViolation> out) {
    YamlTree.Node pd = w.doc().path("spec", "progressDeadlineSeconds");
    if (pd.isAbsent()) {
      out.add(RuleViolation.at(w.path(), w.line(), w.label() + " sets no progressDeadlineSeconds: a stuck rollout is"
          + " reported failed only after Kubernetes' default of 600 s, and nothing acts on it before.")
          .withSeverity(Severity.WARN)
          .withFix("Set progressDeadlineSeconds to what your slowest healthy rollout needs (at most "
              + Durations.format(max) + "), and let the pipeline roll back on ProgressDeadlineExceeded."));
      return;
    }
    Optional<Long> seconds = pd.integer();
    if (seconds.isPresent() && Duration.ofSeconds(seconds.get()).compareTo(max) > 0) {
      out.add(RuleViolation.at(w.path(), pd.line(), w.label() + " waits " + Durations.format(Duration.ofSeconds(seconds.get()))
          + " (progressDeadlineSeconds) before a stuck rollout is reported failed, longer than the "
          + Durations.format(max) + " this environment allows.").withSeverity(Severity.WARN)
          .withFix("Lower progressDeadlineSeconds to at most " + max.toSeconds() + "."));
    }
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
