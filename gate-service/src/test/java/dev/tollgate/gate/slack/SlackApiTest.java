package dev.tollgate.gate.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.contracts.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One attempt per call, classified as Slack answers it (HTTP 200 ok:false, 429 Retry-After), against real HTTP. */
class SlackApiTest {
  /** One scripted answer: status, body, Retry-After (or null). */
  record Answer(int status, String body, String retryAfter) {}

  HttpServer server;
  final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<Duration> slept = new ArrayList<>();
  SlackApi api;
  SlackSettings settings;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
        Answer a = script.poll();
        if (a == null) {
          a = new Answer(200, "{\"ok\":true,\"channel\":\"C0123ABCD\",\"ts\":\"1764151200.000100\"}", null);
        }
        if (a.retryAfter() != null) {
          ex.getResponseHeaders().set("Retry-After", a.retryAfter());
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          ex.getResponseBody().write(bytes);
        }
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    settings = new SlackSettings("xoxb-test-token", SlackSignature.of("s", Clock.systemUTC()), base + "/api", null,
        Map.of("production", "C0123ABCD"), Map.of(), null);
    api = new SlackApi(settings, HttpClient.newHttpClient(), slept::add, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aPostedMessageReturnsItsTsAndCarriesTheBotToken() {
    SlackApi.Result r = api.postMessage("C0123ABCD", Json.mapper().createObjectNode().put("text", "hi"), "req-1");
    assertTrue(r.ok());
    assertEquals("1764151200.000100", r.ts());
    assertTrue(requests.get(0).startsWith("/api/chat.postMessage Bearer xoxb-test-token "), requests.get(0));
    assertTrue(requests.get(0).contains("\"channel\":\"C0123ABCD\""), requests.get(0));
  }

  @Test
  void okFalseIsAnErrorAndOnlySlacksOwnTroubleIsWorthRetrying() {
    script.add(new Answer(200, "{\"ok\":false,\"error\":\"channel_not_found\"}", null));
    script.add(new Answer(200, "{\"ok\":false,\"error\":\"internal_error\"}", null));
    script.add(new Answer(503, "upstream down", null));
    script.add(new Answer(200, "<html>not json</html>", null));
    SlackApi.Result refused = api.update("C0123ABCD", "1.2", Json.mapper().createObjectNode(), "r");
    assertEquals(SlackApi.Outcome.REFUSED, refused.outcome());
    assertEquals("channel_not_found", refused.error());
    assertEquals(SlackApi.Outcome.TRANSIENT, api.update("C0123ABCD", "1.2", Json.mapper().createObjectNode(), "r").outcome());
    assertEquals(SlackApi.Outcome.TRANSIENT, api.update("C0123ABCD", "1.2", Json.mapper().createObjectNode(), "r").outcome());
    assertEquals(SlackApi.Outcome.TRANSIENT, api.update("C0123ABCD", "1.2", Json.mapper().createObjectNode(), "r").outcome());
  }

  @Test
  void aRateLimitCarriesRetryAfterAndWithRetriesWaitsItOut() {
    script.add(new Answer(429, "", "3"));
    SlackApi.Result limited = api.postMessage("C0123ABCD", Json.mapper().createObjectNode(), "r");
    assertEquals(SlackApi.Outcome.RATE_LIMITED, limited.outcome());
    assertEquals(Duration.ofSeconds(3), limited.retryAfter());

    script.add(new Answer(429, "", "2"));
    script.add(new Answer(500, "", null));
    SlackApi.Result r = api.withRetries(() -> api.postMessage("C0123ABCD", Json.mapper().createObjectNode(), "r"), 4,
        Duration.ofSeconds(5));
    assertTrue(r.ok(), r.toString());
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofMillis(500)), slept, "Retry-After, then the doubled backoff");

    script.add(new Answer(429, "", "60"));
    assertEquals(SlackApi.Outcome.RATE_LIMITED, api.withRetries(() -> api.postMessage("C0123ABCD",
        Json.mapper().createObjectNode(), "r"), 4, Duration.ofSeconds(5)).outcome(), "longer than the caller may wait");
  }

  @Test
  void repliesGoOnlyToSlackUrlsAndWithoutTheToken() {
    String base = settings.apiUrl().replace("/api", "");
    SlackApi.Result ok = api.respond(base + "/response/abc", Json.mapper().createObjectNode().put("text", "not allowed"), "r");
    assertTrue(ok.ok());
    assertTrue(requests.get(0).startsWith("/response/abc null "), "no token on a response_url: " + requests.get(0));
    SlackApi.Result refused = api.respond("https://evil.example/hooks", Json.mapper().createObjectNode(), "r");
    assertEquals(SlackApi.Outcome.REFUSED, refused.outcome());
    assertEquals(1, requests.size(), "nothing sent to an untrusted URL");
    assertTrue(settings.isResponseUrl("https://hooks.slack.com/actions/T1/2/abc"));
    assertNull(api.respond("https://hooks.slack.com.evil.example/x", Json.mapper().createObjectNode(), "r").ts());
    assertEquals(1, requests.size());
  }

  @Test
  void settingsNeverShowTheToken() {
    assertTrue(!settings.toString().contains("xoxb-test-token"), settings.toString());
  }
}
