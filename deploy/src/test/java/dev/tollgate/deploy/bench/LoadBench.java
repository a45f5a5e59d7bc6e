package dev.tollgate.deploy.bench;

import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Evaluations at fixed rates through the real path (HTTP → Kafka → aggregator → workers running every production
 * probe on a realistic 50-file change → verdict), warm repository cache. Reports request → verdict latency per rate
 * and the highest rate whose p99 stays within 100 ms.
 *
 * <p>Run: {@code bench/load.sh [seconds-per-rate] [rates...]}.
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int[] rates = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray() : new int[] {5, 10, 20, 30, 40};
    Path tmp = Files.createTempDirectory("tollgate-load");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      // The override policy lets the bench make its baseline a trusted one, as a production pipeline's would be.
      String config = """
          tenants: [acme]
          environments:
            staging: {overrides: {approvers: [alice], required: 1, notOverridable: []}}
          """;
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), config);
      try {
        tollgate.startGate();
        tollgate.startWorker("load");
        FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
        // As the release running in staging is: the gate checks from a baseline it decided GO (or OVERRIDDEN) for.
        tollgate.trust(repo.dir().toString(), "acme", "staging", repo.baseline());
        String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head()
            + "\",\"baseline\":\"" + repo.baseline() + "\"}";
        URI uri = URI.create("http://127.0.0.1:" + tollgate.gate().httpPort() + "/api/v1/evaluations?waitSeconds=30");
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
        System.out.println("probes: " + ProbeRegistry.production().ids() + "; change: 50 files over the baseline");
        run(client, uri, body, 4, 5); // warm-up: JIT, JGit caches, consumer assignments
        System.out.printf(Locale.ROOT, "%6s %9s %8s %8s %8s %8s %8s%n", "rate/s", "achieved", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors");
        int best = 0;
        for (int rate : rates) {
          Result r = run(client, uri, body, rate, seconds);
          System.out.printf(Locale.ROOT, "%6d %9.1f %8.1f %8.1f %8.1f %8.1f %8d%n", rate, r.achieved, r.pct(50), r.pct(95), r.pct(99),
              r.pct(100), r.errors);
          if (r.pct(99) <= 100 && r.errors == 0) {
            best = Math.max(best, rate);
          }
        }
        System.out.println("highest rate with p99 <= 100 ms: " + best + " evaluations/s");
        tollgate.meters().find("tollgate.probe.duration").timers().forEach(t -> System.out.printf(Locale.ROOT,
            "  probe %-10s %-6s mean %6.1f ms  max %7.1f ms  (%d runs)%n", t.getId().getTag("probe"), t.getId().getTag("status"),
            t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS), t.count()));
      } finally {
        tollgate.close();
      }
    }
    System.exit(0);
  }

  record Result(long[] micros, double achieved, int errors) {
    double pct(int p) {
      if (micros.length == 0) {
        return Double.NaN;
      }
      int i = Math.max(0, (int) Math.ceil(p / 100.0 * micros.length) - 1);
      return micros[i] / 1000.0;
    }
  }

  static Result run(HttpClient client, URI uri, String body, int rate, int seconds) throws Exception {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    List<CompletableFuture<Long>> done = new ArrayList<>();
    long start = System.nanoTime();
    int total = rate * seconds;
    long periodNanos = 1_000_000_000L / rate;
    for (int i = 0; i < total; i++) {
      long at = i * periodNanos;
      CompletableFuture<Long> f = new CompletableFuture<>();
      done.add(f);
      ticker.schedule(() -> {
        long sent = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestInstallation.ADMIN)
            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(40))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
          if (e != null || r.statusCode() != 200 || !r.body().contains("\"status\":\"COMPLETE\"")) {
            f.complete(-1L);
          } else {
            f.complete((System.nanoTime() - sent) / 1000);
          }
        });
      }, at, TimeUnit.NANOSECONDS);
    }
    List<Long> ok = new ArrayList<>();
    int errors = 0;
    for (CompletableFuture<Long> f : done) {
      long v = f.get(120, TimeUnit.SECONDS);
      if (v < 0) {
        errors++;
      } else {
        ok.add(v);
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    ticker.shutdown();
    long[] micros = ok.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(micros, ok.size() / elapsed, errors);
  }
}
