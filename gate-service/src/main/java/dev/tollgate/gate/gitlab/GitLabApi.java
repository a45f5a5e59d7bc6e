package dev.tollgate.gate.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitLab REST calls Tollgate makes (protocols §2.4, §2.5, §2.7), as a tenant's bot user ({@code PRIVATE-TOKEN}),
 * with bounded retries: read a deployment, approve or reject it, set a commit status, play a manual job, list freeze
 * periods. Blocking: call from the reporter's thread or a worker thread. Every URL is built from
 * {@link GitLabSettings#apiUrl()} and ids or URL-encoded paths, so a token is only ever sent to the configured
 * instance. Never logs a token or a request body.
 */
public final class GitLabApi {
  private static final Logger log = LoggerFactory.getLogger(GitLabApi.class);
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  static final int MAX_ATTEMPTS = 4;
  /** Freeze periods are few; pages beyond this are not read (and the import fails closed). */
  static final int MAX_PAGES = 10;

  /** How a write ended. */
  public enum Result {
    /** GitLab accepted it. */
    OK,
    /** GitLab refused it for good (a 4xx other than 429): retrying cannot help. */
    REFUSED,
    /** No answer or a server error after every attempt. */
    FAILED
  }

  /** GitLab could not be asked (unreachable, 5xx after retries, a refusal other than 404); never holds a token. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A deployment as GitLab's API shows it.
   *
   * @param status {@code created}, {@code running}, {@code success}, {@code failed}, {@code canceled}, {@code blocked}
   * @param jobId the deploy job ({@code deployable.id}), 0 when none
   * @param jobStatus the job's status ({@code manual} while it waits to be played), or null
   */
  public record Deployment(long id, String status, String sha, String ref, String environment, long jobId, String jobStatus) {}

  /** Waits between attempts; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private record Response(int status, String body, HttpResponse<String> raw) {}

  private final GitLabSettings settings;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final MeterRegistry meters;

  public GitLabApi(GitLabSettings settings, MeterRegistry meters) {
    this(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
        .build(), d -> Thread.sleep(d.toMillis()), meters);
  }

  GitLabApi(GitLabSettings settings, HttpClient http, Sleeper sleeper, MeterRegistry meters) {
    this.settings = settings;
    this.http = http;
    this.sleeper = sleeper;
    this.meters = meters;
  }

  /**
   * {@code GET /projects/:id/deployments/:deployment_id}: the deployment, or empty when GitLab does not know it (or the
   * bot may not see it).
   *
   * @throws UnavailableException when GitLab could not be asked
   */
  public Optional<Deployment> deployment(String tenant, long projectId, long deploymentId, String requestId) {
    Response r = call("deployment", tenant, "GET", "/projects/" + projectId + "/deployments/" + deploymentId, null, requestId);
    if (r.status() == 404) {
      return Optional.empty();
    }
    requireOk(r, "deployment " + deploymentId);
    return Optional.of(deployment(parse(r.body())));
  }

  /**
   * Approves or rejects a blocked deployment as the bot ({@code POST /projects/:id/deployments/:id/approval}).
   *
   * @param status {@code approved} or {@code rejected}
   * @param comment at most {@link GitLabText#MAX_COMMENT} characters
   */
  public Result approval(String tenant, long projectId, long deploymentId, String status, String comment, String requestId) {
    if (comment != null && comment.length() > GitLabText.MAX_COMMENT) {
      throw new IllegalArgumentException("comment: expected at most " + GitLabText.MAX_COMMENT + " characters, got " + comment.length());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    if (comment != null) {
      body.put("comment", comment);
    }
    return write("approval", tenant, "/projects/" + projectId + "/deployments/" + deploymentId + "/approval", body, requestId);
  }

  /**
   * Sets commit status {@code name} on {@code sha} ({@code POST /projects/:id/statuses/:sha}).
   *
   * @param project the numeric id or the project path
   * @param state {@code pending}, {@code running}, {@code success}, {@code failed} or {@code canceled}
   * @param ref the branch or tag the status belongs to, or null (GitLab then picks a branch that has the commit)
   * @param targetUrl link shown with the status, or null
   */
  public Result commitStatus(String tenant, String project, String sha, String state, String name, String description,
      String ref, String targetUrl, String requestId) {
    if (!SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException("commit status: expected a full commit id");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", state);
    body.put("name", name);
    if (ref != null) {
      body.put("ref", ref);
    }
    if (targetUrl != null) {
      body.put("target_url", targetUrl);
    }
    body.put("description", GitLabText.bounded(description, GitLabText.MAX_DESCRIPTION));
    return write("status", tenant, "/projects/" + projectRef(project) + "/statuses/" + sha, body, requestId);
  }

  /**
   * The status of a job ({@code GET /projects/:id/jobs/:job_id}), or empty when GitLab does not know it.
   *
   * @throws UnavailableException when GitLab could not be asked
   */
  public Optional<String> jobStatus(String tenant, long projectId, long jobId, String requestId) {
    Response r = call("job", tenant, "GET", "/projects/" + projectId + "/jobs/" + jobId, null, requestId);
    if (r.status() == 404) {
      return Optional.empty();
    }
    requireOk(r, "job " + jobId);
    return Optional.ofNullable(parse(r.body()).path("status").asText(null));
  }

  /** Starts a manual job ({@code POST /projects/:id/jobs/:job_id/play}). */
  public Result playJob(String tenant, long projectId, long jobId, String requestId) {
    return write("play", tenant, "/projects/" + projectId + "/jobs/" + jobId + "/play", Map.of(), requestId);
  }

  /**
   * The deploy freeze periods of a project ({@code GET /projects/:id/freeze_periods}, every page): objects with
   * {@code id}, {@code freeze_start}, {@code freeze_end}, {@code cron_timezone}.
   *
   * @throws UnavailableException when they could not be read, naming why (the bot needs the Maintainer role)
   */
  public List<JsonNode> freezePeriods(String tenant, String projectPath, String requestId) {
    List<JsonNode> out = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      Response r = call("freezes", tenant, "GET", "/projects/" + projectRef(projectPath) + "/freeze_periods?per_page=100&page=" + page,
          null, requestId);
      if (r.status() == 403 || r.status() == 401) {
        throw new UnavailableException("GitLab refused to list the freeze periods of " + projectPath + " (HTTP " + r.status()
            + "): the bot user needs the Maintainer role on the project");
      }
      if (r.status() == 404) {
        throw new UnavailableException("GitLab does not show project " + projectPath + " to the bot user (HTTP 404)");
      }
      requireOk(r, "freeze periods of " + projectPath);
      JsonNode list = parse(r.body());
      if (!list.isArray()) {
        throw new UnavailableException("GitLab's freeze periods of " + projectPath + " are not a list");
      }
      list.forEach(out::add);
      String next = r.raw() == null ? "" : r.raw().headers().firstValue("X-Next-Page").orElse("").strip();
      if (next.isEmpty()) {
        return out;
      }
    }
    throw new UnavailableException("project " + projectPath + " has more than " + (MAX_PAGES * 100) + " freeze periods");
  }

  private static Deployment deployment(JsonNode d) {
    JsonNode job = d.path("deployable");
    return new Deployment(d.path("id").asLong(0), d.path("status").asText(""), d.path("sha").asText(""),
        d.path("ref").asText(null), d.path("environment").path("name").asText(""), job.path("id").asLong(0),
        job.path("status").asText(null));
  }

  private Result write(String kind, String tenant, String path, Map<String, Object> body, String requestId) {
    Response r;
    try {
      r = call(kind, tenant, "POST", path, Json.writeString(body), requestId);
    } catch (UnavailableException e) {
      count(kind, "failed");
      log.atWarn().addKeyValue("event", "gitlab.call.failed").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
          .addKeyValue("tenant", tenant).log("GitLab {} failed after {} attempts: {}", kind, MAX_ATTEMPTS, e.getMessage());
      return Result.FAILED;
    }
    if (r.status() >= 200 && r.status() < 300) {
      count(kind, "ok");
      log.atDebug().addKeyValue("event", "gitlab.call").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
          .addKeyValue("status", r.status()).log("GitLab accepted the {}", kind);
      return Result.OK;
    }
    count(kind, "refused");
    log.atWarn().addKeyValue("event", "gitlab.call.refused").addKeyValue("kind", kind).addKeyValue("requestId", requestId)
        .addKeyValue("tenant", tenant).addKeyValue("status", r.status())
        .log("GitLab refused the {}: HTTP {}{}", kind, r.status(), gitlabMessage(r.body()));
    return Result.REFUSED;
  }

  /** One request with retries on no answer, 429 and 5xx; a final 4xx is returned, the rest throws. */
  private Response call(String kind, String tenant, String method, String path, String json, String requestId) {
    GitLabSettings.Tenant t = settings.tenants().get(tenant);
    if (t == null) {
      throw new IllegalStateException("tenant " + tenant + " has no GitLab groups configured");
    }
    URI uri = URI.create(settings.apiUrl() + path);
    Duration backoff = Duration.ofMillis(250);
    String lastProblem = "not attempted";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        if (!pause(backoff)) {
          break;
        }
        backoff = backoff.multipliedBy(2);
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("PRIVATE-TOKEN", t.botToken().value())
          .header("Accept", "application/json")
          .header("User-Agent", "tollgate");
      if (json != null) {
        b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastProblem = e.getClass().getSimpleName();
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastProblem = "interrupted";
        break;
      }
      int status = response.statusCode();
      if (status == 429 || status >= 500) {
        lastProblem = "HTTP " + status + gitlabMessage(response.body());
        backoff = retryAfter(response).orElse(backoff);
        continue;
      }
      return new Response(status, response.body(), response);
    }
    throw new UnavailableException("GitLab " + kind + " call to " + settings.baseUrl() + " failed: " + lastProblem);
  }

  private static void requireOk(Response r, String what) {
    if (r.status() < 200 || r.status() >= 300) {
      throw new UnavailableException("GitLab answered HTTP " + r.status() + " for " + what + gitlabMessage(r.body()));
    }
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

  /** GitLab's {@code Retry-After} (seconds), bounded so one record never stalls the reporter for long. */
  private static Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        return Optional.of(Duration.ofSeconds(Math.min(10, Math.max(0, Long.parseLong(v.strip())))));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      return node == null ? Json.mapper().createObjectNode() : node;
    } catch (IOException e) {
      throw new UnavailableException("GitLab answered with something that is not JSON");
    }
  }

  /** GitLab's one-line {@code message} or {@code error}, bounded; it describes our request, never our credentials. */
  static String gitlabMessage(String body) {
    try {
      JsonNode node = Json.mapper().readTree(body == null ? "" : body);
      if (node == null) {
        return "";
      }
      JsonNode m = node.has("message") ? node.path("message") : node.path("error");
      String text = m.isTextual() ? m.asText() : m.isMissingNode() ? "" : m.toString();
      text = text.replaceAll("[\\r\\n\\t]", " ");
      return text.isEmpty() ? "" : " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** A numeric project id as is, a path URL-encoded ({@code acme%2Fshop}). */
  static String projectRef(String project) {
    return project.matches("\\d{1,19}") ? project : encode(project);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void count(String kind, String outcome) {
    Counter.builder("tollgate.gitlab.calls").description("Calls to the GitLab API by kind and outcome")
        .tag("kind", kind).tag("outcome", outcome).register(meters).increment();
  }
}
