package dev.tollgate.gate.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub REST calls the gate makes, authenticated with an installation token, with bounded retries: the
 * deployment protection rule review (approve, reject, progress note) and commit statuses. Blocking: call from
 * the reporter's thread or a worker thread. Never logs a token or a request body.
 */
public final class GitHubApi {
  private static final Logger log = LoggerFactory.getLogger(GitHubApi.class);
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern FULL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
  static final int MAX_ATTEMPTS = 4;

  /** How a call ended. */
  public enum Result {
    /** GitHub accepted it. */
    OK,
    /** GitHub refused it for good (a 4xx other than 401/403/429): retrying cannot help. */
    REFUSED,
    /** 403 without a rate limit: the App lacks the permission for it (e.g. Checks); final until someone grants it. */
    FORBIDDEN,
    /** No answer or a server error after every attempt. */
    FAILED
  }

  /** Waits between attempts; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final GitHubSettings settings;
  private final InstallationTokens tokens;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final MeterRegistry meters;

  public GitHubApi(GitHubSettings settings, InstallationTokens tokens, MeterRegistry meters) {
    this(settings, tokens, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build(), d -> Thread.sleep(d.toMillis()), meters);
  }

  GitHubApi(GitHubSettings settings, InstallationTokens tokens, HttpClient http, Sleeper sleeper, MeterRegistry meters) {
    this.settings = settings;
    this.tokens = tokens;
    this.http = http;
    this.sleeper = sleeper;
    this.meters = meters;
  }

  /**
   * Reviews a deployment held by Tollgate's protection rule ({@code POST deployment_callback_url}, protocols
   * §1.5): {@code state} {@code approved} or {@code rejected}, or null for a progress note.
   *
   * @param comment Markdown, at most 1024 characters
   */
  public Result reviewDeployment(GitHubOrigin origin, String state, String comment, String requestId) {
    if (!origin.hasCallback() || !settings.isApiUrl(origin.callbackUrl())) {
      // The callback gets an installation token: never send one anywhere but the configured API.
      log.atWarn().addKeyValue("event", "github.callback.refused").addKeyValue("requestId", requestId)
          .addKeyValue("installationId", origin.installationId())
          .log("deployment callback URL is not under github.apiUrl; not calling it");
      return Result.REFUSED;
    }
    if (comment != null && comment.length() > VerdictComment.MAX_COMMENT) {
      throw new IllegalArgumentException("comment: expected at most " + VerdictComment.MAX_COMMENT + " characters, got "
          + comment.length());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("environment_name", origin.environmentName());
    if (state != null) {
      body.put("state", state);
    }
    if (comment != null) {
      body.put("comment", comment);
    }
    return call(state == null ? "note" : "review", origin.installationId(), origin.callbackUrl(), body, requestId);
  }

  /**
   * Sets commit status {@code context} on {@code sha} ({@code POST /repos/{o}/{r}/statuses/{sha}}, protocols §1.7).
   *
   * @param state {@code pending}, {@code success}, {@code failure} or {@code error}
   * @param description at most 140 characters (GitHub's limit)
   * @param targetUrl link shown with the status, or null
   */
  public Result commitStatus(long installationId, String ownerRepo, String sha, String state, String description,
      String targetUrl, String context, String requestId) {
    if (!FULL_NAME.matcher(ownerRepo).matches() || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("commit status: expected owner/name and a full commit id");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", state);
    if (targetUrl != null) {
      body.put("target_url", targetUrl);
    }
    body.put("description", description.length() <= 140 ? description : description.substring(0, 139) + "…");
    body.put("context", context);
    return call("status", installationId, settings.apiUrl() + "/repos/" + ownerRepo + "/statuses/" + sha, body, requestId);
  }

  /**
   * A finished check run: the verdict as its conclusion, the findings as annotations at their file and line.
   *
   * @param conclusion {@code success}, {@code failure} or {@code neutral}
   * @param annotations at most 50 (GitHub's limit per request)
   */
  public record CheckRun(String name, String conclusion, String title, String summary, String detailsUrl, String externalId,
      List<Annotation> annotations) {}

  /** One annotation; {@code level} is {@code failure}, {@code warning} or {@code notice}. */
  public record Annotation(String path, int line, String level, String title, String message) {}

  /** Creates a completed check run on {@code sha} (the App needs the {@code checks: write} permission). */
  public Result checkRun(long installationId, String ownerRepo, String sha, CheckRun run, String requestId) {
    if (!FULL_NAME.matcher(ownerRepo).matches() || !SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("check run: expected owner/name and a full commit id");
    }
    List<Map<String, Object>> annotations = new ArrayList<>();
    for (Annotation a : run.annotations().subList(0, Math.min(50, run.annotations().size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", a.path());
      m.put("start_line", a.line());
      m.put("end_line", a.line());
      m.put("annotation_level", a.level());
      m.put("title", a.title());
      m.put("message", a.message());
      annotations.add(m);
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("title", run.title());
    output.put("summary", run.summary());
    output.put("annotations", annotations);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", run.name());
    body.put("head_sha", sha);
    body.put("status", "completed");
    body.put("conclusion", run.conclusion());
    if (run.detailsUrl() != null) {
      body.put("details_url", run.detailsUrl());
    }
    body.put("external_id", run.externalId());
    body.put("output", output);
    return call("check-run", installationId, settings.apiUrl() + "/repos/" + ownerRepo + "/check-runs", body, requestId);
  }

  private Result call(String kind, long installationId, String url, Map<String, Object> body, String requestId) {
    String json = Json.writeString(body);
    boolean refreshedToken = false;
    Duration backoff = Duration.ofMillis(250);
    String lastProblem = "not attempted";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1 && !pause(backoff)) {
        break;
      }
      if (attempt > 1) {
        backoff = backoff.multipliedBy(2);
      }
      String token;
      try {
        token = tokens.token(installationId);
      } catch (RuntimeException e) {
        lastProblem = "no installation token: " + e.getMessage();
        continue;
      }
      HttpResponse<String> response;
      try {
        response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "tollgate")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName();
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastProblem = "interrupted";
        break;
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        count(kind, "ok");
        log.atDebug().addKeyValue("event", "github.call").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
            .addKeyValue("status", status).log("GitHub accepted the {}", kind);
        return Result.OK;
      }
      lastProblem = "HTTP " + status + githubMessage(response.body());
      if (status == 401 && !refreshedToken) {
        tokens.invalidate(installationId); // revoked or expired early: get a new one once
        refreshedToken = true;
        backoff = Duration.ZERO;
        continue;
      }
      // GitHub's secondary rate limits answer 403 with Retry-After (or no requests left): wait, as for a 429.
      boolean rateLimited = status == 429 || status == 403 && (response.headers().firstValue("Retry-After").isPresent()
          || response.headers().firstValue("x-ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent());
      if (rateLimited || status >= 500) {
        backoff = retryAfter(response).orElse(backoff);
        continue;
      }
      count(kind, status == 403 ? "forbidden" : "refused");
      log.atWarn().addKeyValue("event", "github.call.refused").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
          .addKeyValue("installationId", installationId).addKeyValue("status", status)
          .log("GitHub refused the {}: {}", kind, lastProblem);
      return status == 403 ? Result.FORBIDDEN : Result.REFUSED;
    }
    count(kind, "failed");
    log.atWarn().addKeyValue("event", "github.call.failed").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
        .addKeyValue("installationId", installationId).log("GitHub {} failed after {} attempts: {}", kind, MAX_ATTEMPTS, lastProblem);
    return Result.FAILED;
  }

  private boolean pause(Duration d) {
    try {
      sleeper.sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** GitHub's {@code Retry-After} (seconds), bounded so one record never stalls the reporter for long. */
  private static java.util.Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return java.util.Optional.of(Duration.ofSeconds(Math.min(10, Math.max(0, Long.parseLong(v.strip())))));
      } catch (NumberFormatException e) {
        return java.util.Optional.empty();
      }
    });
  }

  /** GitHub's one-line {@code message}, bounded; it describes our request, never our credentials. */
  private static String githubMessage(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      String m = node == null ? "" : node.path("message").asText("");
      m = m.replaceAll("[\\r\\n\\t]", " ");
      return m.isEmpty() ? "" : " (" + (m.length() > 200 ? m.substring(0, 200) + "…" : m) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private void count(String kind, String outcome) {
    Counter.builder("tollgate.github.calls").description("Calls to the GitHub API by kind and outcome")
        .tag("kind", kind).tag("outcome", outcome).register(meters).increment();
  }
}
