package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small real GitLab REST API for tests (STYLE §8: external SaaS is faked as a real HTTP server), mounted at
 * {@code /api/v4/*} on the {@link GitServer} that serves the repositories, as GitLab serves both from one base URL.
 * Every call must carry a bot token ({@code PRIVATE-TOKEN} or {@code Authorization: Bearer}); a bot sees only the
 * projects of its groups (others are 404, as on GitLab) and reads freeze periods only as a Maintainer. It keeps
 * deployments, jobs and freeze periods, applies approvals and plays, and records every call (never the token: the
 * call says which bot made it).
 */
public final class FakeGitLab extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern PROJECT = Pattern.compile("/projects/([^/]+)(/.*)?");
  private static final Pattern DEPLOYMENT = Pattern.compile("/deployments/(\\d+)");
  private static final Pattern APPROVAL = Pattern.compile("/deployments/(\\d+)/approval");
  private static final Pattern STATUS = Pattern.compile("/statuses/([0-9a-f]{40})");
  private static final Pattern JOB = Pattern.compile("/jobs/(\\d+)");
  private static final Pattern PLAY = Pattern.compile("/jobs/(\\d+)/play");

  /** One recorded call: {@code bot} is the tenant whose token was used, or {@code none}/{@code bad}. */
  public record Call(String method, String path, String query, String bot, JsonNode body, int status, Instant at) {
    public String field(String name) {
      return body == null ? null : body.path(name).asText(null);
    }
  }

  /** A bot user: its token, tenant and groups, and whether it is a Maintainer (may read freeze periods). */
  private record Bot(String tenant, String token, List<String> groups, boolean maintainer) {}

  /** A deployment and its job, as GitLab keeps them. */
  public static final class Deployment {
    final long id;
    final long projectId;
    final String environment;
    final String sha;
    volatile String status;
    final long jobId;
    volatile String jobStatus;

    Deployment(long id, long projectId, String environment, String sha, String status, long jobId, String jobStatus) {
      this.id = id;
      this.projectId = projectId;
      this.environment = environment;
      this.sha = sha;
      this.status = status;
      this.jobId = jobId;
      this.jobStatus = jobStatus;
    }

    public String status() {
      return status;
    }

    public String jobStatus() {
      return jobStatus;
    }
  }

  private final Map<String, Bot> bots = new ConcurrentHashMap<>();
  private final Map<Long, String> projects = new ConcurrentHashMap<>();
  private final Map<Long, Deployment> deployments = new ConcurrentHashMap<>();
  private final Map<Long, String> jobs = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> freezes = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNextApprovals = new AtomicInteger();
  private final AtomicInteger failNextFreezeReads = new AtomicInteger();

  /** A bot user of {@code tenant} with {@code token}, member of {@code groups}. */
  public FakeGitLab bot(String tenant, String token, boolean maintainer, String... groups) {
    bots.put(token, new Bot(tenant, token, List.of(groups), maintainer));
    return this;
  }

  /** A project. */
  public FakeGitLab project(long id, String path) {
    projects.put(id, path);
    return this;
  }

  /** A deployment of {@code sha} to {@code environment}, with its deploy job (0 for none). */
  public Deployment deployment(long id, long projectId, String environment, String sha, String status, long jobId, String jobStatus) {
    Deployment d = new Deployment(id, projectId, environment, sha, status, jobId, jobStatus);
    deployments.put(id, d);
    if (jobId > 0) {
      jobs.put(jobId, jobStatus);
    }
    return d;
  }

  /** A job outside any deployment (a manual job of a project without approvals). */
  public FakeGitLab job(long id, String status) {
    jobs.put(id, status);
    return this;
  }

  /** The current status of a job. */
  public String jobStatus(long id) {
    return jobs.get(id);
  }

  /** A deploy freeze period of a project. */
  public FakeGitLab freezePeriod(String projectPath, long id, String start, String end, String zone) {
    ObjectNode p = Json.mapper().createObjectNode().put("id", id).put("freeze_start", start).put("freeze_end", end)
        .put("cron_timezone", zone).put("created_at", "2026-01-05T10:00:00.000Z").put("updated_at", "2026-01-05T10:00:00.000Z");
    freezes.computeIfAbsent(projectPath, k -> new CopyOnWriteArrayList<>()).add(p);
    return this;
  }

  /** The next {@code n} approval calls answer 502. */
  public void failNextApprovals(int n) {
    failNextApprovals.set(n);
  }

  /** The next {@code n} freeze period reads answer 503. */
  public void failNextFreezeReads(int n) {
    failNextFreezeReads.set(n);
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Approval calls for one deployment, in order. */
  public List<Call> approvals(long deploymentId) {
    return calls.stream().filter(c -> c.method().equals("POST") && c.path().endsWith("/deployments/" + deploymentId + "/approval"))
        .toList();
  }

  /** Commit status calls for one commit, in order. */
  public List<Call> statuses(String sha) {
    return calls.stream().filter(c -> c.method().equals("POST") && c.path().endsWith("/statuses/" + sha)).toList();
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
    throw new AssertionError("no matching call to the fake GitLab within " + timeout + "; calls: " + describe());
  }

  /** Calls as text, for assertion messages (no token is recorded). */
  public String describe() {
    List<String> lines = new ArrayList<>();
    for (Call c : calls) {
      lines.add(c.method() + " " + c.path() + (c.query() == null ? "" : "?" + c.query()) + " [" + c.bot() + "] " + c.status()
          + (c.body() == null ? "" : " " + c.body()));
    }
    return String.join("\n", lines);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String method = req.getMethod();
    String raw = req.getRequestURI().substring(req.getContextPath().length());
    String path = raw.startsWith("/api/v4") ? raw.substring("/api/v4".length()) : raw;
    byte[] bytes = req.getInputStream().readAllBytes();
    JsonNode body = bytes.length == 0 ? null : Json.mapper().readTree(bytes);
    String token = req.getHeader("PRIVATE-TOKEN");
    String authorization = req.getHeader("Authorization");
    if (token == null && authorization != null && authorization.startsWith("Bearer ")) {
      token = authorization.substring(7);
    }
    Bot bot = token == null ? null : bots.get(token);
    String who = bot != null ? bot.tenant() : token == null ? "none" : "bad";
    if (bot == null) {
      answer(res, method, path, req.getQueryString(), who, body, 401, "{\"message\":\"401 Unauthorized\"}");
      return;
    }
    Matcher m = PROJECT.matcher(path);
    if (!m.matches()) {
      answer(res, method, path, req.getQueryString(), who, body, 404, "{\"error\":\"404 Not Found\"}");
      return;
    }
    Long projectId = projectId(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
    String rest = m.group(2) == null ? "" : m.group(2);
    if (projectId == null || !visible(bot, projects.get(projectId))) {
      answer(res, method, path, req.getQueryString(), who, body, 404, "{\"message\":\"404 Project Not Found\"}");
      return;
    }
    String projectPath = projects.get(projectId);
    Matcher r;
    if (method.equals("GET") && (r = DEPLOYMENT.matcher(rest)).matches()) {
      Deployment d = deployments.get(Long.parseLong(r.group(1)));
      if (d == null || d.projectId != projectId) {
        answer(res, method, path, req.getQueryString(), who, body, 404, "{\"message\":\"404 Not found\"}");
      } else {
        answer(res, method, path, req.getQueryString(), who, body, 200, json(d).toString());
      }
    } else if (method.equals("GET") && rest.equals("/deployments")) {
      String environment = req.getParameter("environment");
      String status = req.getParameter("status");
      ArrayNode list = Json.mapper().createArrayNode();
      deployments.values().stream().filter(d -> d.projectId == projectId && (environment == null || environment.equals(d.environment))
          && (status == null || status.equals(d.status))).forEach(d -> list.add(json(d)));
      answer(res, method, path, req.getQueryString(), who, body, 200, list.toString());
    } else if (method.equals("POST") && (r = APPROVAL.matcher(rest)).matches()) {
      Deployment d = deployments.get(Long.parseLong(r.group(1)));
      String status = body == null ? "" : body.path("status").asText("");
      if (failNextApprovals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(res, method, path, null, who, body, 502, "{\"message\":\"502 Bad Gateway\"}");
      } else if (d == null || d.projectId != projectId) {
        answer(res, method, path, null, who, body, 404, "{\"message\":\"404 Not found\"}");
      } else if (!d.status.equals("blocked") || !(status.equals("approved") || status.equals("rejected"))
          || body.path("comment").asText("").length() > 255) {
        answer(res, method, path, null, who, body, 400, "{\"message\":\"Deployment is not blocked or the approval is invalid\"}");
      } else {
        if (status.equals("rejected")) {
          d.status = "failed"; // GitLab fails the job of a rejected deployment
          d.jobStatus = "failed";
          jobs.put(d.jobId, "failed");
        }
        ObjectNode a = Json.mapper().createObjectNode().put("status", status).put("comment", body.path("comment").asText(null))
            .put("created_at", Instant.now().toString());
        a.putObject("user").put("id", 99).put("username", "tollgate-bot-" + bot.tenant());
        answer(res, method, path, null, who, body, 201, a.toString());
      }
    } else if (method.equals("POST") && STATUS.matcher(rest).matches()) {
      String state = body == null ? "" : body.path("state").asText("");
      boolean valid = List.of("pending", "running", "success", "failed", "canceled").contains(state)
          && body.path("name").isTextual() && body.path("description").asText("").length() <= 255
          && body.path("target_url").asText("").length() <= 255;
      answer(res, method, path, null, who, body, valid ? 201 : 400, valid ? "{\"status\":\"" + state + "\"}"
          : "{\"message\":\"400 Bad request - state does not have a valid value\"}");
    } else if (method.equals("POST") && (r = PLAY.matcher(rest)).matches()) {
      long job = Long.parseLong(r.group(1));
      if ("manual".equals(jobs.get(job))) {
        jobs.put(job, "pending");
        deployments.values().stream().filter(d -> d.jobId == job).forEach(d -> d.jobStatus = "pending");
        answer(res, method, path, null, who, body, 200, "{\"id\":" + job + ",\"status\":\"pending\"}");
      } else {
        answer(res, method, path, null, who, body, 403, "{\"message\":\"403 Forbidden  - Unplayable Job\"}");
      }
    } else if (method.equals("GET") && (r = JOB.matcher(rest)).matches()) {
      String status = jobs.get(Long.parseLong(r.group(1)));
      answer(res, method, path, null, who, body, status == null ? 404 : 200, status == null ? "{\"message\":\"404 Not found\"}"
          : "{\"id\":" + r.group(1) + ",\"status\":\"" + status + "\"}");
    } else if (method.equals("GET") && rest.equals("/freeze_periods")) {
      if (failNextFreezeReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answer(res, method, path, req.getQueryString(), who, body, 503, "{\"message\":\"503 Service Unavailable\"}");
      } else if (!bot.maintainer()) {
        answer(res, method, path, req.getQueryString(), who, body, 403, "{\"message\":\"403 Forbidden\"}");
      } else {
        ArrayNode list = Json.mapper().createArrayNode();
        freezes.getOrDefault(projectPath, List.of()).forEach(list::add);
        answer(res, method, path, req.getQueryString(), who, body, 200, list.toString());
      }
    } else {
      answer(res, method, path, req.getQueryString(), who, body, 404, "{\"error\":\"404 Not Found\"}");
    }
  }

  private Long projectId(String ref) {
    if (ref.matches("\\d+")) {
      return projects.containsKey(Long.parseLong(ref)) ? Long.parseLong(ref) : null;
    }
    return projects.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(ref)).map(Map.Entry::getKey).findFirst()
        .orElse(null);
  }

  private static boolean visible(Bot bot, String projectPath) {
    String p = projectPath.toLowerCase(Locale.ROOT);
    return bot.groups().stream().anyMatch(g -> p.startsWith(g.toLowerCase(Locale.ROOT) + "/"));
  }

  private static ObjectNode json(Deployment d) {
    ObjectNode n = Json.mapper().createObjectNode().put("id", d.id).put("iid", d.id).put("ref", "main").put("sha", d.sha)
        .put("status", d.status).put("created_at", "2026-11-26T10:00:00.000Z");
    n.putObject("environment").put("id", 9).put("name", d.environment);
    if (d.jobId > 0) {
      n.putObject("deployable").put("id", d.jobId).put("status", d.jobStatus).put("name", "deploy").put("stage", "deploy");
    } else {
      n.putNull("deployable");
    }
    return n;
  }

  private void answer(HttpServletResponse res, String method, String path, String query, String who, JsonNode body, int status,
      String json) throws IOException {
    calls.add(new Call(method, path, query, who, body, status, Instant.now()));
    res.setStatus(status);
    res.setContentType("application/json");
    res.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
  }
}
