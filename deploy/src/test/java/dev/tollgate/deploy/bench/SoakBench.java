package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A soak: the all-in-one ({@code java -jar tollgate.jar serve}, gate and workers in one process, against a broker in
 * a process of its own) at a steady rate for N minutes, over HTTP with {@code waitSeconds}, every request a fresh
 * candidate commit (a 50-file change over one baseline, never seen before: see {@link BenchRepo#candidates}).
 * Each minute: request → verdict p50/p99 of the requests sent in it, heap after a full collection (forced once a
 * minute over JMX), resident memory, threads and open files of the gate process, its CPU, and the consumer lag of
 * the aggregator and the workers. Writes {@code soak.tsv} into the output directory; {@code bench/soak.sh} plots it.
 *
 * <p>Run: {@code bench/soak.sh [minutes=30] [rate=3] [jar:label ...]} (several jars side by side). Ports: the gate on
 * {@code -Dbench.port} (18300), the broker on {@code -Dbench.kafkaPort} (18310) and the next one.
 */
public final class SoakBench {
  private SoakBench() {}

  /** One request's outcome: the minute it was sent in, client latency, server latency, or failure. */
  record Outcome(int minute, long micros, long serverMillis, boolean ok) {}

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double rate = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Path jar = Path.of(args.length > 2 ? args[2] : "deploy/target/tollgate.jar").toAbsolutePath();
    String label = args.length > 3 ? args[3] : "soak";
    Path out = Path.of(System.getProperty("bench.out", "target/bench/" + label)).toAbsolutePath();
    int port = Integer.getInteger("bench.port", 18300);
    int kafkaPort = Integer.getInteger("bench.kafkaPort", 18310);
    String jfr = System.getProperty("bench.jfr"); // a file name: record the gate with JFR (profile settings)
    Files.createDirectories(out);
    Path tmp = Files.createTempDirectory("tollgate-soak-" + label);
    int total = (int) Math.ceil(minutes * 60 * rate);

    System.out.printf(Locale.ROOT, "soak %s: %d min at %.1f/s (%d evaluations), jar %s%n", label, minutes, rate, total, jar);
    long t0 = System.nanoTime();
    FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
    List<String> candidates = BenchRepo.candidates(repo, total + 1);
    System.out.printf(Locale.ROOT, "repository: %d candidate commits of 50 files each over one baseline, written in %.1f s%n",
        candidates.size(), (System.nanoTime() - t0) / 1e9);

    List<String> jvm = new ArrayList<>();
    if (jfr != null) {
      jvm.add("-XX:StartFlightRecording=filename=" + out.resolve(jfr) + ",settings=profile,dumponexit=true");
    }
    try (BenchKafka kafka = BenchKafka.start(jar, tmp.resolve("kafka"), kafkaPort);
        BenchGate gate = BenchGate.start(jar, tmp.resolve("gate"), kafka, port, "", jvm)) {
      HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();
      // What runs in staging now: the baseline, evaluated (its whole tree) and recorded as deployed.
      JsonNode first = Json.mapper().readTree(gate.send(client, gate.post("/api/v1/evaluations?waitSeconds=60",
          body(repo.dir(), repo.baseline(), null)).build()));
      gate.send(client, gate.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\","
          + "\"commit\":\"" + repo.baseline() + "\",\"status\":\"succeeded\"}").build());
      System.out.println("baseline evaluated: " + first.path("verdict").path("decision").asText() + "; recorded as deployed");

      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      AtomicInteger sent = new AtomicInteger();
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      long start = System.nanoTime();
      long periodNanos = (long) (1e9 / rate);
      // Open loop: request i leaves at start + i / rate, whatever happened to the ones before.
      ticker.scheduleAtFixedRate(() -> {
        int i = sent.getAndIncrement();
        if (i >= total) {
          return;
        }
        int minute = (int) ((System.nanoTime() - start) / 60_000_000_000L) + 1;
        long at = System.nanoTime();
        client.sendAsync(gate.post("/api/v1/evaluations?waitSeconds=30", body(repo.dir(), candidates.get(i + 1), repo.baseline()))
            .build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
              long micros = (System.nanoTime() - at) / 1000;
              boolean ok = e == null && r.statusCode() == 200 && r.body().contains("\"status\":\"COMPLETE\"");
              long server = -1;
              if (ok) {
                server = Json.read(r.body(), JsonNode.class).path("verdict").path("durationMs").asLong(-1);
              }
              outcomes.add(new Outcome(minute, micros, server, ok));
            });
      }, 0, periodNanos, TimeUnit.NANOSECONDS);

      List<String> rows = new ArrayList<>();
      String header = "minute\tsent\terrors\tp50_ms\tp99_ms\tserver_p99_ms\theap_after_gc_mib\tfull_gc_ms\trss_mib\t"
          + "broker_rss_mib\tthreads\topen_files\tcpu_pct\tlag_aggregator\tlag_workers\tload1";
      rows.add(header);
      System.out.println(header.replace('\t', ' '));
      BenchProcess.Sample previous = gate.process().sample();
      long previousAt = System.nanoTime();
      for (int m = 1; m <= minutes; m++) {
        long minuteEnd = start + m * 60_000_000_000L;
        Thread.sleep(Math.max(0, (minuteEnd - System.nanoTime()) / 1_000_000));
        BenchProcess.Heap heap = gate.process().heapAfterGc();
        BenchProcess.Sample s = gate.process().sample();
        long now = System.nanoTime();
        double cpu = 100.0 * (s.cpuMillis() - previous.cpuMillis()) / ((now - previousAt) / 1e6);
        previous = s;
        previousAt = now;
        Map<String, Long> lag = kafka.lag(gate.namespace());
        long aggregatorLag = lag.entrySet().stream().filter(e -> e.getKey().endsWith("tollgate-gate")).mapToLong(Map.Entry::getValue).sum();
        long workerLag = lag.entrySet().stream().filter(e -> e.getKey().endsWith("probe-workers")).mapToLong(Map.Entry::getValue).sum();
        int minute = m;
        // Requests of this minute may still be waiting for their verdict (up to 30 s): the row is filled in at the end.
        rows.add(minute + "\t%s\t%s\t%s\t%s\t%s\t" + String.format(Locale.ROOT, "%.1f\t%d\t%.1f\t%.1f\t%d\t%d\t%.1f\t%d\t%d\t%s",
            heap.usedBytes() / 1048576.0, heap.gcMillis(), s.rssKb() / 1024.0, kafka.process().sample().rssKb() / 1024.0,
            s.threads(), s.openFiles(), cpu, aggregatorLag, workerLag, load()));
        System.out.printf(Locale.ROOT, "minute %d: heap after GC %.1f MiB, RSS %.0f MiB, %d threads, %d files, cpu %.0f%%, lag %d/%d, "
            + "p99 so far %s ms%n", minute, heap.usedBytes() / 1048576.0, s.rssKb() / 1024.0, s.threads(), s.openFiles(), cpu,
            aggregatorLag, workerLag, fmt(pct(micros(outcomes, minute), 99)));
      }
      ticker.shutdown();
      long waitUntil = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (outcomes.size() < total && System.nanoTime() < waitUntil) {
        Thread.sleep(200);
      }
      List<String> filled = new ArrayList<>();
      filled.add(rows.get(0));
      for (int m = 1; m <= minutes; m++) {
        int minute = m;
        long[] micros = micros(outcomes, minute);
        long[] server = outcomes.stream().filter(o -> o.minute() == minute && o.ok()).mapToLong(Outcome::serverMillis).sorted().toArray();
        long errors = outcomes.stream().filter(o -> o.minute() == minute && !o.ok()).count();
        long sentIn = outcomes.stream().filter(o -> o.minute() == minute).count();
        filled.add(String.format(Locale.ROOT, rows.get(m), sentIn, errors, fmt(pct(micros, 50)), fmt(pct(micros, 99)),
            server.length == 0 ? "NaN" : Long.toString(server[Math.max(0, (int) Math.ceil(0.99 * server.length) - 1)])));
      }
      Files.write(out.resolve("soak.tsv"), filled);
      try (PrintStream p = new PrintStream(Files.newOutputStream(out.resolve("soak.txt")))) {
        for (PrintStream ps : List.of(System.out, p)) {
          ps.printf(Locale.ROOT, "soak %s: %d min at %.1f/s, %d sent, %d answered late or wrong; jar %s%n", label, minutes, rate,
              outcomes.size(), outcomes.stream().filter(o -> !o.ok()).count(), jar);
          filled.forEach(line -> ps.println(line.replace('\t', ' ')));
          ps.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
              + "; load at the end: " + load());
        }
      }
    } finally {
      BenchKafka.deleteQuietly(tmp);
    }
    System.exit(0);
  }

  static String body(Path repo, String candidate, String baseline) {
    return "{\"repository\":\"" + repo + "\",\"environment\":\"staging\",\"candidate\":\"" + candidate + "\""
        + (baseline == null ? "" : ",\"baseline\":\"" + baseline + "\"") + "}";
  }

  static long[] micros(ConcurrentLinkedQueue<Outcome> outcomes, int minute) {
    return outcomes.stream().filter(o -> o.minute() == minute && o.ok()).mapToLong(Outcome::micros).sorted().toArray();
  }

  /** The p-th percentile (nearest rank) of sorted microseconds, in milliseconds. */
  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }

  static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }

  /** The 1-minute load average of the machine. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
