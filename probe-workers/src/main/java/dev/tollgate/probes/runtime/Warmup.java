package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.warmup.JitQueue;
import dev.tollgate.contracts.warmup.JsonWarmup;
import dev.tollgate.contracts.warmup.Plateau;
import dev.tollgate.contracts.warmup.WarmupLoop;
import dev.tollgate.contracts.warmup.WarmupThread;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.api.YamlLimits;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.RepoSnapshots;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Warms a worker before it reports ready: every probe runs on a generated repository (a service with Java sources,
 * Spring configuration, Flyway migrations and a Kubernetes Deployment; each candidate changes some of each), round
 * after round, until the rounds stop getting faster ({@link Plateau}), {@link #ROUNDS_SHARE} of the budget is spent or
 * {@link #MAX_ROUNDS} ran.
 * Without it the first evaluations after a start pay for class loading, the JIT and the first reads of every rule's
 * data, and a gate just restarted (every upgrade of Tollgate itself) answered in seconds. Each result is also written
 * and read as the JSON the worker publishes, and the last round's checks and results are round-tripped until their
 * cost per message stops falling ({@link JsonWarmup}), so that Jackson is compiled by C2 before ready.
 *
 * <p>{@link #begin} starts it on a thread of its own, so the all-in-one warms its probes while the broker and the
 * gate start; the worker waits for it ({@link #once}) before it joins its group, so before ready.
 *
 * <p>The repository lives in a temporary directory deleted afterwards; nothing is published and no result leaves the
 * process. The probes run with empty server settings, so no calendar feed or remote repository is fetched.
 */
public final class Warmup {
  /** Rounds at most: past this the JIT has seen every hot path many times. */
  static final int MAX_ROUNDS = 40;
  /**
   * The share of the budget the probes' rounds may use; the rest (and what the rounds left, a quarter of the budget at
   * least) is the codecs' ({@link JsonWarmup}, SnakeYAML): a cold round on a loaded machine can take the whole budget,
   * and the codecs every service shares would then start cold (issue #24: Jackson, SnakeYAML and java.time.format were
   * the largest C2 compiles of the first 10 s after ready). So its loops take at most 1.25 × the budget and a round,
   * then it waits for C2's queue at most half the budget and 5 s ({@link JitQueue#bound}); {@link #readinessWait}.
   */
  static final double ROUNDS_SHARE = 0.75;
  /**
   * How long past the longest a warm-up may take ({@link #readinessWait}) the worker waits for it (its last round runs
   * over its share) before it joins cold: a probe hung on the generated repository must not keep the worker out for good.
   */
  static final Duration OVERRUN = Duration.ofSeconds(30);

  private final ProbeRegistry registry;
  private final ProbeRunner runner;
  private final ChangeSet.Limits limits;
  private final Clock clock;

  public Warmup(ProbeRegistry registry, ProbeRunner runner, ChangeSet.Limits limits, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The process's warm-up, once begun: class loading and the JIT are the process's, not a worker's. */
  private static final AtomicReference<CompletableFuture<Void>> STARTED =
      new AtomicReference<>();
  /** Its thread while it runs, for {@link #cancel}. */
  private static final WarmupThread.Running RUNNING = new WarmupThread.Running();
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

  /**
   * Starts {@code warmup} with {@code budget} on a thread of its own unless this process already began one (a second
   * worker in it, tests, a restart of the consumer would gain nothing), and returns it. Records the time in
   * {@code tollgate.worker.warmup}. The returned stage never fails: a cold worker is slower, not wrong.
   */
  public static CompletableFuture<Void> begin(Warmup warmup, Duration budget,
      MeterRegistry meters) {
    return begin(warmup, budget, meters, STARTED);
  }

  /** {@link #begin} with the slot that remembers it (tests use their own). */
  static CompletableFuture<Void> begin(Warmup warmup, Duration budget,
      MeterRegistry meters,
      AtomicReference<CompletableFuture<Void>> slot) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (budget.isZero() || !slot.compareAndSet(null, done)) {
      CompletableFuture<Void> earlier = slot.get();
      return earlier == null ? CompletableFuture.completedFuture(null) : earlier;
    }
    RUNNING.start("probe-warmup", () -> {
      Report r = warmup.run(budget);
      meters.timer("tollgate.worker.warmup").record(r.took());
      LOG.atInfo().addKeyValue("event", "worker.warmed").addKeyValue("rounds", r.rounds()).addKeyValue("checks", r.checks())
          .addKeyValue("errors", r.errors()).addKeyValue("stoppedBy", r.stoppedBy().name())
          .addKeyValue("jsonRoundTrips", r.json().units()).addKeyValue("jsonStoppedBy", r.json().stoppedBy().name())
          .addKeyValue("jsonMs", r.json().took().toMillis())
          .addKeyValue("jsonRoundTripUs", r.json().firstNanosPerUnit() / 1000 + "->" + r.json().lastNanosPerUnit() / 1000)
          .addKeyValue("lastRoundMs", r.lastRound().toMillis()).addKeyValue("tookMs", r.took().toMillis())
          .addKeyValue("jitDrain", r.drain().stoppedBy().name()).addKeyValue("jitDrainMs", r.drain().waited().toMillis())
          .addKeyValue("c2Queued", r.drain().queuedAtStart() + "->" + r.drain().queuedAtEnd())
          .log("probes warmed up: {} rounds in {} ms (stopped by {}; last round {} ms); waited {} ms for C2's queue ({}: {} -> {} "
              + "methods)", r.rounds(), r.took().toMillis(), r.stoppedBy(), r.lastRound().toMillis(), r.drain().waited().toMillis(),
              r.drain().stoppedBy(), r.drain().queuedAtStart(), r.drain().queuedAtEnd());
    }, e -> LOG.atWarn().addKeyValue("event", "worker.warmup.failed").log("warm-up failed, starting cold: {}", e.toString()),
        done);
    return done;
  }

  /**
   * Stops the process's warm-up if it still runs (the worker or the process closes): its rounds end at the next round,
   * the codecs' loop at its next batch, the wait for C2 at once.
   */
  public static void cancel() {
    RUNNING.cancel();
  }

  /**
   * Begins the warm-up unless begun ({@link #begin}) and waits for it, at most {@link #readinessWait}:
   * the worker calls this before it joins its group, so it is ready only once warm, or cold once that wait is over.
   */
  public static void once(Warmup warmup, Duration budget, MeterRegistry meters) {
    once(warmup, budget, meters, STARTED, OVERRUN);
  }

  static void once(Warmup warmup, Duration budget, MeterRegistry meters,
      AtomicReference<CompletableFuture<Void>> slot, Duration overrun) {
    Duration wait = readinessWait(budget, overrun);
    try {
      begin(warmup, budget, meters, slot).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      // Its thread runs on (a daemon); the worker serves cold, which is slower, not wrong.
      LOG.atWarn().addKeyValue("event", "worker.warmup.timedout").addKeyValue("waitedMs", wait.toMillis())
          .log("warm-up did not finish within {} ms, starting cold", wait.toMillis());
    } catch (ExecutionException e) {
      throw new IllegalStateException("never: the warm-up's stage does not fail", e);
    }
  }

  /**
   * The longest the worker waits for a warm-up of {@code budget}: its loops' (1.25 × the budget, {@link #ROUNDS_SHARE}),
   * its wait for C2's queue ({@link JitQueue#bound}) and {@code overrun}. Derived from both, so that a long budget's
   * warm-up is never given up on while it still runs (budget + 30 s fell short of it past a 100 s budget).
   */
  static Duration readinessWait(Duration budget, Duration overrun) {
    Duration loops = Duration.ofNanos((long) (budget.toNanos() * (2 - ROUNDS_SHARE)));
    return loops.plus(JitQueue.bound(budget)).plus(overrun);
  }

  /** Why a warm-up stopped; {@code CANCELLED}: {@link WarmupThread#cancel} (the worker closed). */
  public enum Stop { PLATEAU, BUDGET, CAP, CANCELLED, OFF }

  /**
   * What a warm-up did: its rounds, checks, errors, time, why it stopped and its last round's time; {@code json}: the
   * codecs' loop after the rounds (each unit a JSON round trip of the last round's messages and a compose of its YAML);
   * {@code drain}: the wait for C2's queue after both ({@link JitQueue#drain}, at most half the budget; in {@code took}).
   */
  public record Report(int rounds, int checks, int errors, Duration took, Stop stoppedBy, Duration lastRound,
      WarmupLoop.Report json, JitQueue.Report drain) {}

  /**
   * Evaluates generated candidates with every probe until the rounds stop getting faster, {@code budget} is spent
   * (one round at least) or {@link #MAX_ROUNDS} rounds ran. A zero budget does nothing.
   */
  public Report run(Duration budget) {
    if (budget.isZero() || budget.isNegative()) {
      return new Report(0, 0, 0, Duration.ZERO, Stop.OFF, Duration.ZERO, WarmupLoop.Report.NONE, JitQueue.Report.NONE);
    }
    long start = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("tollgate-warmup");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the warm-up repository", e);
    }
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      String base = baseline(git, dir);
      CheckExecutor executor = new CheckExecutor(registry, RepoSnapshots.localOnly(limits), runner, ServerSettings.empty(), clock,
          "warmup");
      int rounds = 0;
      int checks = 0;
      int errors = 0;
      long last = 0;
      Plateau plateau = new Plateau();
      List<CheckRequested> lastChecks = new ArrayList<>();
      List<ProbeCompleted> lastResults = new ArrayList<>();
      Stop stop;
      while (true) {
        // A new candidate each round, as production sends them: a repeated one would be served from the caches and
        // look warm when only the caches are. Committing it is not part of the round's time.
        String candidate = candidate(git, dir, rounds + 1, base);
        long roundStart = System.nanoTime();
        DeployTarget target = new DeployTarget("warmup", dir.toString(), "warmup", candidate, base);
        lastChecks.clear();
        lastResults.clear();
        for (ProbeId probe : registry.ids()) {
          CheckRequested check = CheckRequested.of("warmup-" + rounds, "warmup", target, probe,
              clock.instant().plusSeconds(60), clock.instant(), DeployHistory.empty());
          // As the worker and the aggregator read and write them: Jackson builds its (de)serializers on first use.
          ProbeCompleted done = Json.read(Json.write(executor.execute(Json.read(Json.write(check), CheckRequested.class))),
              ProbeCompleted.class);
          lastChecks.add(check);
          lastResults.add(done);
          checks++;
          if (done.status() == ProbeStatus.ERROR) {
            errors++;
          }
        }
        rounds++;
        last = System.nanoTime() - roundStart;
        if (WarmupThread.cancelled()) {
          stop = Stop.CANCELLED;
        } else if (plateau.add(last)) {
          stop = Stop.PLATEAU;
        } else if (rounds >= MAX_ROUNDS) {
          stop = Stop.CAP;
        } else if (System.nanoTime() - start >= (long) (budget.toNanos() * ROUNDS_SHARE)) {
          stop = Stop.BUDGET;
        } else {
          continue;
        }
        break;
      }
      // What the worker reads and writes (the last round's checks and results) and the YAML its probes read, until
      // their cost levels: the rounds stop long before C2 compiles the codecs (Jackson, java.time.format, SnakeYAML).
      List<Object> messages = new ArrayList<>(lastChecks);
      messages.addAll(lastResults);
      List<String> yaml = List.of(config("staging", rounds), config("production", rounds), deployment(rounds));
      // What is left of the budget, and a quarter of it at least: a cold round can take it all on a loaded machine.
      Duration left = Duration.ofNanos(Math.max((long) (budget.toNanos() * (1 - ROUNDS_SHARE)),
          budget.toNanos() - (System.nanoTime() - start)));
      WarmupLoop.Report json = messages.isEmpty() || stop == Stop.CANCELLED ? WarmupLoop.Report.NONE : WarmupLoop.run(() -> {
        JsonWarmup.roundTrip(messages);
        yaml.forEach(Warmup::compose);
      }, left);
      // Then C2 compiles what the rounds and the codecs queued, before ready rather than beside the first checks.
      JitQueue.Report drain = stop == Stop.CANCELLED || json.stoppedBy() == WarmupLoop.Stop.CANCELLED ? JitQueue.Report.NONE
          : JitQueue.drain(JitQueue.bound(budget));
      return new Report(rounds, checks, errors, Duration.ofNanos(System.nanoTime() - start), stop, Duration.ofNanos(last), json,
          drain);
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException("cannot generate the warm-up repository", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Composes {@code text} as the probes' YAML readers do (SnakeYAML's composer, their limits). */
  private static void compose(String text) {
    int nodes = 0;
    for (org.yaml.snakeyaml.nodes.Node doc : new Yaml(YamlLimits.options()).composeAll(new StringReader(text))) {
      nodes += doc == null ? 0 : 1;
    }
    if (nodes == 0) {
      throw new IllegalStateException("a generated YAML file read as empty");
    }
  }

  /** Writes and commits the baseline; returns its id. */
  private static String baseline(Git git, Path dir) throws GitAPIException, IOException {
    for (int i = 0; i < 40; i++) {
      write(dir, "src/main/java/com/example/Service" + i + ".java", javaSource(i, 0));
    }
    write(dir, "src/main/resources/application-staging.yml", config("staging", 0));
    write(dir, "src/main/resources/application-production.yml", config("production", 0));
    for (int v = 1; v <= 4; v++) {
      write(dir, "src/main/resources/db/migration/V" + v + "__step" + v + ".sql",
          "CREATE TABLE t" + v + " (id bigint PRIMARY KEY, name text NOT NULL);\n");
    }
    write(dir, "deploy/k8s/deployment.yaml", deployment(0));
    return commit(git, "release 0");
  }

  /**
   * Candidate {@code k} (from 1), one commit over the baseline as each of production's is: 12 Java sources, both
   * configs, a new migration, the Deployment, each with content no earlier round saw.
   */
  private static String candidate(Git git, Path dir, int k, String base) throws GitAPIException, IOException {
    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(base).call();
    for (int i = 0; i < 12; i++) {
      write(dir, "src/main/java/com/example/Service" + (i + k) % 40 + ".java", javaSource(i, k));
    }
    write(dir, "src/main/resources/application-staging.yml", config("staging", k));
    write(dir, "src/main/resources/application-production.yml", config("production", k));
    write(dir, "src/main/resources/db/migration/V" + (4 + k) + "__change" + k + ".sql", k % 2 == 0
        ? "ALTER TABLE t1 ADD COLUMN note" + k + " text;\n"
        : "ALTER TABLE t" + (k % 4 + 1) + " DROP COLUMN name;\nCREATE INDEX i" + k + " ON t1 (id);\n");
    write(dir, "deploy/k8s/deployment.yaml", deployment(k));
    return commit(git, "release " + k);
  }

  private static String commit(Git git, String message) throws GitAPIException {
    PersonIdent who = new PersonIdent("Tollgate warm-up", "warmup@tollgate.invalid");
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call().name();
  }

  private static void write(Path dir, String path, String text) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String javaSource(int i, int version) {
    StringBuilder b = new StringBuilder("package com.example;\n\n/** Service " + i + ". */\npublic final class Service" + i + " {\n");
    for (int m = 0; m < 20; m++) {
      b.append("  int compute").append(m).append("(int x) {\n    return x * ").append(version + m).append(" + ").append(i)
          .append(";\n  }\n\n");
    }
    return b.append("  String table() {\n    return \"SELECT name FROM t").append(i % 4 + 1).append("\";\n  }\n}\n").toString();
  }

  private static String config(String env, int k) {
    return "server:\n  port: 8080\nshop:\n  replicas: " + (2 + k) + "\n  timeoutMs: " + (100 * k + 100) + "\n"
        + "datasource:\n  url: jdbc:postgresql://db." + env + ".internal:5432/shop\n  username: shop\n";
  }

  private static String deployment(int k) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 3\n  template:\n    spec:\n"
        + "      containers:\n        - name: shop\n          image: registry.example.com/shop:1." + k + ".0\n";
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the OS cleans it eventually
    }
  }
}
