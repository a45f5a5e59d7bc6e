package dev.tollgate.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * A gate with a week of history beside an empty one, side by side in one run: the same jar, the same broker, the
 * same repository, measured in the same minutes.
 *
 * <p>The week (default 7,000 evaluations: 1,000 deploys a day) is made of real records: the gate under test first
 * decides a few real evaluations (every production probe on a 50-file change), then is stopped, and those records —
 * requests, checks, results, verdicts and the aggregator's changelog, as that jar writes them — are copied 7,000
 * times with new evaluation ids, candidate commits, repositories (20 services; one in 20 is the bench repository) and
 * times spread over the last 7 days, straight into its topics; with a deploy (started, succeeded) per evaluation and an
 * audit record (votes, refusals, bypasses) per 5 evaluations. Its consumer groups are moved to the end of what was
 * written, as a gate that decided it all itself would have left them. Then both gates start and are measured:
 * start to ready, idle CPU (/proc, the same 60 s for both), request → verdict latency (requests alternating between
 * the two, one at a time, each a fresh candidate), the API reads the dashboard makes, heap after a full GC and RSS.
 *
 * <p>Run: {@code bench/history.sh [jar] [label] [evaluations=7000] [requests=200]}. Ports: {@code -Dbench.portBase}
 * (default 18300) for the empty gate, base + 1 for the week gate, base + 10 and + 11 for the broker, so two runs on one
 * machine can each take a range of their own.
 */
public final class HistoryBench {
  private static final Pattern INSTANT = Pattern.compile("\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z)\"");
  /** The week gate's topic, application and group names start with this (its topic namespace "week"). */
  private static final String WEEK = "week.";
  private static final int TEMPLATES = 10;

