package dev.tollgate.probes;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.probes.repo.GitCredentials;
import dev.tollgate.probes.repo.MirrorCache;
import dev.tollgate.probes.repo.RepoSnapshots;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.runtime.ProbeRunner;
import dev.tollgate.probes.runtime.ProbeWorker;
import dev.tollgate.probes.runtime.Warmup;
import dev.tollgate.kafka.StartedParts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The probe-worker service: wires the repository cache, the executor and the consumer loop, and runs them. */
public final class ProbeWorkers implements AutoCloseable {
  private final ProbeWorker worker;

  private ProbeWorkers(ProbeWorker worker) {
    this.worker = worker;
  }

  /**
   * Begins warming the probes on a thread of their own ({@code worker.warmup}), so a process can warm them while its
   * broker and gate start; {@link #start} waits for it before the worker joins its group. Once per process.
   */
  public static void beginWarmup(WorkerConfig config, ProbeRegistry registry, Clock clock, MeterRegistry meters) {
    Warmup.begin(new Warmup(registry, new ProbeRunner(config.maxFindings()), config.limits(), clock), config.warmup(), meters);
  }

  /** Stops a warm-up begun by {@link #beginWarmup} if it still runs (a start that failed before the workers existed). */
  public static void cancelWarmup() {
    Warmup.cancel();
  }

  /**
   * Starts a worker that joins the group {@code config.groupId()}.
   *
   * @param kafka client properties, at least {@code bootstrap.servers}
   */
  public static ProbeWorkers start(WorkerConfig config, ProbeRegistry registry, Map<String, Object> kafka, Clock clock,
      MeterRegistry meters) {
    return start(config, registry, kafka, clock, meters, GitCredentials.none());
  }

  /**
   * Starts a worker that reads private remote repositories with {@code credentials}.
   *
   * @param credentials per-tenant credentials for remote repositories (e.g. GitHub App installation tokens)
   */
  public static ProbeWorkers start(WorkerConfig config, ProbeRegistry registry, Map<String, Object> kafka, Clock clock,
      MeterRegistry meters, GitCredentials credentials) {
    dev.tollgate.probes.repo.ChangeSet.bindMetrics(meters);
    MirrorCache mirrors = new MirrorCache(config.mirrorDir(), config.maxMirrorBytes(), config.fetchTimeout(),
        Ticker.systemTicker(), meters);
    RepoSnapshots repos = new RepoSnapshots(config.allowList(), mirrors, config.limits(), credentials);
    ProbeRunner runner = new ProbeRunner(config.maxFindings());
    CheckExecutor executor = new CheckExecutor(registry, repos, runner, config.server(), clock, config.workerName());
    // Before the consumer joins (and so before ready): the first real checks find the probes loaded and compiled.
    // Waits for a warm-up begun earlier (beginWarmup), or runs it now.
    Warmup.once(new Warmup(registry, runner, config.limits(), clock), config.warmup(), meters);
    // The worker's timer and pool threads exist from its construction: a start that fails after it stops them.
    StartedParts parts = new StartedParts("workers");
    try {
      ProbeWorker worker = new ProbeWorker(config, executor, clock, meters, kafka);
      parts.onStop("worker", () -> worker.close(Duration.ofSeconds(5)));
      worker.start();
      return new ProbeWorkers(worker);
    } catch (RuntimeException | Error e) {
      parts.stopAll(e);
      throw e;
    }
  }

  /** True while the consumer loop runs. */
  public boolean isRunning() {
    return worker.isRunning();
  }

  /**
   * Readiness of the probe pool: false when as many threads are stuck in checks past their budget as the pool has
   * (each stuck one was replaced until then), so new checks would only wait.
   */
  public boolean poolReady() {
    return !worker.saturated();
  }

  /** Probe threads still running a check past its budget (replaced, counted in {@code tollgate.probe.pool.stuck}). */
  public int stuckThreads() {
    return worker.stuckThreads();
  }

  /** Waits until the group gave this worker partitions. */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return worker.awaitAssignment(timeout);
  }

  /** Stops like a crash: in-flight results dropped, nothing committed (tests; forced shutdown). */
  public void halt() {
    worker.halt();
  }

  /** Stops gracefully within {@code grace} (and the warm-up, if it still runs). */
  public void close(Duration grace) {
    Warmup.cancel();
    worker.close(grace);
  }

  @Override
  public void close() {
    Warmup.cancel();
    worker.close();
  }
}
