package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.VerdictStatement;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What signing verdicts costs (issue 23's goal: at most 2 ms added to p99 at 20 evaluations/s).
 *
 * <ol>
 *   <li>Microbench, in process: building the statement, signing it (statement + PAE + signature + envelope) with an
 *       Ed25519 and an ECDSA P-256 key, and verifying it, for a verdict of five probes with rule ids and reasons;
 *       per-operation latency.
 *   <li>Load, the real path (HTTP → Kafka → aggregator → workers running every production probe on a 50-file change →
 *       verdict), side by side in one run: the same gate restarted without a signing key, with an Ed25519 key and with
 *       a P-256 key, alternating, at a fixed rate. Reported: request → verdict for each, with signing request → signed
 *       envelope served (the verdict, then {@code GET .../attestation?waitSeconds=5}), and the signer's own time per
 *       verdict from its metric ({@code tollgate.attestation.signing}): what signing costs, apart from the machine's
 *       load.
 * </ol>
 *
 * <p>Run: {@code bench/attestation.sh [seconds-per-round] [rounds] [rate]}. Warm repository cache (as LoadBench).
 */
public final class AttestationBench {
  private AttestationBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    System.out.println("load average at start: " + loadAverage());
    micro();
    load(seconds, rounds, rate);
    System.out.println("load average at end: " + loadAverage());
    System.exit(0);
  }

  static void micro() {
    AttestationKey key = AttestationKey.generate();
    VerdictReached verdict = verdict();
    byte[] envelope = VerdictStatement.sign(verdict, key).envelope();
    List<AttestationKey> keys = List.of(key.publicOnly());
    AttestationVerifier.Expectations expected = new AttestationVerifier.Expectations(verdict.target().candidate(), "production",
        null, null);
    Instant now = Instant.now();
    int n = 20_000;
    for (int i = 0; i < n; i++) { // warm-up: JIT
      VerdictStatement.sign(verdict, key);
      AttestationVerifier.verify(envelope, keys, expected, now);
    }
    System.out.printf(Locale.ROOT, "microbench, %d operations each, envelope %d bytes%n", n, envelope.length);
    System.out.printf(Locale.ROOT, "  %-40s %9s %9s %9s %10s%n", "operation", "p50 µs", "p99 µs", "max µs", "ops/s");
    time("statement (canonical JSON)", n, () -> VerdictStatement.payload(verdict));
    time("sign (statement + Ed25519 + envelope)", n, () -> VerdictStatement.sign(verdict, key));
    time("verify (tollgate verify's check)", n, () -> AttestationVerifier.verify(envelope, keys, expected, now));
    AttestationKey p256 = AttestationKey.generate(AttestationKey.Kind.P256);
    byte[] p256Envelope = VerdictStatement.sign(verdict, p256).envelope();
    List<AttestationKey> p256Keys = List.of(p256.publicOnly());
    for (int i = 0; i < n; i++) { // warm-up: JIT
      VerdictStatement.sign(verdict, p256);
      AttestationVerifier.verify(p256Envelope, p256Keys, expected, now);
    }
    time("sign (statement + ECDSA P-256 + envelope)", n, () -> VerdictStatement.sign(verdict, p256));
    time("verify, ECDSA P-256", n, () -> AttestationVerifier.verify(p256Envelope, p256Keys, expected, now));
  }

  static void time(String name, int n, Supplier<Object> op) {
    long[] nanos = new long[n];
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      op.get();
      nanos[i] = System.nanoTime() - t;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "  %-40s %9.1f %9.1f %9.1f %10.0f%n", name, nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3,
        nanos[n - 1] / 1e3, n / elapsed);
  }

  /** A verdict as the production probes produce it: five probes, a failure with rule ids, reasons, an artifact. */
  static VerdictReached verdict() {
    DeployTarget target = new DeployTarget("acme", "https://github.com/acme/shop.git", "production",
        "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344");
    List<ProbeSummary> probes = new ArrayList<>();
    for (String p : List.of("calendar", "migrations", "parity", "rollback", "secrets")) {
      boolean failed = p.equals("migrations");
      probes.add(new ProbeSummary(ProbeId.of(p), true, failed ? ProbeStatus.FAIL : ProbeStatus.PASS, failed ? "2 blocking findings"
          : null, Duration.ofSeconds(60), failed ? 3 : 0, failed ? 2 : 0, failed ? List.of("migration/drop-column",
          "migration/missing-lock-timeout", "migration/pg-index-not-concurrent") : List.of(), false));
    }
    Instant t0 = Instant.parse("2026-11-26T10:15:30.123Z");
    return VerdictReached.of("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req", target, Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed: 2 blocking findings")), probes,
        "server:8c1f2a3b;repo:.tollgate.yml@3f2c9a1b", t0, t0.plusMillis(80), 1, null, false)
        .withArtifactDigests(List.of("sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  }

  static void load(int seconds, int rounds, int rate) throws Exception {
    Path tmp = Files.createTempDirectory("tollgate-attestation-bench");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), """
          tenants: [acme]
          environments:
            staging: {}
          """);
      AttestationKeys ed25519 = AttestationKeys.of(AttestationKey.generate(AttestationKey.Kind.ED25519));
      AttestationKeys p256 = AttestationKeys.of(AttestationKey.generate(AttestationKey.Kind.P256));
      try {
        tollgate.startGate();
        tollgate.startWorker("load");
        FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
        String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head()
            + "\",\"baseline\":\"" + repo.baseline() + "\"}";
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
        System.out.printf(Locale.ROOT, "load: %d evaluations/s, %d s per round, %d rounds per mode, alternating; all production "
            + "probes, 50-file change, warm%n", rate, seconds, rounds);
        System.out.printf(Locale.ROOT, "  %-9s %-38s %8s %8s %8s %8s %7s%n", "mode", "latency", "p50 ms", "p95 ms", "p99 ms",
            "max ms", "errors");
        for (int round = 1; round <= rounds; round++) {
          for (AttestationKeys keys : java.util.Arrays.asList(null, ed25519, p256)) {
            boolean signed = keys != null;
            tollgate.stopGate();
            tollgate.withAttestation(keys).startGate();
            URI base = URI.create("http://127.0.0.1:" + tollgate.gate().httpPort());
            run(client, base, body, 4, 5, signed); // warm-up: JIT, consumer assignments after the restart
            Chained r = run(client, base, body, rate, seconds, signed);
            String mode = (keys == null ? "unsigned" : keys.signing().kind() == AttestationKey.Kind.P256 ? "p256" : "ed25519")
                + " " + round;
            print(mode, "request -> verdict", r.verdict(), r.errors());
            if (signed) {
              print(mode, "request -> signed envelope served", r.attested(), r.errors());
              print(mode, "verdict -> signed envelope served", r.extra(), r.errors());
              signerTime(tollgate, mode);
            }
          }
        }
      } finally {
        tollgate.close();
      }
    }
  }

  /**
   * The signer's own timer ({@code tollgate.attestation.signing}: statement, PAE, signature, envelope) over this round and
   * its warm-up, then removed, so that the next round's gate (a new signer) registers a fresh one and rounds of
   * different key kinds do not mix.
   */
  static void signerTime(TestInstallation tollgate, String mode) {
    tollgate.meters().find("tollgate.attestation.signing").timers().forEach(t -> {
      if (mode != null) {
        double p99 = java.util.Arrays.stream(t.takeSnapshot().percentileValues()).filter(v -> v.percentile() == 0.99)
            .mapToDouble(v -> v.value(TimeUnit.MILLISECONDS)).findFirst().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "  %-9s %-38s %8.3f %8s %8.3f %8.3f %7s  (mean, p99, max ms over %d verdicts)%n", mode,
            "signer's own time per verdict", t.mean(TimeUnit.MILLISECONDS), "", p99, t.max(TimeUnit.MILLISECONDS), "",
            t.count());
      }
      tollgate.meters().remove(t);
    });
  }

  static void print(String mode, String what, long[] micros, int errors) {
    System.out.printf(Locale.ROOT, "  %-9s %-38s %8.1f %8.1f %8.1f %8.1f %7d%n", mode, what, pct(micros, 50), pct(micros, 95),
        pct(micros, 99), pct(micros, 100), errors);
  }

  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }

  /** Per request: until the verdict, until the signed envelope was served, and the difference (microseconds, sorted). */
  record Chained(long[] verdict, long[] attested, long[] extra, int errors) {}

  /**
   * Open-loop requests at {@code rate}: each waits for its verdict ({@code waitSeconds}); with {@code signed}, then
   * asks for its attestation, waiting until it is signed.
   */
  static Chained run(HttpClient client, URI base, String body, int rate, int seconds, boolean signed) throws Exception {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    List<CompletableFuture<long[]>> all = new ArrayList<>();
    long period = 1_000_000_000L / rate;
    for (int i = 0; i < rate * seconds; i++) {
      CompletableFuture<long[]> f = new CompletableFuture<>();
      all.add(f);
      ticker.schedule(() -> {
        long sent = System.nanoTime();
        client.sendAsync(request(base.resolve("/api/v1/evaluations?waitSeconds=30")).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString())
            .thenCompose(r -> {
              long verdict = System.nanoTime();
              if (r.statusCode() != 200 || !r.body().contains("\"status\":\"COMPLETE\"")) {
                return CompletableFuture.completedFuture(new long[] {-1});
              }
              if (!signed) {
                return CompletableFuture.completedFuture(new long[] {(verdict - sent) / 1000});
              }
              String id = r.body().replaceAll("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1");
              return client.sendAsync(request(base.resolve("/api/v1/evaluations/" + id + "/attestation?waitSeconds=5")).GET().build(),
                  HttpResponse.BodyHandlers.ofString()).thenApply(a -> a.statusCode() != 200 ? new long[] {-1}
                      : new long[] {(verdict - sent) / 1000, (System.nanoTime() - sent) / 1000, (System.nanoTime() - verdict) / 1000});
            }).whenComplete((v, e) -> f.complete(e != null ? new long[] {-1} : v));
      }, i * period, TimeUnit.NANOSECONDS);
    }
    List<long[]> ok = new ArrayList<>();
    int errors = 0;
    for (CompletableFuture<long[]> f : all) {
      long[] v = f.get(120, TimeUnit.SECONDS);
      if (v[0] < 0) {
        errors++;
      } else {
        ok.add(v);
      }
    }
    ticker.shutdown();
    return new Chained(column(ok, 0), signed ? column(ok, 1) : new long[0], signed ? column(ok, 2) : new long[0], errors);
  }

  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestInstallation.ADMIN).timeout(Duration.ofSeconds(40));
  }

  static long[] column(List<long[]> rows, int i) {
    return rows.stream().mapToLong(r -> r[i]).sorted().toArray();
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
