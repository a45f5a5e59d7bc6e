package dev.tollgate.deploy.bench;

import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * API → verdict latency for a trivial probe, through the real path: HTTP POST (acks=all) → Kafka → aggregator
 * (Streams) → CheckRequested → worker (JGit change set of a real repository) → ProbeCompleted → aggregator →
 * VerdictReached → the gate's view → the long-poll answer. Sequential requests after a warm-up.
 *
 * <p>Run: {@code bench/latency.sh [evaluations]}.
 */
public final class LatencyBench {
  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path tmp = Files.createTempDirectory("tollgate-latency");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      String config = """
          tenants: [acme]
          environments:
            staging: {probes: {pass: {deadline: 10s}}}
          """;
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"),
          TestProbes.registry(TestProbes.PASS), config);
      try {
        tollgate.startGate();
        tollgate.startWorker("bench");
        FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1").deployed().commit("a.txt", "2");
        String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head()
            + "\",\"baseline\":\"" + repo.baseline() + "\"}";
        Api api = tollgate.api();
        for (int i = 0; i < Math.max(100, n / 5); i++) {
          run(api, body);
        }
        long[] client = new long[n];
        long[] server = new long[n];
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          Api.Response r = run(api, body);
          client[i] = (System.nanoTime() - start) / 1000;
          server[i] = r.json().path("verdict").path("durationMs").asLong() * 1000;
        }
        System.out.println("evaluations: " + n + " (sequential, after warm-up), trivial probe, 1 worker, embedded broker");
        System.out.println("client POST?waitSeconds -> verdict (ms): " + summary(client));
        System.out.println("server requestedAt -> decidedAt (ms):    " + summary(server));
      } finally {
        tollgate.close();
      }
    }
    System.exit(0);
  }

  private static Api.Response run(Api api, String body) {
    Api.Response r = api.evaluate(body, 10);
    if (r.status() != 200 || !"GO".equals(r.json().path("verdict").path("decision").asText())) {
      throw new IllegalStateException("unexpected answer " + r.status() + ": " + r.body());
    }
    return r;
  }

  private static String summary(long[] micros) {
    long[] s = micros.clone();
    Arrays.sort(s);
    return String.format(java.util.Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", pct(s, 50), pct(s, 90), pct(s, 99),
        s[s.length - 1] / 1000.0);
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1000.0;
  }
}
