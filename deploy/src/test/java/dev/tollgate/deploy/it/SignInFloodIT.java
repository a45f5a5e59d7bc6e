package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.testing.SessionClient;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19, item 8: 10,050 sign-ins with one viewer token in 4.5 s evicted every other dashboard session (one global
 * LRU cap). Now sign-in is rate-limited per client address and per token (429 with {@code Retry-After}), and sessions
 * are capped per principal, so the flood signs nobody else out. Real gate and HTTP; the second client connects from
 * another loopback address ({@code 127.0.0.2}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInFloodIT {
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  int port;

  @BeforeAll
  void start() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.PASS),
        "tenants: [acme]\nenvironments: {staging: {probes: {pass: {}}}}\n");
    tollgate.startGate();
    port = tollgate.gate().httpPort();
  }

  @AfterAll
  void stop() {
    tollgate.close();
  }

  HttpResponse<String> signIn(String token) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
        .header("Content-Type", "application/json").header("Origin", SessionClient.origin(port))
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A sign-in over a connection from {@code localAddress}: another client, as the gate sees it. Returns the status. */
  int signInFrom(String localAddress, String token) throws IOException {
    String body = "{\"token\":\"" + token + "\"}";
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress), 0)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /signin HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\nOrigin: "
          + SessionClient.origin(port) + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 200"
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  @Test
  void tenThousandSignInsWithOneTokenLeaveAnotherUsersSessionAlive() throws Exception {
    SessionClient victim = SessionClient.signIn(port, TestInstallation.ALICE);
    assertEquals(200, victim.get("/api/v1/session").status());

    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> retryAfter = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < 10_050; i++) {
      sent.add(pool.submit(() -> {
        HttpResponse<String> r = signIn(TestInstallation.VIEWER);
        statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        if (r.statusCode() == 429 && retryAfter.size() < 5) {
          retryAfter.add(r.headers().firstValue("Retry-After").orElse("missing"));
        }
        return null;
      }));
    }
    for (Future<?> f : sent) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int signedIn = statuses.getOrDefault(200, new AtomicInteger()).get();
    int limited = statuses.getOrDefault(429, new AtomicInteger()).get();
    assertEquals(10_050, signedIn + limited, "only sign-ins and refusals, never an error: " + statuses);
    assertTrue(signedIn <= 30, "the token's burst of 10 and what refills while it runs, not 10,050: " + statuses);
    assertTrue(retryAfter.stream().allMatch(v -> v.matches("[1-9][0-9]*")), "429s say when to come back: " + retryAfter);

    assertEquals(200, victim.get("/api/v1/session").status(), "the other user's session is alive");
    assertEquals("alice", victim.get("/api/v1/session").json().path("name").asText());
    // Another client still signs in, with the victim's token; the flooding token stays limited from anywhere (one
    // attempt in 6 s refills: of ten at once, at most one or two pass however long the flood took).
    assertEquals(200, signInFrom("127.0.0.2", TestInstallation.ALICE), "another client is not slowed down");
    int passed = 0;
    for (int i = 0; i < 10; i++) {
      passed += signInFrom("127.0.0.3", TestInstallation.VIEWER) == 200 ? 1 : 0;
    }
    assertTrue(passed <= 2, "the flooding token from a fresh client: " + passed + " of 10 signed in");
  }
}
