package dev.tollgate.deploy.bench;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What one decided evaluation costs in a gate's memory: N evaluations shaped as the five production probes decide a
 * 50-file change (the records a real run of {@code bench/history.sh} wrote: five checks carrying the deploy history,
 * five results, three findings, a verdict with two warnings), written to an embedded broker and read back by the real
 * views; the heap after a full GC before and after, per evaluation, and the classes that hold it.
 *
 * <p>Run: {@code bench/run-java.sh dev.tollgate.deploy.bench.ViewsMemoryBench [evaluations=7000] [deploysInHistory=20]}.
 */
public final class ViewsMemoryBench {
  private ViewsMemoryBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 7_000;
    int deploys = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path tmp = Files.createTempDirectory("tollgate-views-memory");
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), Integer.getInteger("bench.kafkaPort", 18320))) {
      Topics topics = Topics.namespaced("mem");
      Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrap());
      new TopicSetup(topics, 3, (short) 1).ensure(kafka);
      publish(broker.bootstrap(), topics, n, deploys);
      long before = usedAfterGc();
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      EvaluationViews views = new EvaluationViews(topics, kafka, 100_000, meters);
      long startedAt = System.nanoTime();
      views.start();
      if (!views.awaitCaughtUp(Duration.ofMinutes(15))) {
        throw new IllegalStateException("views did not catch up");
      }
      System.out.printf(Locale.ROOT, "views caught up in %.1f s%n", (System.nanoTime() - startedAt) / 1e9);
      long after = usedAfterGc();
      System.out.printf(Locale.ROOT, "%d evaluations (%d deploys in each history): heap after GC %.1f MiB -> %.1f MiB, %.1f KiB each%n",
          n, deploys, before / 1048576.0, after / 1048576.0, (after - before) / 1024.0 / n);
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
          .redirectErrorStream(true).start();
      List<String> lines = new String(jcmd.getInputStream().readAllBytes()).lines().limit(28).toList();
      lines.forEach(System.out::println);
      System.out.println(views.list(v -> true, 1).size() == 1 ? "" : "views empty?");
      // The off-heap store (#25): what the heap still holds, what RocksDB holds natively, and the oldest read back.
      double onHeap = meters.find("tollgate.views.evaluations.heap").gauge() == null ? Double.NaN
          : meters.find("tollgate.views.evaluations.heap").gauge().value();
      double native_ = meters.find("tollgate.views.offheap.memory").gauge() == null ? Double.NaN
          : meters.find("tollgate.views.offheap.memory").gauge().value();
      List<dev.tollgate.gate.view.EvaluationView> all = views.list(v -> true, n);
      long t0 = System.nanoTime();
      int reads = 0;
      for (int i = all.size() - 1; i >= Math.max(0, all.size() - 1_000); i--, reads++) {
        views.get(all.get(i).id()).orElseThrow();
      }
      double disk = meters.find("tollgate.views.offheap.disk").gauge() == null ? Double.NaN
          : meters.find("tollgate.views.offheap.disk").gauge().value();
      System.out.printf(Locale.ROOT, "evaluations on the heap: %.0f of %d; off-heap store native memory %.1f MiB, disk %.1f MiB;"
          + " RSS %.0f MiB; the %d oldest read back in %.1f us each%n", onHeap, all.size(), native_ / 1048576.0,
          disk / 1048576.0, rssMiB(), reads,
          (System.nanoTime() - t0) / 1000.0 / Math.max(1, reads));
      views.close();
    } finally {
      BenchKafka.deleteQuietly(tmp);
    }
    System.exit(0);
  }

  private static double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException e) {
      // not Linux
    }
    return Double.NaN;
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void publish(String bootstrap, Topics topics, int n, int deploys) throws Exception {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262144, "acks", "1");
    Random random = new Random(7);
    Instant start = Instant.now().minus(Duration.ofDays(7));
    List<ProbeId> probes = List.of(ProbeId.of("calendar"), ProbeId.of("migrations"), ProbeId.of("parity"), ProbeId.of("rollback"),
        ProbeId.of("secrets"));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        String id = UUID.randomUUID().toString();
        String requestId = UUID.randomUUID().toString();
        Instant at = start.plusSeconds(86L * i);
        String repository = "/srv/git/acme/service-" + (i % 20);
        DeployTarget target = new DeployTarget("acme", repository, i % 3 == 0 ? "production" : "staging", sha(random), sha(random));
        List<DeployRecord> history = new ArrayList<>();
        for (int d = 0; d < deploys; d++) {
          history.add(new DeployRecord(sha(random), DeployStatus.SUCCEEDED, at.minusSeconds(3600L * d + 90), at.minusSeconds(3600L * d),
              "sha256:" + HexFormat.of().formatHex(bytes(random, 32)), "api-" + UUID.randomUUID()));
        }
        DeployHistory h = new DeployHistory(history, Map.of("staging", new CandidateStatus(true, false, UUID.randomUUID().toString())));
        producer.send(new ProducerRecord<>(topics.evaluationsRequested(), id, Json.write(EvaluationRequested.of(id, requestId, target,
            Source.API, "ci", null, null, "f" + i, List.of(), at, h))));
        List<ProbeSummary> summaries = new ArrayList<>();
        for (ProbeId p : probes) {
          producer.send(new ProducerRecord<>(topics.checksRequested(), id, Json.write(CheckRequested.of(id, requestId, target, p,
              at.plusSeconds(60), at, h))));
          List<Finding> findings = findings(p.value(), target);
          ProbeStatus status = findings.isEmpty() ? ProbeStatus.PASS : ProbeStatus.WARN;
          producer.send(new ProducerRecord<>(topics.probesCompleted(), id, Json.write(ProbeCompleted.of(id, CheckRequested.checkId(id, p),
              requestId, p, status, findings.isEmpty() ? "no findings" : findings.size() + " warnings", findings, false,
              RepoPolicy.none(), "vm/4242", at.plusMillis(300), at.plusMillis(900), null))));
          summaries.add(new ProbeSummary(p, true, status, findings.isEmpty() ? "no findings" : findings.size() + " warnings",
              Duration.ofMinutes(1), findings.size(), 0));
        }
        producer.send(new ProducerRecord<>(topics.verdictsReached(), id, Json.write(VerdictReached.of(id, requestId, target, Decision.GO,
            List.of(new Reason(ReasonCode.WARNING, probes.get(1), "probe migrations warned: 1 warning"),
                new Reason(ReasonCode.WARNING, probes.get(3), "probe rollback warned: 2 warnings")),
            summaries, "server:b937e6f4f8dd;repo:none", at, at.plusMillis(1100), 1, null, false))));
      }
      producer.flush();
    }
  }

  /** The findings the real probes gave on the bench repository's 50-file change. */
  private static List<Finding> findings(String probe, DeployTarget t) {
    String sql = "src/main/resources/db/migration/V11__add_orders_note.sql";
    return switch (probe) {
      case "migrations" -> List.of(new Finding("migration/missing-lock-timeout", Severity.WARN, sql, 1,
          "`ALTER TABLE t1 ADD COLUMN note text` waits for a table lock with no lock_timeout set: behind one long-running "
              + "transaction it waits, and every query of the running release on that table queues behind it.",
          "Start the migration with SET lock_timeout = '2s' (SET LOCAL inside a transaction) and retry on timeout.",
          sql + ":migration/missing-lock-timeout:1", null));
      case "rollback" -> List.of(new Finding("rollback/irreversible-migration", Severity.WARN, sql, 1,
          sql + ": it has no undo migration, so rolling the schema back means writing one during the incident.",
          "Add `U11__add_orders_note.sql` beside it that reverses it, or declare it forward-only in .tollgate.yml.",
          sql + ":rollback/irreversible-migration:1", null),
          new Finding("rollback/no-rollback-target", Severity.WARN, null, 0, "This deploy goes over " + t.baseline().substring(0, 7)
              + ", but the last successful deploy of " + t.environment() + " on record is another: which release a rollback "
              + "returns to is ambiguous.", "Evaluate over the release that runs (omit the baseline and Tollgate uses its record).",
              ":rollback/no-rollback-target:0", null));
      default -> List.of();
    };
  }

  private static String sha(Random random) {
    return HexFormat.of().formatHex(bytes(random, 20));
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
