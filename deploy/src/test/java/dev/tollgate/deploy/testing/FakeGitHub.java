package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small real GitHub REST API for tests (STYLE §8: external SaaS is faked as a real HTTP server): it checks the App
 * JWT's RS256 signature with the App's public key and its claims on the App endpoints, and an installation token it
 * issued (unexpired, for the repository's installation) on every other call, and records every call.
 *
 * <p>Tokens deliberately vary in length and shape (classic {@code ghs_} + 36 characters, and the longer stateless
 * {@code ghs_<app id>_<...>} form), so nothing may assume a length.
 */
public final class FakeGitHub implements AutoCloseable {
  private static final Pattern ACCESS_TOKENS = Pattern.compile("/app/installations/(\\d+)/access_tokens");
  private static final Pattern INSTALLATION = Pattern.compile("/repos/([^/]+/[^/]+)/installation");
  private static final Pattern REVIEW = Pattern.compile("/repos/([^/]+/[^/]+)/actions/runs/(\\d+)/deployment_protection_rule");
  private static final Pattern STATUS = Pattern.compile("/repos/([^/]+/[^/]+)/statuses/([0-9a-f]{40})");
  private static final Pattern CHECK_RUNS = Pattern.compile("/repos/([^/]+/[^/]+)/check-runs");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One recorded call: {@code auth} is {@code jwt}, {@code token}, {@code none} or {@code bad}. */
  public record Call(String method, String path, String auth, JsonNode body, int status, Instant at) {
    /** The review's {@code state}, or null for a progress note. */
    public String state() {
      return body == null || !body.hasNonNull("state") ? null : body.path("state").asText();
    }

    public String comment() {
      return body == null ? null : body.path("comment").asText(null);
    }
  }

  private record Issued(long installationId, Instant expiresAt) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final PublicKey appKey;
  private final long appId;
  private final Map<String, Long> repositories = new ConcurrentHashMap<>();
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNextReviews = new AtomicInteger();
  private volatile Duration tokenLifetime = Duration.ofHours(1);
  private final Set<String> refuseChecks = ConcurrentHashMap.newKeySet();

  public FakeGitHub(long appId, PublicKey appKey) throws IOException {
    this.appId = appId;
    this.appKey = appKey;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** The API base URL ({@code github.apiUrl}). */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The App is installed on {@code owner/name} as installation {@code installationId}. */
  public FakeGitHub install(String ownerRepo, long installationId) {
    repositories.put(ownerRepo, installationId);
    return this;
  }

  /** How long new tokens live (GitHub: one hour). */
  public void tokenLifetime(Duration d) {
    tokenLifetime = d;
  }

  /** The next {@code n} review calls answer 502 (GitHub having a bad moment). */
  public void failNextReviews(int n) {
    failNextReviews.set(n);
  }

  /** True when {@code token} was issued for {@code installationId} and has not expired. */
  public boolean validToken(String token, long installationId) {
    Issued i = token == null ? null : tokens.get(token);
    return i != null && i.installationId() == installationId && Instant.now().isBefore(i.expiresAt());
  }

  /** The installation the App has on {@code owner/name}, or null. */
  public Long installationOf(String ownerRepo) {
    return repositories.get(ownerRepo);
  }

  /** Every token issued so far. */
  public List<String> issuedTokens() {
    return List.copyOf(tokens.keySet());
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The review calls (notes and verdicts) of one workflow run, in order. */
  public List<Call> reviews(long runId) {
    return calls.stream().filter(c -> c.path().endsWith("/actions/runs/" + runId + "/deployment_protection_rule")).toList();
  }

  /** Commit status calls for one commit, in order. */
  public List<Call> statuses(String sha) {
    return calls.stream().filter(c -> c.path().endsWith("/statuses/" + sha)).toList();
  }

  /** Waits until a recorded call matches. */
  public Call await(Predicate<Call> match, Duration timeout) throws InterruptedException {
    long deadline = Waits.deadline(timeout);
    while (System.nanoTime() < deadline) {
      for (Call c : calls) {
        if (match.test(c)) {
          return c;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no matching call to the fake GitHub within " + timeout + "; calls: " + describe());
  }

  /** Calls as text, for assertion messages (no tokens are recorded). */
  public String describe() {
    List<String> lines = new ArrayList<>();
    for (Call c : calls) {
      lines.add(c.method() + " " + c.path() + " [" + c.auth() + "] " + c.status() + (c.body() == null ? "" : " " + c.body()));
    }
    return String.join("\n", lines);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      JsonNode body = raw.length == 0 ? null : Json.mapper().readTree(raw);
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      Matcher m;
      if (method.equals("POST") && (m = ACCESS_TOKENS.matcher(path)).matches()) {
        if (!validJwt(authorization)) {
          answer(ex, method, path, "bad", body, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
          return;
        }
        long installation = Long.parseLong(m.group(1));
        if (!repositories.containsValue(installation)) {
          answer(ex, method, path, "jwt", body, 404, "{\"message\":\"Not Found\"}");
          return;
        }
        String token = newToken();
        Instant expires = Instant.now().plus(tokenLifetime);
        tokens.put(token, new Issued(installation, expires));
        ObjectNode answer = Json.mapper().createObjectNode().put("token", token).put("expires_at", expires.toString())
            .put("repository_selection", "all");
        answer.putObject("permissions").put("deployments", "write").put("contents", "read");
        answer(ex, method, path, "jwt", body, 201, answer.toString());
      } else if (method.equals("GET") && (m = INSTALLATION.matcher(path)).matches()) {
        if (!validJwt(authorization)) {
          answer(ex, method, path, "bad", body, 401, "{\"message\":\"A JSON web token could not be decoded\"}");
          return;
        }
        Long installation = repositories.get(m.group(1));
        if (installation == null) {
          answer(ex, method, path, "jwt", body, 404, "{\"message\":\"Not Found\"}");
        } else {
          answer(ex, method, path, "jwt", body, 200, "{\"id\":" + installation + ",\"app_id\":" + appId + "}");
        }
      } else if (method.equals("POST") && (m = REVIEW.matcher(path)).matches()) {
        if (!tokenFor(authorization, m.group(1))) {
          answer(ex, method, path, "bad", body, 401, "{\"message\":\"Bad credentials\"}");
        } else if (failNextReviews.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          answer(ex, method, path, "token", body, 502, "{\"message\":\"Server Error\"}");
        } else if (body == null || !body.path("environment_name").isTextual()
            || body.path("comment").asText("").length() > 1024) {
          answer(ex, method, path, "token", body, 422, "{\"message\":\"Validation Failed\"}");
        } else {
          answer(ex, method, path, "token", body, 204, null);
        }
      } else if (method.equals("POST") && (m = CHECK_RUNS.matcher(path)).matches()) {
        if (!tokenFor(authorization, m.group(1))) {
          answer(ex, method, path, "bad", body, 401, "{\"message\":\"Bad credentials\"}");
        } else if (refuseChecks.contains(m.group(1))) {
          // An App installed without the Checks permission.
          answer(ex, method, path, "token", body, 403, "{\"message\":\"Resource not accessible by integration\"}");
        } else if (!validCheckRun(body)) {
          answer(ex, method, path, "token", body, 422, "{\"message\":\"Validation Failed\"}");
        } else {
          answer(ex, method, path, "token", body, 201, "{\"id\":" + RANDOM.nextInt(1_000_000) + "}");
        }
      } else if (method.equals("POST") && (m = STATUS.matcher(path)).matches()) {
        if (!tokenFor(authorization, m.group(1))) {
          answer(ex, method, path, "bad", body, 401, "{\"message\":\"Bad credentials\"}");
        } else if (body == null || body.path("description").asText("").length() > 140 || !body.path("context").isTextual()) {
          answer(ex, method, path, "token", body, 422, "{\"message\":\"Validation Failed\"}");
        } else {
          answer(ex, method, path, "token", body, 201, "{\"state\":\"" + body.path("state").asText() + "\"}");
        }
      } else {
        answer(ex, method, path, "none", body, 404, "{\"message\":\"Not Found\"}");
      }
    } catch (RuntimeException e) {
      calls.add(new Call(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), "error", null, 500, Instant.now()));
      ex.sendResponseHeaders(500, -1);
    }
  }

  /** GitHub's documented limits: a name, the commit, a conclusion, title and summary, at most 50 placed annotations. */
  private static boolean validCheckRun(JsonNode body) {
    if (body == null || !body.path("name").isTextual() || !body.path("head_sha").asText("").matches("[0-9a-f]{40}")
        || !Set.of("success", "failure", "neutral").contains(body.path("conclusion").asText())
        || !body.path("status").asText().equals("completed")) {
      return false;
    }
    JsonNode output = body.path("output");
    if (!output.path("title").isTextual() || output.path("summary").asText("").isEmpty()
        || output.path("summary").asText().length() > 65_535 || output.path("annotations").size() > 50) {
      return false;
    }
    for (JsonNode a : output.path("annotations")) {
      if (!a.path("path").isTextual() || a.path("start_line").asInt(0) < 1
          || !Set.of("notice", "warning", "failure").contains(a.path("annotation_level").asText())
          || a.path("message").asText("").isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Answers check runs on {@code ownerRepo} 403, as for an App installed without the Checks permission. */
  public void refuseChecks(String ownerRepo) {
    refuseChecks.add(ownerRepo);
  }

  /** The check run calls for one commit, in order. */
  public List<Call> checkRuns(String sha) {
    return calls.stream().filter(c -> c.path().endsWith("/check-runs") && c.body() != null
        && sha.equals(c.body().path("head_sha").asText())).toList();
  }

  private boolean tokenFor(String authorization, String ownerRepo) {
    Long installation = repositories.get(ownerRepo);
    return installation != null && authorization != null && authorization.startsWith("Bearer ")
        && validToken(authorization.substring(7), installation);
  }

  /** RS256 with the App's public key, iss = App id, issued in the past, expiring within 10 minutes. */
  private boolean validJwt(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) {
      return false;
    }
    try {
      JsonNode header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
      JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initVerify(appKey);
      rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      long now = Instant.now().getEpochSecond();
      return rs256.verify(Base64.getUrlDecoder().decode(parts[2]))
          && header.path("alg").asText().equals("RS256")
          && claims.path("iss").asLong() == appId
          && claims.path("iat").asLong() <= now
          && claims.path("exp").asLong() > now
          && claims.path("exp").asLong() <= now + 600;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Alternates GitHub's classic token shape with the longer stateless one. */
  private String newToken() {
    boolean longForm = RANDOM.nextBoolean();
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    int n = longForm ? 150 + RANDOM.nextInt(100) : 36;
    StringBuilder b = new StringBuilder(longForm ? "ghs_" + appId + "_" : "ghs_");
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(RANDOM.nextInt(chars.length())));
    }
    return b.toString();
  }

  private void answer(HttpExchange ex, String method, String path, String auth, JsonNode body, int status, String json)
      throws IOException {
    calls.add(new Call(method, path, auth, body, status, Instant.now()));
    if (json == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
