package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.Chrome;
import dev.tollgate.deploy.testing.SessionClient;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.view.EvaluationView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openqa.selenium.By;

/**
 * The dashboard's list with {@code N} (default 10,000) decided evaluations in the gate's views: each with a probe
 * result carrying findings (every fourth) and a verdict, written to the real topics of an embedded broker and read
 * back by the real views, as a gate restart would. Then, over loopback HTTP:
 * the list API the page calls (newest 100 and 500, and a filtered query), the list page's HTML and its files, the
 * views' query alone in-process, and, when Chromium is installed, the page in a real browser until 100 rows show.
 *
 * <p>Run: {@code bench/dashboard.sh [evaluations]}.
 */
public final class DashboardBench {
  private DashboardBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Path tmp = Files.createTempDirectory("tollgate-dashboard-bench");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      String config = """
          tenants: [acme, globex]
          environments:
            staging: {probes: {pass: {}}}
            production: {probes: {pass: {}}}
          """;
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"),
          TestProbes.registry(TestProbes.PASS), config);
      try {
        tollgate.startGate();
        long t0 = System.nanoTime();
        publish(broker.bootstrap(), tollgate.topics(), n);
        var views = tollgate.gate().views();
        while (views.list(v -> v.complete(), n + 1).size() < n) {
          Thread.sleep(50);
        }
        System.out.printf(Locale.ROOT, "evaluations in the views: %d (published and read back in %.1f s)%n", n,
            (System.nanoTime() - t0) / 1e9);

        Api api = tollgate.api();
        report("GET /api/v1/evaluations?limit=100", 300, () -> check(api.get("/api/v1/evaluations?limit=100"), 100));
        report("GET /api/v1/evaluations?limit=500", 100, () -> check(api.get("/api/v1/evaluations?limit=500"), 500));
        report("GET ...?environment=production&verdict=NO_GO&limit=100", 300,
            () -> check(api.get("/api/v1/evaluations?environment=production&verdict=NO_GO&limit=100"), 100));
        report("in-process views.list(all, 100)", 300, () -> {
          List<EvaluationView> l = views.list(v -> true, 100);
          if (l.size() != 100) {
            throw new IllegalStateException("got " + l.size());
          }
        });
        SessionClient session = SessionClient.signIn(tollgate.gate().httpPort(), TestInstallation.ADMIN);
        List<String> files = List.of("/", "/assets/app.css", "/assets/js/evaluations.js", "/assets/js/api.js",
            "/assets/js/ui.js", "/assets/js/nav.js", "/api/v1/session", "/api/v1/environments");
        report("list page: HTML + CSS + 4 scripts + session + environments (sequential)", 200, () -> {
          for (String f : files) {
            Api.Response r = session.get(f);
            if (r.status() != 200) {
              throw new IllegalStateException(f + " -> " + r.status());
            }
          }
        });
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
          browser(tollgate.gate().httpPort());
        } else {
          System.out.println("browser: skipped (no /usr/bin/chromium)");
        }
      } finally {
        tollgate.close();
      }
    }
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
        + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
  }

  /**
   * n decided evaluations as the workers and the aggregator would have written them (a probe result with findings
   * and a verdict each), newest last. Not their requests: the gate's aggregator would take those as new work and
   * dispatch 10,000 checks; the views render an evaluation from its verdict alone (only the author is missing).
   */
  static void publish(String bootstrap, Topics topics, int n) throws Exception {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262144,
        "acks", "1");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      Instant start = Instant.now().minus(Duration.ofDays(30));
      String sha = "0123456789abcdef0123456789abcdef01234567";
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        String env = i % 3 == 0 ? "production" : "staging";
        boolean fail = i % 4 == 0;
        DeployTarget target = new DeployTarget(i % 10 == 0 ? "globex" : "acme", "https://github.com/acme/service-" + (i % 40),
            env, sha, null);
        Instant at = start.plusSeconds(i * 60L);
        ProbeId probe = ProbeId.of("pass");
        List<Finding> findings = fail ? List.of(new Finding("migration/drop-column", Severity.BLOCK, "db/V" + i + "__drop.sql", 3,
            "Migration drops column email of table users, which the running release may still read.",
            "Stop reading the column in release N, drop it in release N+1.", "db/V" + i + ":migration/drop-column:3", null))
            : List.of();
        producer.send(new ProducerRecord<>(topics.probesCompleted(), id, Json.write(ProbeCompleted.of(id, id + "-pass",
            "bench-" + i, probe, fail ? ProbeStatus.FAIL : ProbeStatus.PASS, fail ? "1 blocking finding" : null, findings, false,
            null, "bench-worker", at.plusMillis(20), at.plusMillis(900), null))));
        producer.send(new ProducerRecord<>(topics.verdictsReached(), id, Json.write(VerdictReached.of(id, "bench-" + i, target,
            fail ? Decision.NO_GO : Decision.GO,
            fail ? List.of(new Reason(ReasonCode.PROBE_FAILED, probe, "probe pass failed: 1 blocking finding")) : List.of(),
            List.of(new ProbeSummary(probe, true, fail ? ProbeStatus.FAIL : ProbeStatus.PASS, null, Duration.ofSeconds(60),
                findings.size(), findings.size())), "bench", at, at.plusMillis(950), 1, null, false))));
      }
      producer.flush();
    }
  }

  static void check(Api.Response r, int expected) {
    if (r.status() != 200 || r.json().path("count").asInt() != expected) {
      throw new IllegalStateException("unexpected answer " + r.status() + ": count " + r.json().path("count"));
    }
  }

  static void report(String what, int runs, Runnable call) {
    for (int i = 0; i < Math.max(20, runs / 5); i++) {
      call.run();
    }
    long[] micros = new long[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      call.run();
      micros[i] = (System.nanoTime() - s) / 1000;
    }
    System.out.println(what + " (ms, " + runs + " runs): " + summary(micros));
  }

  /** Navigation start until the list shows 100 rows, in headless Chromium (page, scripts, API calls, rendering). */
  static void browser(int port) {
    try (Chrome chrome = new Chrome()) {
      var driver = chrome.driver();
      driver.get("http://127.0.0.1:" + port + "/signin");
      driver.findElement(By.id("token")).sendKeys(TestInstallation.ADMIN);
      driver.findElement(By.cssSelector("#signin button")).click();
      chrome.waitUpTo(10).until(d -> d.findElements(By.cssSelector("#evaluations tbody tr")).size() == 100);
      int runs = 20;
      long[] micros = new long[runs + 5];
      for (int i = 0; i < runs + 5; i++) {
        driver.get("http://127.0.0.1:" + port + "/?limit=100");
        Object ms = driver.executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            const check = () => document.querySelectorAll('#evaluations tbody tr').length >= 100
                ? done(performance.now()) : setTimeout(check, 5);
            check();""");
        micros[i] = (long) (((Number) ms).doubleValue() * 1000);
      }
      System.out.println("browser: navigation start -> 100 rows shown (ms, " + runs + " runs after 5 warm-up): "
          + summary(Arrays.copyOfRange(micros, 5, micros.length)));
    }
  }

  static String summary(long[] micros) {
    long[] s = micros.clone();
    Arrays.sort(s);
    return String.format(Locale.ROOT, "p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", pct(s, 50), pct(s, 90), pct(s, 99),
        s[s.length - 1] / 1000.0);
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1000.0;
  }
}
