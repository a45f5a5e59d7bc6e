package dev.tollgate.deploy;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.ProbeRequirement;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.probes.WorkerConfig;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.runtime.ProbeRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code tollgate check}: the same probes and the same verdict policy as the service, run in this process on a
 * local repository, with no Kafka. The result has the API's evaluation shape.
 */
final class LocalCheck {
  private LocalCheck() {}

  /** What to check. */
  record Request(Path repo, String candidate, String baseline, String environment, List<ProbeId> probes) {}

  /** The outcome: the evaluation view and the verdict. */
  record Outcome(EvaluationView view, VerdictReached verdict) {}

  /**
   * Runs the check.
   *
   * @throws IllegalArgumentException for a bad environment, probe or revision (exit code 2)
   */
  static Outcome run(ServerConfigFile config, ProbeRegistry registry, Request request, Clock clock) throws InterruptedException {
    GateConfig gate = GateConfig.from(config.root(), dev.tollgate.contracts.Topics.standard(), Path.of("."), registry.ids(),
        List.of(), config.builtIn());
    EnvironmentPolicy env = gate.policy().environment(request.environment()).orElseThrow(() -> new IllegalArgumentException(
        "unknown environment \"" + request.environment() + "\" (configured: " + gate.policy().environments().keySet() + ")"));
    for (ProbeId p : request.probes()) {
      if (!registry.ids().contains(p)) {
        throw new IllegalArgumentException("unknown probe \"" + p + "\" (known: " + registry.ids() + ")");
      }
    }
    if (!request.probes().isEmpty()) {
      Map<ProbeId, ProbeRequirement> only = new TreeMap<>();
      for (ProbeId p : request.probes()) {
        ProbeRequirement r = env.probes().get(p);
        only.put(p, new ProbeRequirement(true, r == null ? env.defaultDeadline() : r.deadline()));
      }
      env = new EnvironmentPolicy(env.name(), only, env.defaultDeadline(), env.warningsBlock(), env.holdFor(), env.overrides());
    }
    String repoPath = RepositoryLocation.parse(request.repo().toAbsolutePath().normalize().toString()).value();
    String candidate = resolve(repoPath, request.candidate());
    String baseline = request.baseline() == null ? null : resolve(repoPath, request.baseline());
    String tenant = gate.defaultTenant() == null ? "default" : gate.defaultTenant();
    DeployTarget target = new DeployTarget(tenant, repoPath, request.environment(), candidate, baseline);
    String id = "cli-" + UUID.randomUUID();
    Instant started = clock.instant();
    EvaluationRequested evaluation = EvaluationRequested.of(id, id, target, Source.CLI, System.getProperty("user.name", "cli"),
        null, null, null, List.of(), started, null);

    WorkerConfig defaults = WorkerConfig.defaults(new RepositoryAllowList(List.of(), true, List.of()),
        dev.tollgate.contracts.Topics.standard(), Path.of("."));
    CheckExecutor executor = new CheckExecutor(registry, RepoSnapshots.localOnly(defaults.limits()),
        new ProbeRunner(defaults.maxFindings()),
        new dev.tollgate.probes.api.ServerSettings(config.section("defaults"), config.section("environments"), ""), clock, "cli");
    Map<ProbeId, CheckRequested> checks = new LinkedHashMap<>();
    env.probes().forEach((p, r) -> checks.put(p, CheckRequested.of(id, id, target, p, started.plus(r.deadline()), started, null)));
    List<ProbeCompleted> results = runAll(executor, checks.values(), clock);
    // The repository policy may require probes the environment does not: run those too.
    Set<ProbeId> extra = new LinkedHashSet<>();
    for (ProbeCompleted r : results) {
      if (r.repoPolicy() != null && r.repoPolicy().error() == null) {
        r.repoPolicy().requiredProbes().stream().filter(p -> !checks.containsKey(p)).forEach(extra::add);
      }
    }
    if (!extra.isEmpty()) {
      List<CheckRequested> more = new ArrayList<>();
      for (ProbeId p : extra) {
        CheckRequested c = CheckRequested.of(id, id, target, p, clock.instant().plus(env.defaultDeadline()), clock.instant(), null);
        checks.put(p, c);
        more.add(c);
      }
      results = new ArrayList<>(results);
      results.addAll(runAll(executor, more, clock));
    }
    VerdictReached verdict = VerdictPolicy.decideOffline(evaluation, env, gate.policy().version(), results, started,
        clock.instant());
    Map<ProbeId, ProbeCompleted> byProbe = new LinkedHashMap<>();
    results.forEach(r -> byProbe.putIfAbsent(r.probe(), r));
    return new Outcome(EvaluationView.of(id, evaluation, checks, byProbe, verdict), verdict);
  }

  private static List<ProbeCompleted> runAll(CheckExecutor executor, java.util.Collection<CheckRequested> checks, Clock clock)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(checks.size(), 4)));
    try {
      Map<CheckRequested, Future<ProbeCompleted>> running = new LinkedHashMap<>();
      checks.forEach(c -> running.put(c, pool.submit(() -> executor.execute(c))));
      List<ProbeCompleted> results = new ArrayList<>();
      for (var e : running.entrySet()) {
        CheckRequested c = e.getKey();
        long left = Math.max(1, c.deadline().toEpochMilli() - clock.millis());
        try {
          results.add(e.getValue().get(left, TimeUnit.MILLISECONDS));
        } catch (TimeoutException ex) {
          e.getValue().cancel(true);
          results.add(executor.error(c, c.requestedAt(), null, "probe " + c.probe() + " did not finish before its deadline"));
        } catch (java.util.concurrent.ExecutionException ex) {
          results.add(executor.error(c, c.requestedAt(), null, "probe " + c.probe() + " failed: "
              + ex.getCause().getClass().getSimpleName()));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String resolve(String repo, String revision) {
    try {
      return RepoSnapshots.resolveLocal(repo, revision);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
