package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Load as production sends it: the all-in-one ({@code java -jar tollgate.jar serve}, gate and workers in one process,
 * against a broker in its own process) driven open-loop over HTTP with {@code waitSeconds}, every production probe,
 * a 50-file change per candidate (120 Java sources in the tree, 46 of them changed, two Spring configs, a new Flyway
 * migration, a Deployment: see {@link BenchRepo}). By default every request is a <b>fresh</b> candidate commit over one
 * baseline, used once; {@code repeat} (one candidate sent again and again: everything cached after the first) is a
 * labelled option. Per jar, in this order:
 *
 * <ol>
 *   <li>cold start (process start → {@code /health/ready}), the baseline evaluated and recorded as deployed;
 *   <li>restart on the same data (an upgrade of Tollgate: history kept, JVM cold), then {@code first-minute}: 5/s of
 *       fresh commits from the moment it is ready, reported per 10 s window;
 *   <li>{@code fresh} at each rate, after 10 s of warm-up at 5/s;
 *   <li>{@code repeat} at the highest rate (labelled: a fully cached repeat, not what production sends);
 *   <li>{@code rotation}: 10 candidates in rotation at 20/s, reported per 30 s window.
 * </ol>
 *
 * <p>Per phase: p50/p95/p99/max of request → verdict, achieved rate (answers per second of the phase), errors (no
 * complete verdict within 30 s), CPU per evaluation of the gate process (and of the broker process), heap after a
 * full collection at the end of the phase. Several jars run one after the other in one invocation, each with its own
 * broker, data and candidates, so a before/after comparison shares the session.
 *
 * <p>Run: {@code bench/load.sh [seconds-per-rate=30] [rates=5,10,20] [rotation-seconds=120] [jar:label ...]}.
 * Ports: gate on {@code -Dbench.port} (17930), broker on {@code -Dbench.kafkaPort} (17940) and the next one.
 * {@code -Dbench.phases=fresh,rotation} runs only those phases; {@code -Dbench.gateJvm="OPTIONS"} starts the restarted
 * gate with those JVM options ({@code {label}} in them is replaced by the jar's label): a profiler agent, a recording.
 * {@code -Dbench.stagesOut=FILE} ({@code {label}} replaced too) writes the first minute's evaluations one per line: sent
 * how long after ready, each stage, the total, the probe that finished last and each probe's run ({@link Stages}).
 * {@code -Dbench.gateConfig=YAML} appends lines to the gates' config file, {@code ;} for a new line and {@code ~} for a
 * space (JAVA_OPTS splits on spaces): {@code -Dbench.gateConfig=gate:;~~warmup:~8s} gives the gate an 8 s warm-up.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1); // the HTTP client's threads would keep a failed run's JVM alive
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int[] rates = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {5, 10, 20};
    int rotationSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 120;
    List<String> jars = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("deploy/target/tollgate.jar:current");
    String phases = System.getProperty("bench.phases", "first-minute,fresh,repeat,rotation");
    int port = Integer.getInteger("bench.port", 17930);
    int kafkaPort = Integer.getInteger("bench.kafkaPort", 17940);
    List<String> report = new ArrayList<>();
    for (String spec : jars) {
      Path jar = Path.of(spec.contains(":") ? spec.substring(0, spec.lastIndexOf(':')) : spec).toAbsolutePath();
      String label = spec.contains(":") ? spec.substring(spec.lastIndexOf(':') + 1) : "current";
      report.addAll(runJar(jar, label, seconds, rates, rotationSeconds, phases, port, kafkaPort));
    }
    System.out.println();
    System.out.println("summary (request -> verdict, ms; cpu = gate process CPU ms per evaluation; heap after full GC)");
    report.forEach(System.out::println);
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
        + ", load at the end: " + SoakBench.load());
  }

  private static List<String> runJar(Path jar, String label, int seconds, int[] rates, int rotationSeconds, String phases, int port,
      int kafkaPort) throws Exception {
    List<String> rows = new ArrayList<>();
    Path tmp = Files.createTempDirectory("tollgate-load-" + label);
    int maxRate = Arrays.stream(rates).max().orElse(20);
    int needed = 60 * 5 + 10 * 5 + Arrays.stream(rates).sum() * seconds + 20;
    long t0 = System.nanoTime();
    FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
    List<String> candidates = BenchRepo.candidates(repo, needed);
    System.out.printf(Locale.ROOT, "%n== %s (%s): %d fresh candidates written in %.1f s; load %s%n", label, jar, needed,
        (System.nanoTime() - t0) / 1e9, SoakBench.load());
    int[] next = {0};
    IntFunction<String> fresh = i -> candidates.get(next[0]++);
    try (BenchKafka kafka = BenchKafka.start(jar, tmp.resolve("kafka"), kafkaPort)) {
      HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();
      long start = System.nanoTime();
      try (BenchGate gate = BenchGate.start(jar, tmp.resolve("gate"), kafka, port, "", List.of())) {
        emit(rows, String.format(Locale.ROOT, "%-8s cold start to ready: %.1f s", label, (System.nanoTime() - start) / 1e9));
        JsonNode first = Json.mapper().readTree(gate.send(client, gate.post("/api/v1/evaluations?waitSeconds=60",
            SoakBench.body(repo.dir(), repo.baseline(), null)).build()));
        gate.send(client, gate.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\","
            + "\"commit\":\"" + repo.baseline() + "\",\"status\":\"succeeded\"}").build());
        System.out.println("baseline evaluated (" + first.path("verdict").path("decision").asText() + ") and recorded as deployed");
      }
      start = System.nanoTime();
      // JVM options of the restarted gate (a profiler agent, a flight recording); "{label}" names the jar's run.
      String gateJvm = System.getProperty("bench.gateJvm", "").replace("{label}", label);
      List<String> jvm = gateJvm.isBlank() ? List.of() : List.of(gateJvm.trim().split("\\s+"));
      try (BenchGate gate = BenchGate.start(jar, tmp.resolve("gate"), kafka, port, "", jvm)) {
        long readyMs = System.currentTimeMillis();
        emit(rows, String.format(Locale.ROOT, "%-8s restart to ready: %.1f s", label, (System.nanoTime() - start) / 1e9));
        emit(rows, header());
        if (phases.contains("first-minute")) {
          // -Dbench.stagesOut=FILE: one line per evaluation of this phase ({label} in FILE names the jar's run).
          String out = System.getProperty("bench.stagesOut", "").replace("{label}", label);
          Phase p = run(gate, kafka, client, repo, fresh, 5, 60, 10, readyMs, out.isBlank() ? null : Path.of(out));
          for (int w = 0; w < p.windows.size(); w++) {
            emit(rows, row(label, "first minute " + (w * 10) + "-" + (w * 10 + 10) + " s, 5/s fresh", p.windows.get(w), p));
          }
          emit(rows, row(label, "first minute, 5/s fresh", p.all, p));
        }
        run(gate, kafka, client, repo, fresh, 5, 10, 10); // warm-up
        if (phases.contains("fresh")) {
          for (int rate : rates) {
            Phase p = run(gate, kafka, client, repo, fresh, rate, seconds, seconds);
            emit(rows, row(label, rate + "/s fresh", p.all, p));
          }
        }
        if (phases.contains("repeat")) {
          String one = fresh.apply(0);
          Phase p = run(gate, kafka, client, repo, i -> one, maxRate, seconds, seconds);
          emit(rows, row(label, maxRate + "/s REPEATED commit (cached)", p.all, p));
        }
        if (phases.contains("rotation")) {
          List<String> ten = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            ten.add(fresh.apply(0));
          }
          Phase p = run(gate, kafka, client, repo, i -> ten.get(i % 10), 20, rotationSeconds, 30);
          for (int w = 0; w < p.windows.size(); w++) {
            emit(rows, row(label, "rotation of 10 at 20/s, " + (w * 30) + "-" + (w * 30 + 30) + " s", p.windows.get(w), p));
          }
          emit(rows, row(label, "rotation of 10 at 20/s", p.all, p));
        }
      }
    } finally {
      // The gate's log outlives the run (a gate that died says why there).
      Path log = tmp.resolve("gate").resolve("gate.log");
      if (Files.exists(log)) {
        Path kept = Path.of("target", "bench", "load-" + label + "-gate.log");
        Files.createDirectories(kept.getParent());
        Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      BenchKafka.deleteQuietly(tmp);
    }
    return rows;
  }

  /** Keeps a summary row and prints it as it comes, so a long run shows its progress. */
  private static void emit(List<String> rows, String row) {
    System.out.println(row);
    rows.add(row);
  }

  static String header() {
    return String.format(Locale.ROOT, "%-8s %-40s %8s %8s %8s %8s %8s %6s %8s %8s %8s %5s", "jar", "phase", "achieved", "p50", "p95",
        "p99", "max", "errors", "cpu/eval", "brk/eval", "heap MiB", "load");
  }

  static String row(String label, String phase, Stats s, Phase p) {
    return String.format(Locale.ROOT, "%-8s %-40s %8.1f %8.1f %8.1f %8.1f %8.1f %6d %8.1f %8.1f %8.1f %5s", label, phase, s.achieved,
        s.pct(50), s.pct(95), s.pct(99), s.pct(100), s.errors, p.cpuPerEval, p.brokerCpuPerEval, p.heapMiB, p.load);
  }

  /** Latencies of requests sent in one window (sorted microseconds), errors, and answers per second over the window. */
  record Stats(long[] micros, int errors, double achieved) {
    double pct(int p) {
      return SoakBench.pct(micros, p);
    }
  }

  record Phase(Stats all, List<Stats> windows, double cpuPerEval, double brokerCpuPerEval, double heapMiB, String load) {}

  /**
   * Open loop: request i leaves at start + i / rate whatever happened to the ones before, each for {@code commit(i)};
   * waits for every answer, then reports the whole phase and per window of {@code windowSeconds}.
   */
  static Phase run(BenchGate gate, BenchKafka kafka, HttpClient client, FixtureRepo repo, IntFunction<String> commit, int rate,
      int seconds, int windowSeconds) throws Exception {
    return run(gate, kafka, client, repo, commit, rate, seconds, windowSeconds, 0, null);
  }

  /** {@link #run}, and with {@code stagesOut} each evaluation's stages, sent {@code readyMs} on (see {@link Stages}). */
  static Phase run(BenchGate gate, BenchKafka kafka, HttpClient client, FixtureRepo repo, IntFunction<String> commit, int rate,
      int seconds, int windowSeconds, long readyMs, Path stagesOut) throws Exception {
    int total = rate * seconds;
    List<String> commits = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      commits.add(commit.apply(i));
    }
    long cpu0 = gate.process().cpuMillis();
    long brokerCpu0 = kafka.process().cpuMillis();
    BenchKafka.Traffic traffic0 = kafka.traffic();
    BenchClients clients0 = BenchClients.of(gate.process());
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    List<Stages.Answer> answers = new CopyOnWriteArrayList<>();
    List<CompletableFuture<long[]>> done = new ArrayList<>(total);
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      CompletableFuture<long[]> f = new CompletableFuture<>();
      done.add(f);
      String body = SoakBench.body(repo.dir(), commits.get(i), repo.baseline());
      ticker.schedule(() -> {
        long sent = System.nanoTime();
        long sentWall = System.currentTimeMillis();
        client.sendAsync(gate.post("/api/v1/evaluations?waitSeconds=30", body).build(), HttpResponse.BodyHandlers.ofString())
            .whenComplete((r, e) -> {
              boolean ok = e == null && r.statusCode() == 200 && r.body().contains("\"status\":\"COMPLETE\"");
              long now = System.nanoTime();
              if (ok) {
                answers.add(new Stages.Answer(evaluationId(r.body()), sentWall, System.currentTimeMillis()));
              }
              f.complete(new long[] {sent - start, ok ? (now - sent) / 1000 : -1, now - start});
            });
      }, i * periodNanos, TimeUnit.NANOSECONDS);
    }
    List<long[]> results = new ArrayList<>(total);
    for (CompletableFuture<long[]> f : done) {
      results.add(f.get(120, TimeUnit.SECONDS));
    }
    ticker.shutdown();
    String load = SoakBench.load();
    double cpuPerEval = (gate.process().cpuMillis() - cpu0) / (double) total;
    double brokerPerEval = (kafka.process().cpuMillis() - brokerCpu0) / (double) total;
    // Taken before the forced GC and after every answer; a Streams commit (1 s) may still be due for the last ones.
    System.out.printf(Locale.ROOT, "  %d/s for %d s, %s%n  %s%n", rate, seconds, kafka.traffic().perEvaluation(traffic0, total),
        Stages.of(kafka.bootstrap(), answers, readyMs, stagesOut));
    System.out.println("  " + BenchClients.of(gate.process()).perEvaluation(clients0, total));
    double heap = gate.process().heapAfterGc().usedBytes() / 1048576.0;
    List<Stats> windows = new ArrayList<>();
    for (int w = 0; w * windowSeconds < seconds; w++) {
      long from = w * windowSeconds * 1_000_000_000L;
      long to = from + windowSeconds * 1_000_000_000L;
      windows.add(stats(results.stream().filter(r -> r[0] >= from && r[0] < to).toList()));
    }
    return new Phase(stats(results), windows, cpuPerEval, brokerPerEval, heap, load);
  }

  private static String evaluationId(String body) {
    try {
      return Json.mapper().readTree(body).path("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stats stats(List<long[]> results) {
    long[] micros = results.stream().filter(r -> r[1] >= 0).mapToLong(r -> r[1]).sorted().toArray();
    int errors = (int) results.stream().filter(r -> r[1] < 0).count();
    long first = results.stream().mapToLong(r -> r[0]).min().orElse(0);
    long last = results.stream().mapToLong(r -> r[2]).max().orElse(1);
    return new Stats(micros, errors, micros.length / Math.max(1e-9, (last - first) / 1e9));
  }
}
