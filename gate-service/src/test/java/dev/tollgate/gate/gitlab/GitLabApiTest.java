package dev.tollgate.gate.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounded retries, the tenant's token in PRIVATE-TOKEN, paginated freeze periods, against a real little HTTP server. */
class GitLabApiTest {
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  HttpServer server;
  /** Scripted answers: status, body, next page (null: last). */
  record Answer(int status, String body, String nextPage) {}

  final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  final List<String> tokens = new CopyOnWriteArrayList<>();
  final List<String> uris = new CopyOnWriteArrayList<>();
  final List<Duration> slept = new ArrayList<>();
  GitLabApi api;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        tokens.add(ex.getRequestHeaders().getFirst("PRIVATE-TOKEN"));
        uris.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
            + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        Answer a = script.poll();
        if (a == null) {
          a = new Answer(201, "{}", null);
        }
        if (a.nextPage() != null) {
          ex.getResponseHeaders().set("X-Next-Page", a.nextPage());
        }
        byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), b.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    GitLabSettings settings = new GitLabSettings(base, null, false, Map.of(
        "acme", new GitLabSettings.Tenant("acme", List.of("acme"), new GitLabToken("glpat-acme")),
        "globex", new GitLabSettings.Tenant("globex", List.of("globex"), new GitLabToken("glpat-globex"))),
        new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, "t", null))));
    api = new GitLabApi(settings, HttpClient.newHttpClient(), slept::add, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoffAndEachTenantUsesItsOwnToken() {
    script.addAll(List.of(new Answer(502, "{}", null), new Answer(503, "{}", null)));
    assertEquals(GitLabApi.Result.OK, api.approval("acme", 30, 15, "approved", "ok", "req"));
    assertEquals(List.of("glpat-acme", "glpat-acme", "glpat-acme"), tokens);
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), slept);
    assertEquals("POST /api/v4/projects/30/deployments/15/approval", uris.get(0));
    tokens.clear();
    assertEquals(GitLabApi.Result.OK, api.commitStatus("globex", "globex/site", SHA, "success", "tollgate/production", "GO", null,
        null, "req"));
    assertEquals(List.of("glpat-globex"), tokens);
    assertEquals("POST /api/v4/projects/globex%2Fsite/statuses/" + SHA, uris.get(uris.size() - 1), "a path is URL-encoded");
  }

  @Test
  void aPersistentFailureGivesUpAfterFourAttemptsAndClientErrorsAreFinal() {
    for (int i = 0; i < 5; i++) {
      script.add(new Answer(500, "{}", null));
    }
    assertEquals(GitLabApi.Result.FAILED, api.playJob("acme", 30, 796, "req"));
    assertEquals(GitLabApi.MAX_ATTEMPTS, tokens.size());
    script.clear();
    tokens.clear();
    script.add(new Answer(400, "{\"message\":\"You cannot approve your own deployment.\"}", null));
    assertEquals(GitLabApi.Result.REFUSED, api.approval("acme", 30, 15, "approved", "ok", "req"));
    assertEquals(1, tokens.size(), "a refusal is final");
    assertThrows(IllegalArgumentException.class, () -> api.approval("acme", 30, 15, "approved", "x".repeat(256), "req"));
  }

  @Test
  void aDeploymentIsReadBackAndAnUnknownOneIsEmpty() {
    script.add(new Answer(200, "{\"id\":15,\"status\":\"blocked\",\"sha\":\"" + SHA + "\",\"ref\":\"main\","
        + "\"environment\":{\"name\":\"production\"},\"deployable\":{\"id\":796,\"status\":\"manual\"}}", null));
    var d = api.deployment("acme", 30, 15, "req").orElseThrow();
    assertEquals(new GitLabApi.Deployment(15, "blocked", SHA, "main", "production", 796, "manual"), d);
    script.add(new Answer(404, "{\"message\":\"404 Not found\"}", null));
    assertTrue(api.deployment("acme", 30, 16, "req").isEmpty());
  }

  @Test
  void freezePeriodsAreReadPageByPageAndARefusalSaysWhy() {
    script.add(new Answer(200, "[{\"id\":1,\"freeze_start\":\"0 23 * * 5\",\"freeze_end\":\"0 7 * * 1\",\"cron_timezone\":\"UTC\"}]", "2"));
    script.add(new Answer(200, "[{\"id\":2,\"freeze_start\":\"0 0 24 12 *\",\"freeze_end\":\"0 0 27 12 *\"}]", null));
    var periods = api.freezePeriods("acme", "acme/shop", "req");
    assertEquals(2, periods.size());
    assertEquals("GET /api/v4/projects/acme%2Fshop/freeze_periods?per_page=100&page=2", uris.get(1));
    script.add(new Answer(403, "{\"message\":\"403 Forbidden\"}", null));
    GitLabApi.UnavailableException e = assertThrows(GitLabApi.UnavailableException.class,
        () -> api.freezePeriods("acme", "acme/shop", "req"));
    assertTrue(e.getMessage().contains("Maintainer"), e.getMessage());
    assertTrue(!e.getMessage().contains("glpat"), e.getMessage());
  }
}
