package dev.tollgate.deploy.bench;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale-out of the worker group, with real processes: one broker (this JVM), one gate process and 1, then 2 worker
 * processes ({@code java -jar tollgate.jar serve --role worker}), each running one check at a time. The load is
 * probe-bound: the calendar probe reads an iCalendar feed that answers in 200 ms (a slow change-calendar service),
 * so a check costs waiting, not CPU, and this 2-core machine can show the group's scaling rather than its own
 * cores. Reports throughput with 1 and 2 workers and their ratio; then kills one worker (kill -9) under load and
 * checks that every evaluation still gets its verdict.
 *
 * <p>Run: {@code bench/scaleout.sh [seconds-per-phase]} (needs deploy/target/tollgate.jar).
 */
public final class ScaleOutBench {
  private static final int CLIENTS = 24;

  private ScaleOutBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path jar = Path.of("deploy/target/tollgate.jar").toAbsolutePath();
    Path tmp = Files.createTempDirectory("tollgate-scaleout");
    HttpServer feed = slowFeed();
    List<Process> processes = new ArrayList<>();
    try (EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0)) {
      String token = Tokens.generate();
      Path config = tmp.resolve("tollgate.yml");
      Files.writeString(config, """
          tenants: [default]
          kafka: {partitions: 6, replicationFactor: 1}
          environments:
            staging:
              probes: {calendar: {deadline: 60s}}
              calendar:
                feeds:
                  - {name: change-calendar, url: "http://127.0.0.1:%d/freezes.ics", refresh: 1ms}
          repositories: {allowLocalPaths: true}
          worker: {concurrency: 1}
          tokens: [{name: bench, sha256: %s, role: admin, tenants: ["*"]}]
          """.formatted(feed.getAddress().getPort(), Tokens.sha256(token)));
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      int gatePort = freePort();
      processes.add(start(jar, tmp, "gate", config, broker.bootstrap(), gatePort));
      awaitReady(gatePort);
      Process first = start(jar, tmp, "worker1", config, broker.bootstrap(), freePort());
      processes.add(first);
      Thread.sleep(8000); // the worker joins the group
      String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\"" + repo.head() + "\"}";
      URI uri = URI.create("http://127.0.0.1:" + gatePort + "/api/v1/evaluations?waitSeconds=60");
      load(uri, token, body, 5, null); // warm-up
      Phase one = load(uri, token, body, seconds, null);
      Process second = start(jar, tmp, "worker2", config, broker.bootstrap(), freePort());
      processes.add(second);
      Thread.sleep(10_000); // the group rebalances: partitions are shared by two workers
      Phase two = load(uri, token, body, seconds, null);
      System.out.printf(Locale.ROOT, "1 worker : %6.2f verdicts/s  (%d verdicts, %d failed)%n", one.rate(), one.ok, one.failed);
      System.out.printf(Locale.ROOT, "2 workers: %6.2f verdicts/s  (%d verdicts, %d failed)%n", two.rate(), two.ok, two.failed);
      System.out.printf(Locale.ROOT, "ratio    : %6.2fx%n", two.rate() / one.rate());
      Phase killed = load(uri, token, body, seconds, () -> {
        second.destroyForcibly(); // kill -9 mid-load: its checks in hand are redelivered to the survivor
      });
      System.out.printf(Locale.ROOT, "kill -9 of one worker under load: %d verdicts, %d without a verdict (GO expected for all)%n",
          killed.ok, killed.failed);
    } finally {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
      feed.stop(0);
    }
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores");
    System.exit(0);
  }

  record Phase(int ok, int failed, double seconds) {
    double rate() {
      return ok / seconds;
    }
  }

  /** CLIENTS closed-loop clients for {@code seconds}; {@code midway} runs once halfway. */
  static Phase load(URI uri, String token, String body, int seconds, Runnable midway) throws Exception {
    HttpClient client = HttpClient.newBuilder().build();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    long start = System.nanoTime();
    for (int i = 0; i < CLIENTS; i++) {
      pool.submit(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && r.body().contains("\"decision\":\"GO\"")) {
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (IOException | InterruptedException e) {
            failed.incrementAndGet();
          }
        }
        return null;
      });
    }
    if (midway != null) {
      Thread.sleep(seconds * 500L);
      midway.run();
      Thread.sleep(seconds * 500L);
    } else {
      Thread.sleep(seconds * 1000L);
    }
    running.set(false);
    pool.shutdown();
    pool.awaitTermination(120, TimeUnit.SECONDS);
    return new Phase(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9);
  }

  static HttpServer slowFeed() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    byte[] ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\nUID:1@bench\r\n"
        + "DTSTAMP:20260101T000000Z\r\nDTSTART:20200101T000000Z\r\nDTEND:20200102T000000Z\r\nSUMMARY:old freeze\r\n"
        + "END:VEVENT\r\nEND:VCALENDAR\r\n").getBytes(StandardCharsets.UTF_8);
    server.createContext("/freezes.ics", exchange -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.getResponseHeaders().add("Content-Type", "text/calendar");
      exchange.sendResponseHeaders(200, ics.length);
      exchange.getResponseBody().write(ics);
      exchange.close();
    });
    server.start();
    return server;
  }

  static Process start(Path jar, Path tmp, String name, Path config, String bootstrap, int port) throws IOException {
    String role = name.startsWith("worker") ? "worker" : "gate";
    return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
        jar.toString(), "serve", "--role", role, "--config", config.toString(), "--data-dir", tmp.resolve(name).toString(),
        "--http-port", Integer.toString(port), "--kafka-bootstrap", bootstrap))
        .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile()).start();
  }

  static void awaitReady(int port) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < 600; i++) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gate not ready");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