  private HistoryBench() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "deploy/target/tollgate.jar").toAbsolutePath();
    String label = args.length > 1 ? args[1] : "history";
    int evaluations = args.length > 2 ? Integer.parseInt(args[2]) : 7_000;
    int requests = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int idleSeconds = Integer.getInteger("bench.idleSeconds", 60);
    int settleSeconds = Integer.getInteger("bench.idleSettleSeconds", 10); // after the warm-up, before the idle window
    int portBase = Integer.getInteger("bench.portBase", 18300);
    String jfr = System.getProperty("bench.jfr"); // record the week gate with JFR into this file, the empty one into empty-<file>
    Path out = Path.of(System.getProperty("bench.out", "target/bench/" + label)).toAbsolutePath();
    Files.createDirectories(out);
    Path tmp = Files.createTempDirectory("tollgate-history-" + label);
    List<String> report = new ArrayList<>();
    int[] printed = {0};
    Runnable flush = () -> {
      report.subList(printed[0], report.size()).forEach(System.out::println);
      printed[0] = report.size();
    };
    try {
      FixtureRepo repo = BenchRepo.create(tmp.resolve("repo"));
      int warmup = 20;
      List<String> candidates = BenchRepo.candidates(repo, TEMPLATES + 2 * (warmup + requests) + 2);
      int[] next = {0};
      Supplier<String> fresh = () -> candidates.get(next[0]++);
      try (BenchKafka kafka = BenchKafka.start(jar, tmp.resolve("kafka"), portBase + 10)) {
        HttpClient client = HttpClient.newBuilder().build();
        Map<String, String> templates = new LinkedHashMap<>(); // evaluation id -> candidate
        try (BenchGate week = BenchGate.start(jar, tmp.resolve("week"), kafka, portBase + 1, "week", List.of())) {
          baseline(client, week, repo);
          for (int i = 0; i < TEMPLATES; i++) {
            String candidate = fresh.get();
            JsonNode v = evaluate(client, week, repo, candidate).json;
            templates.put(v.path("id").asText(), candidate);
          }
        }
        long t0 = System.nanoTime();
        int records = preload(kafka, repo, templates, evaluations);
        report.add(String.format(Locale.ROOT, "preloaded %d evaluations (%d records) into %s* in %.1f s", evaluations, records, WEEK,
            (System.nanoTime() - t0) / 1e9));
        flush.run();

        List<String> weekJvm = jfr == null ? List.of()
            : List.of("-XX:StartFlightRecording=filename=" + out.resolve(jfr) + ",settings=profile,dumponexit=true");
        // The empty gate is recorded too (into empty-<file>): what the week adds is the difference of the two.
        List<String> emptyJvm = jfr == null ? List.of()
            : List.of("-XX:StartFlightRecording=filename=" + out.resolve("empty-" + jfr) + ",settings=profile,dumponexit=true");
        long startedAt = System.nanoTime();
        try (BenchGate empty = BenchGate.start(jar, tmp.resolve("empty"), kafka, portBase, "empty", emptyJvm)) {
          double emptyStart = (System.nanoTime() - startedAt) / 1e9;
          startedAt = System.nanoTime();
          try (BenchGate week = BenchGate.start(jar, tmp.resolve("week"), kafka, portBase + 1, "week", weekJvm)) {
            double weekStart = (System.nanoTime() - startedAt) / 1e9;
            report.add(String.format(Locale.ROOT, "start to ready: empty %.1f s, week %.1f s", emptyStart, weekStart));
            JsonNode listed = Json.mapper().readTree(week.send(client, week.get("/api/v1/evaluations?limit=500").build()));
            report.add("week gate lists " + listed.path("count").asInt() + " evaluations (limit 500); metrics: "
                + metric(client, week, "tollgate_views_evaluations") + " in its views");
            baseline(client, empty, repo);
            int undecided = 0;
            for (int i = 0; i < warmup; i++) {
              undecided += evaluate(client, empty, repo, fresh.get()).decided() ? 0 : 1;
              undecided += evaluate(client, week, repo, fresh.get()).decided() ? 0 : 1;
            }
            report.add("warm-up: " + 2 * warmup + " evaluations, " + undecided + " without a verdict within 30 s");
            Thread.sleep(settleSeconds * 1000L); // let the last verdicts' work settle before measuring idle
            idle(empty, week, idleSeconds, report);
            flush.run();
            latency(client, empty, week, repo, fresh, requests, report);
            reads(client, empty, week, repo, report);
            memory(empty, week, report);
          }
        }
      }
      report.add("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
          + "; load average at the end: " + SoakBench.load() + "; jar " + jar);
      flush.run();
      try (PrintStream p = new PrintStream(Files.newOutputStream(out.resolve("history.txt")), true, StandardCharsets.UTF_8)) {
        report.forEach(p::println);
      }
    } finally {
      BenchKafka.deleteQuietly(tmp);
    }
    System.exit(0);
  }

  /** The gate's first evaluation (the whole baseline tree), recorded as what runs in staging. */
  static void baseline(HttpClient client, BenchGate gate, FixtureRepo repo) throws Exception {
    gate.send(client, gate.post("/api/v1/evaluations?waitSeconds=60", SoakBench.body(repo.dir(), repo.baseline(), null)).build());
    gate.send(client, gate.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\","
        + "\"commit\":\"" + repo.baseline() + "\",\"status\":\"succeeded\"}").build());
  }

  /** One evaluation over HTTP: its JSON, and the time to the answer (no verdict within 30 s: {@code decided} false). */
  record Answer(JsonNode json, long micros, boolean decided) {}

  static Answer evaluate(HttpClient client, BenchGate gate, FixtureRepo repo, String candidate) throws Exception {
    long t = System.nanoTime();
    String body = gate.send(client, gate.post("/api/v1/evaluations?waitSeconds=30",
        SoakBench.body(repo.dir(), candidate, repo.baseline())).build());
    long micros = (System.nanoTime() - t) / 1000;
    JsonNode json = Json.mapper().readTree(body);
    return new Answer(json, micros, "COMPLETE".equals(json.path("status").asText()));
  }

  /**
   * Copies the template evaluations' records {@code n} times into the week gate's topics (see the class comment),
   * adds deploys and audit records, and moves the gate's consumer groups to the end. Returns the records written.
   */
  static int preload(BenchKafka kafka, FixtureRepo repo, Map<String, String> templates, int n) throws Exception {
    List<String> topics = new ArrayList<>(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(WEEK)).sorted().toList());
    // Every record of the templates, from every topic of the week gate (its changelogs too, as its jar writes them).
    Map<String, List<ConsumerRecord<byte[], byte[]>>> byTemplate = new HashMap<>();
    int partitions = 0;
    Map<String, Object> props = Map.of("bootstrap.servers", kafka.bootstrap(), "enable.auto.commit", false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> ends = kafka.endOffsets(topics);
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      partitions = (int) ends.keySet().stream().filter(tp -> tp.topic().equals(WEEK + "tollgate.evaluations.requested")).count();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          String text = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
          for (String id : templates.keySet()) {
            if (text.contains(id) || value.contains("\"evaluationId\":\"" + id + "\"")) {
              byTemplate.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
            }
          }
        }
      }
    }
    List<String> ids = new ArrayList<>(templates.keySet());
    Random random = new Random(42);
    Instant now = Instant.now();
    Duration week = Duration.ofDays(7);
    int written = 0;
    // A write is counted only once the broker has it: a refused record (a partition the topic lacks, a timestamp out
    // of range) would otherwise leave a week gate with less history than the report says.
    java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Exception> firstRefusal = new java.util.concurrent.atomic.AtomicReference<>();
    org.apache.kafka.clients.producer.Callback check = (meta, e) -> {
      if (e != null) {
        refused.incrementAndGet();
        firstRefusal.compareAndSet(null, e);
      }
    };
    Map<String, Object> producerProps = Map.of("bootstrap.servers", kafka.bootstrap(), "linger.ms", 20, "batch.size", 262144,
        "acks", "all", "compression.type", "lz4");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        String template = ids.get(i % ids.size());
        String id = UUID.randomUUID().toString();
        String requestId = UUID.randomUUID().toString();
        String candidate = HexFormat.of().formatHex(randomBytes(random, 20));
        // 1,000 a day, oldest first, the newest a minute ago.
        Instant at = now.minus(week).plus(week.minusMinutes(1).multipliedBy(i).dividedBy(n));
        // One in 20 is the bench repository: its deploys are of the baseline (redeployed), so that the requests
        // measured later go over what runs there, as on the empty gate.
        boolean benchRepo = i % 20 == 0;
        String repository = benchRepo ? repo.dir().toString() : "/srv/git/acme/service-" + (i % 20);
        String environment = i % 3 == 0 ? "production" : "staging";
        List<ConsumerRecord<byte[], byte[]>> records = byTemplate.get(template);
        Instant templateAt = firstInstant(records);
        Duration shift = Duration.between(templateAt, at);
        String templateRequestId = requestIdOf(records, template);
        int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
        for (ConsumerRecord<byte[], byte[]> r : records) {
          java.util.function.UnaryOperator<String> rewrite = s -> shift(s.replace(template, id).replace(templateRequestId, requestId)
              .replace(templates.get(template), candidate).replace(repo.dir().toString(), repository)
              .replace("\"environment\":\"staging\"", "\"environment\":\"" + environment + "\""), shift);
          byte[] key = r.key() == null ? null : rewrite.apply(new String(r.key(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
          byte[] value = r.value() == null ? null : rewrite.apply(new String(r.value(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
          List<Header> headers = new ArrayList<>();
          for (Header h : r.headers()) {
            headers.add(new RecordHeader(h.key(), h.value() == null ? null
                : new String(h.value(), StandardCharsets.UTF_8).replace(template, id).replace(templateRequestId, requestId)
                    .getBytes(StandardCharsets.UTF_8)));
          }
          // Keyed by evaluation: the partition of the new id (changelogs are written by task partition, not by key hash).
          producer.send(new ProducerRecord<>(r.topic(), partition, at.toEpochMilli() + (r.timestamp() - templateAt.toEpochMilli()),
              key, value, headers), check);
          written++;
        }
        for (DeployStatus status : List.of(DeployStatus.STARTED, DeployStatus.SUCCEEDED)) {
          DeploymentRecorded d = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, id, requestId, "deploy-" + i, "acme",
              repository, environment, benchRepo ? repo.baseline() : candidate, status, "sha256:" + HexFormat.of().formatHex(randomBytes(random, 32)), Source.API,
              at.plusSeconds(60), status == DeployStatus.SUCCEEDED ? at.plusSeconds(150) : null,
              at.plusSeconds(status == DeployStatus.SUCCEEDED ? 150 : 60));
          producer.send(new ProducerRecord<>(WEEK + "tollgate.deployments.recorded", null, d.recordedAt().toEpochMilli(),
              d.historyKey().getBytes(StandardCharsets.UTF_8), Json.write(d)), check);
          written++;
        }
        if (i % 5 == 0) {
          AuditKind kind = List.of(AuditKind.OVERRIDE_APPROVED, AuditKind.OVERRIDE_REJECTED, AuditKind.OVERRIDE_DENIED,
              AuditKind.OVERRIDE_REQUESTED, AuditKind.GATE_BYPASSED).get((i / 5) % 5);
          AuditRecorded a = new AuditRecorded(AuditRecorded.SCHEMA_VERSION, id, requestId, UUID.randomUUID().toString(), kind,
              "acme", repository, environment, candidate, Source.API, i % 2 == 0 ? "alice" : "bob", null,
              "bench: " + kind.name().toLowerCase(Locale.ROOT) + " of evaluation " + i, at.plusSeconds(30), at.plusSeconds(30));
          producer.send(new ProducerRecord<>(WEEK + "tollgate.audit.recorded", null, a.recordedAt().toEpochMilli(),
              id.getBytes(StandardCharsets.UTF_8), Json.write(a)), check);
          written++;
        }
      }
      producer.flush();
    }
    if (refused.get() > 0) {
      throw new IllegalStateException(refused.get() + " of " + written + " preloaded records refused by the broker", firstRefusal.get());
    }
    // Where a gate that had decided all of it would be: every group of the week gate at the end of what it reads.
    Map<TopicPartition, Long> ends = kafka.endOffsets(topics);
    for (var g : kafka.admin().listGroups().all().get(30, TimeUnit.SECONDS)) {
      if (!g.groupId().startsWith(WEEK)) {
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
      kafka.admin().listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).keySet()
          .forEach(tp -> moved.put(tp, new OffsetAndMetadata(ends.get(tp))));
      kafka.admin().alterConsumerGroupOffsets(g.groupId(), moved).all().get(30, TimeUnit.SECONDS);
    }
    return written;
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * When a template's records were written: the earliest record timestamp. Not the earliest instant in their JSON,
   * which can be a commit's date days back: shifting by that put the copies' timestamps days in the future, and the
   * broker refused them (its timestamp bound is an hour ahead).
   */
  private static Instant firstInstant(List<ConsumerRecord<byte[], byte[]>> records) {
    return Instant.ofEpochMilli(records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow());
  }

  private static String requestIdOf(List<ConsumerRecord<byte[], byte[]>> records, String template) throws Exception {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.topic().endsWith("tollgate.evaluations.requested")) {
        return Json.mapper().readTree(r.value()).path("requestId").asText();
      }
    }
    throw new IllegalStateException("no request record for template " + template);
  }

  /** Every instant in {@code json} moved by {@code shift}. */
  private static String shift(String json, Duration shift) {
    Matcher m = INSTANT.matcher(json);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, "\"" + Instant.parse(m.group(1)).plus(shift) + "\"");
    }
    m.appendTail(b);
    return b.toString();
  }

  /** CPU of both gates over the same seconds, with no requests: % of one core. */
  static void idle(BenchGate empty, BenchGate week, int seconds, List<String> report) throws Exception {
    long e0 = empty.process().cpuMillis();
    long w0 = week.process().cpuMillis();
    Map<String, Long> et0 = empty.process().threadCpuMillis();
    Map<String, Long> wt0 = week.process().threadCpuMillis();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - t0) / 1e6;
    double e = 100.0 * (empty.process().cpuMillis() - e0) / elapsed;
    double w = 100.0 * (week.process().cpuMillis() - w0) / elapsed;
    Map<String, Double> et = perThread(et0, empty.process().threadCpuMillis(), elapsed);
    Map<String, Double> wt = perThread(wt0, week.process().threadCpuMillis(), elapsed);
    report.add(String.format(Locale.ROOT, "idle CPU over %d s (%% of one core): empty %.2f, week %.2f, ratio %.2f; load %s", seconds,
        e, w, w / Math.max(e, 0.01), SoakBench.load()));
    // The JIT still compiles the idle loops (Kafka's fetch paths) in the first minutes after the warm-up: a cost that
    // ends, reported apart from what an idle gate keeps paying.
    double ej = jit(et);
    double wj = jit(wt);
    report.add(String.format(Locale.ROOT, "  of which JIT compiler threads: empty %.2f, week %.2f; without them: empty %.2f, week %.2f, "
        + "ratio %.2f", ej, wj, e - ej, w - wj, (w - wj) / Math.max(e - ej, 0.01)));
    report.add("  busiest threads, empty: " + busiest(et));
    report.add("  busiest threads, week:  " + busiest(wt));
  }

  /** CPU per thread name over the window, % of one core. */
  static Map<String, Double> perThread(Map<String, Long> before, Map<String, Long> after, double elapsedMillis) {
    Map<String, Double> out = new HashMap<>();
    after.forEach((name, ms) -> out.put(name, 100.0 * (ms - before.getOrDefault(name, 0L)) / elapsedMillis));
    return out;
  }

  static double jit(Map<String, Double> threads) {
    return threads.entrySet().stream().filter(t -> t.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
  }

  static String busiest(Map<String, Double> threads) {
    return threads.entrySet().stream().filter(t -> t.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
        .map(t -> String.format(Locale.ROOT, "%s %.2f", t.getKey(), t.getValue())).reduce((a, b) -> a + ", " + b).orElse("-");
  }

  /** Request → verdict, alternating between the two gates, one request at a time. */
  static void latency(HttpClient client, BenchGate empty, BenchGate week, FixtureRepo repo, Supplier<String> fresh, int n,
      List<String> report) throws Exception {
    long[] e = new long[n];
    long[] w = new long[n];
    int[] undecided = new int[2];
    for (int i = 0; i < n; i++) {
      // Alternate which goes first, so neither always follows the other's work.
      for (int k = 0; k < 2; k++) {
        boolean toEmpty = (i + k) % 2 == 0;
        Answer a = evaluate(client, toEmpty ? empty : week, repo, fresh.get());
        (toEmpty ? e : w)[i] = a.micros();
        undecided[toEmpty ? 0 : 1] += a.decided() ? 0 : 1;
      }
    }
    java.util.Arrays.sort(e);
    java.util.Arrays.sort(w);
    report.add(String.format(Locale.ROOT, "request -> verdict, %d each (ms; no verdict within 30 s counts as its wait): "
        + "empty p50 %.1f p99 %.1f (%d undecided) | week p50 %.1f p99 %.1f (%d undecided) | ratio p50 %.2f p99 %.2f; load %s",
        n, SoakBench.pct(e, 50), SoakBench.pct(e, 99), undecided[0], SoakBench.pct(w, 50), SoakBench.pct(w, 99), undecided[1],
        SoakBench.pct(w, 50) / SoakBench.pct(e, 50), SoakBench.pct(w, 99) / SoakBench.pct(e, 99), SoakBench.load()));
  }

  /** The reads the dashboard and integrations make, on both gates, alternating. */
  static void reads(HttpClient client, BenchGate empty, BenchGate week, FixtureRepo repo, List<String> report) throws Exception {
    List<String> paths = List.of("/api/v1/evaluations?limit=100", "/api/v1/evaluations?environment=production&verdict=NO_GO&limit=20",
        "/api/v1/environments", "/api/v1/audit?limit=200", "/api/v1/deployments?repository=" + repo.dir() + "&environment=staging");
    int runs = 100;
    for (String path : paths) {
      long[] e = new long[runs];
      long[] w = new long[runs];
      for (int i = 0; i < runs + 10; i++) {
        long a = time(client, empty.get(path).build());
        long b = time(client, week.get(path).build());
        if (i >= 10) { // the first ten warm up
          e[i - 10] = a;
          w[i - 10] = b;
        }
      }
      java.util.Arrays.sort(e);
      java.util.Arrays.sort(w);
      report.add(String.format(Locale.ROOT, "GET %s (ms, %d each): empty p50 %.2f p99 %.2f | week p50 %.2f p99 %.2f | ratio p99 %.1f",
          path.replace(repo.dir().toString(), "<repo>"), runs, SoakBench.pct(e, 50), SoakBench.pct(e, 99), SoakBench.pct(w, 50),
          SoakBench.pct(w, 99), SoakBench.pct(w, 99) / SoakBench.pct(e, 99)));
    }
  }

  private static long time(HttpClient client, HttpRequest request) throws Exception {
    long t = System.nanoTime();
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + ": " + r.body());
    }
    return (System.nanoTime() - t) / 1000;
  }

  static void memory(BenchGate empty, BenchGate week, List<String> report) throws Exception {
    BenchProcess.Heap he = empty.process().heapAfterGc();
    BenchProcess.Heap hw = week.process().heapAfterGc();
    report.add(String.format(Locale.ROOT, "heap after full GC (MiB): empty %.1f, week %.1f; RSS (MiB): empty %.0f, week %.0f",
        he.usedBytes() / 1048576.0, hw.usedBytes() / 1048576.0, empty.process().sample().rssKb() / 1024.0,
        week.process().sample().rssKb() / 1024.0));
  }

  private static String metric(HttpClient client, BenchGate gate, String name) throws Exception {
    String text = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gate.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("?");
  }
}
