package dev.tollgate.gate.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounded retries against a real little HTTP server that answers what each test scripts; tokens only go to the API. */
class GitHubApiTest {
  HttpServer server;
  final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<Duration> slept = new ArrayList<>();
  final AtomicInteger issued = new AtomicInteger();
  final AtomicInteger invalidated = new AtomicInteger();
  GitHubSettings settings;
  GitHubApi api;

  final InstallationTokens tokens = new InstallationTokens() {
    @Override
    public String token(long installationId) {
      return "ghs_test_" + issued.get();
    }

    @Override
    public void invalidate(long installationId) {
      invalidated.incrementAndGet();
      issued.incrementAndGet();
    }

    @Override
    public Optional<Long> installationFor(String tenant, String repositoryUrl) {
      return Optional.empty();
    }
  };

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        ex.getRequestBody().readAllBytes();
        authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
        Integer status = script.poll();
        if (status != null && status == -403) { // a secondary rate limit: 403 with Retry-After
          ex.getResponseHeaders().add("Retry-After", "1");
          status = 403;
        }
        ex.sendResponseHeaders(status == null ? 204 : status, -1);
      }
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    settings = new GitHubSettings(1, WebhookSignature.of("s"), base, "https://github.com", null, Map.of(5L, "acme"));
    api = new GitHubApi(settings, tokens, HttpClient.newHttpClient(), slept::add, new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  GitHubOrigin origin(String callback) {
    return new GitHubOrigin(5, "acme/shop", 7, callback, "production", "push");
  }

  String callback() {
    return settings.apiUrl() + "/repos/acme/shop/actions/runs/9/deployment_protection_rule";
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoffThenSucceed() {
    script.addAll(List.of(502, 503));
    assertEquals(GitHubApi.Result.OK, api.reviewDeployment(origin(callback()), "approved", "ok", "req"));
    assertEquals(3, authorizations.size());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), slept);
    assertEquals("Bearer ghs_test_0", authorizations.get(0));
  }

  @Test
  void aPersistentFailureGivesUpAfterFourAttempts() {
    script.addAll(List.of(500, 500, 500, 500, 500));
    assertEquals(GitHubApi.Result.FAILED, api.commitStatus(5, "acme/shop", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", "success", "GO",
        null, "tollgate/production", "req"));
    assertEquals(GitHubApi.MAX_ATTEMPTS, authorizations.size());
  }

  @Test
  void a401RenewsTheTokenOnceAndOtherClientErrorsAreNotRetried() {
    script.add(401);
    assertEquals(GitHubApi.Result.OK, api.reviewDeployment(origin(callback()), null, "note", "req"));
    assertEquals(1, invalidated.get());
    assertEquals(List.of("Bearer ghs_test_0", "Bearer ghs_test_1"), authorizations);
    authorizations.clear();
    script.add(422);
    assertEquals(GitHubApi.Result.REFUSED, api.reviewDeployment(origin(callback()), "rejected", "no", "req"));
    assertEquals(1, authorizations.size(), "a validation error is final");
  }

  @Test
  void aTokenIsNeverSentOutsideTheConfiguredApi() {
    for (String url : List.of("https://attacker.example/repos/acme/shop/actions/runs/9/deployment_protection_rule",
        settings.apiUrl() + ".attacker.example/repos/x", settings.apiUrl().replace("http://", "http://user@") + "/repos/x",
        settings.apiUrl() + "/repos/../../x")) {
      assertEquals(GitHubApi.Result.REFUSED, api.reviewDeployment(origin(url), "approved", "ok", "req"), url);
      assertFalse(settings.isApiUrl(url), url);
    }
    assertTrue(authorizations.isEmpty(), "no request was made");
    assertTrue(settings.isApiUrl(callback()));
  }

  @Test
  void a403IsAMissingPermissionUnlessItIsARateLimit() {
    String sha = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
    GitHubApi.CheckRun run = new GitHubApi.CheckRun("tollgate/production", "success", "GO", "ok", null, "ev", List.of());
    script.add(403);
    assertEquals(GitHubApi.Result.FORBIDDEN, api.checkRun(5, "acme/shop", sha, run, "req"));
    assertEquals(1, authorizations.size(), "final");
    authorizations.clear();
    script.add(-403);
    assertEquals(GitHubApi.Result.OK, api.checkRun(5, "acme/shop", sha, run, "req"));
    assertEquals(2, authorizations.size(), "a secondary rate limit is waited out and retried");
    assertEquals(List.of(Duration.ofSeconds(1)), slept);
  }
}
