package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.delivery.DeliveryHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Delivery metrics over {@code N} (default 10,000) deploys in the last 90 days: 2 tenants × 3 environments × 40
 * repositories, each deploy with its evaluation (a probe result with its commit range, a verdict; every tenth a NO_GO
 * with a blocking rule, every twentieth held by a freeze, some overridden), one in twelve failed, one in thirty a
 * rollback. Written to the real topics of an embedded broker and read by the gate's real view. Measured over loopback
 * HTTP: the API the page calls (90, 30 and 7 days, one repository, the CSV), client time and the server's own
 * ({@code Server-Timing}); the report alone in process; and the same report after {@code 2N} more deploys 90 to 365
 * days old were added (history that must not make it slower), side by side as a ratio.
 *
 * <p>Run: {@code bench/delivery.sh [deploys]}.
 */
public final class DeliveryBench {
  private DeliveryBench() {}

  static final List<String> ENVS = List.of("development", "staging", "production");
  static final List<String> TENANTS = List.of("acme", "globex");
  static final int REPOS = 40;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path tmp = Files.createTempDirectory("tollgate-delivery-bench");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"),
          TestProbes.registry(TestProbes.PASS), """
          tenants: [acme, globex]
          environments:
            development: {probes: {pass: {}}}
            staging: {probes: {pass: {}}}
            production: {probes: {pass: {}}}
          """);
      try {
        tollgate.startGate();
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        // The 90-day period starts at midnight UTC 89 days ago.
        Instant first = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(89)).plusSeconds(60);
        int records = publish(broker.bootstrap(), tollgate.topics(), n, first, now.minusSeconds(60), 0);
        Api api = tollgate.api();
        awaitDeploys(api, n);
        System.out.printf(Locale.ROOT, "deploys in the last 90 days: %d (%d records, published and read in %.1f s)%n", n, records,
            (System.nanoTime() - t0) / 1e9);
        DeliveryHistory history = tollgate.gate().delivery().history();
        List<String> envs = ENVS;
        double before = measure(api, history, envs, "");
        int old = publish(broker.bootstrap(), tollgate.topics(), 2 * n, now.minus(Duration.ofDays(365)),
            now.minus(Duration.ofDays(91)), 1);
        awaitRecords(tollgate, records + old);
        System.out.printf(Locale.ROOT, "%n+ %d deploys 91-365 days old (%d records): the same requests%n", 2 * n, old);
        double after = measure(api, history, envs, "with 3x the history");
        System.out.printf(Locale.ROOT, "%nratio, server time p50 of GET ?days=90, with 3x the history / without: %.2f%n",
            after / before);
        tollgate.stopGate();
        long restart = System.nanoTime();
        tollgate.startGate();
        while (!tollgate.gate().delivery().caughtUp()) {
          Thread.sleep(20);
        }
        System.out.printf(Locale.ROOT, "restart: the delivery view rebuilt from %d records in %.1f s after the gate started%n",
            records + old, (System.nanoTime() - restart) / 1e9);
      } finally {
        tollgate.close();
      }
    }
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
  }

  /** Prints the figures of the requests; returns the server-time p50 (ms) of the 90-day JSON request. */
  static double measure(Api api, DeliveryHistory history, List<String> envs, String label) {
    double p50 = report("GET /api/v1/metrics/delivery?days=90 " + label, 200, () -> api.get("/api/v1/metrics/delivery?days=90"));
    report("GET ...?days=30", 200, () -> api.get("/api/v1/metrics/delivery?days=30"));
    report("GET ...?days=7", 200, () -> api.get("/api/v1/metrics/delivery?days=7"));
    report("GET ...?days=90&repository=<one>", 200,
        () -> api.get("/api/v1/metrics/delivery?days=90&repository=https://github.com/acme/service-7"));
    report("GET ...?days=90&format=csv", 100, () -> api.get("/api/v1/metrics/delivery?days=90&format=csv"));
    timed("in process: history.report(3 environments, 90 days)", 200,
        () -> history.report(envs, new DeliveryHistory.Filter(t -> true, null, null, null), 90));
    return p50;
  }

  static void awaitDeploys(Api api, int n) throws InterruptedException {
    while (total(api.get("/api/v1/metrics/delivery?days=90").json()) < n) {
      Thread.sleep(200);
    }
  }

  /** The old deploys fall outside every report: waits until the view has applied every record written. */
  static void awaitRecords(TestInstallation tollgate, int records) throws InterruptedException {
    while (tollgate.meters().counter("tollgate.delivery.records").count() < records) {
      Thread.sleep(200);
    }
  }

  static long total(JsonNode report) {
    long sum = 0;
    for (JsonNode e : report.path("environments")) {
      sum += e.path("deployments").path("deploys").asLong() + e.path("deployments").path("failedDeploys").asLong();
    }
    return sum;
  }

  /**
   * {@code n} deploys spread evenly between {@code from} and {@code to}, each with its evaluation; returns the records
   * written.
   */
  static int publish(String bootstrap, Topics topics, int n, Instant from, Instant to, int seed) throws Exception {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262144, "acks", "1");
    Random random = new Random(seed);
    long span = Duration.between(from, to).toSeconds();
    int records = 0;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String tenant = TENANTS.get(i % 2);
        String env = ENVS.get((i / 2) % 3);
        String repo = "https://github.com/" + tenant + "/service-" + (i / 6) % REPOS;
        Instant at = from.plusSeconds(span * i / n);
        String id = "s" + seed + "-e" + i;
        String commit = String.format("%040x", (long) seed << 40 | i);
        String previous = String.format("%040x", (long) seed << 40 | Math.max(0, i - 240));
        DeployTarget target = new DeployTarget(tenant, repo, env, commit, previous);
        boolean blocked = i % 10 == 3;
        boolean held = i % 20 == 7;
        List<Finding> findings = blocked ? List.of(new Finding("migration/drop-column", Severity.BLOCK, "db/V1.sql", 1, "m", "f",
            "db/V1.sql:migration/drop-column:1", null)) : List.of();
        out.add(new ProducerRecord<>(topics.probesCompleted(), id, Json.write(ProbeCompleted.of(id, id + "/pass", "b",
            ProbeId.of("pass"), blocked ? ProbeStatus.FAIL : ProbeStatus.PASS, null, findings, false, null, "bench",
            at.minusSeconds(120), at.minusSeconds(100), null)
            .withRange(new CommitRange(1 + random.nextInt(20), at.minusSeconds(600 + random.nextInt(86_400 * 3)),
                at.minusSeconds(300), false)))));
        Decision decision = blocked ? (i % 30 == 3 ? Decision.OVERRIDDEN : Decision.NO_GO) : Decision.GO;
        List<Reason> reasons = blocked ? List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.of("pass"), "probe pass failed"))
            : List.of();
        if (held) {
          out.add(new ProducerRecord<>(topics.verdictsReached(), id, Json.write(VerdictReached.of(id, "b", target,
              Decision.NO_GO, reasons, List.of(), "bench", at.minusSeconds(7200), at.minusSeconds(7100), 1,
              at.minusSeconds(200), true))));
        }
        out.add(new ProducerRecord<>(topics.verdictsReached(), id, Json.write(VerdictReached.of(id, "b", target, decision,
            reasons, List.of(), "bench", at.minusSeconds(7200), at.minusSeconds(90), held ? 2 : 1, null, false))));
        DeployStatus status = i % 12 == 5 ? DeployStatus.FAILED : DeployStatus.SUCCEEDED;
        String deployed = i % 30 == 11 ? previous : commit; // a rollback to an earlier commit
        DeploymentRecorded d = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, id, "b", "dep-" + seed + "-" + i,
            tenant, repo, env, deployed, status, null, Source.API, at.minusSeconds(60), at, at);
        out.add(new ProducerRecord<>(topics.deploymentsRecorded(), d.historyKey(), Json.write(d)));
      }
      for (ProducerRecord<String, byte[]> r : out) {
        producer.send(r);
      }
      producer.flush();
      records = out.size();
    }
    return records;
  }

  /** Runs the request; prints client and server (Server-Timing) times; returns the server p50 in ms. */
  static double report(String what, int runs, Supplier<Api.Response> call) {
    for (int i = 0; i < Math.max(20, runs / 5); i++) {
      check(call.get());
    }
    long[] client = new long[runs];
    long[] server = new long[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      Api.Response r = call.get();
      client[i] = (System.nanoTime() - s) / 1000;
      check(r);
      String timing = r.header("Server-Timing");
      server[i] = (long) (Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4)) * 1000);
    }
    System.out.println(what + " (ms, " + runs + " runs): server " + DashboardBench.summary(server) + " | client "
        + DashboardBench.summary(client));
    long[] sorted = server.clone();
    java.util.Arrays.sort(sorted);
    return sorted[runs / 2] / 1000.0;
  }

  static void timed(String what, int runs, Runnable call) {
    for (int i = 0; i < 20; i++) {
      call.run();
    }
    long[] micros = new long[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      call.run();
      micros[i] = (System.nanoTime() - s) / 1000;
    }
    System.out.println(what + " (ms, " + runs + " runs): " + DashboardBench.summary(micros));
  }

  static void check(Api.Response r) {
    if (r.status() != 200) {
      throw new IllegalStateException("unexpected answer " + r.status() + ": " + r.body());
    }
  }
}
