package dev.tollgate.gate.gitlab;

import static dev.tollgate.gate.http.WebhookFields.commit;
import static dev.tollgate.gate.http.WebhookFields.positive;
import static dev.tollgate.gate.http.WebhookFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.GitLabOrigin;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.evaluation.DeployRecorder;
import dev.tollgate.gate.evaluation.EvaluationSubmitter;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.http.WebhookFields;
import dev.tollgate.gate.http.WebhookFields.Refused;
import dev.tollgate.gate.http.RequestIdHandler;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/gitlab}: a GitLab project or group webhook (issue #9, protocols §2).
 *
 * <ol>
 *   <li>{@link GitLabWebhookAuth} checks {@code X-Gitlab-Token} (constant time) and, when configured, GitLab's webhook
 *       signature with its replay window, over the raw body before anything is parsed; refused → 401, nothing
 *       published.</li>
 *   <li>The delivery is named by {@code Idempotency-Key} (the same across GitLab's resends), else
 *       {@code X-Gitlab-Event-UUID}; it is the request id and the delivery id of what the event causes.</li>
 *   <li>The project's group picks the tenant ({@code gitlab.tenants}); a delivery authenticated by a tenant's own
 *       secret may only act for that tenant's projects. The repository URL is built from {@code gitlab.baseUrl} and the
 *       project path, never taken from the payload.</li>
 *   <li>{@code Deployment Hook}: {@code blocked} (waiting for approval) → one {@code EvaluationRequested} keyed by the
 *       deployment, so a resent delivery, whatever its key, is the same evaluation; {@code running}, {@code success},
 *       {@code failed}, {@code canceled} → a {@code DeploymentRecorded} (the history shared with GitHub: baseline,
 *       rollback target, promotion proof), and a {@code GATE_BYPASSED} audit record when its commit succeeded without a
 *       GO or OVERRIDDEN for it in that environment ({@link DeployRecorder}). {@code Pipeline Hook}: every deploy job waiting as {@code manual} or {@code created} → one
 *       evaluation keyed by the job (the fallback for projects without deployment approvals; pipeline hooks repeat
 *       on every pipeline change and map to the same evaluation).</li>
 *   <li>2xx only once Kafka acknowledged; Kafka down → 503. Events Tollgate does not gate (other hooks, environments
 *       not in {@code environments}) get 202 {@code ignored}: GitLab disables a hook that keeps failing, and a group hook
 *       sees every project's environments.</li>
 * </ol>
 */
public final class GitLabWebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(GitLabWebhookHandler.class);
  /** Tollgate reads deploy events; GitLab's payloads for them are small, this leaves room for large pipelines. */
  public static final long BODY_LIMIT = 25L * 1024 * 1024;
  private static final Pattern EVENT = Pattern.compile("[A-Za-z ]{1,64}");
  private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
  private static final Pattern PROJECT_PATH = Pattern.compile("[A-Za-z0-9_.-]{1,255}(/[A-Za-z0-9_.-]{1,255}){1,20}");
  private static final Pattern COMMIT_URL_SHA = Pattern.compile("/(?:-/)?commit/([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$");
  private static final DateTimeFormatter GITLAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT);

  private final GateConfig config;
  private final GitLabSettings settings;
  private final EvaluationSubmitter submitter;
  private final DeployRecorder recorder;
  private final EvaluationViews views;
  private final Clock clock;
  private final MeterRegistry meters;

  public GitLabWebhookHandler(GateConfig config, GitLabSettings settings, EvaluationSubmitter submitter, DeployRecorder recorder,
      EvaluationViews views, Clock clock, MeterRegistry meters) {
    this.config = config;
    this.settings = settings;
    this.submitter = submitter;
    this.recorder = recorder;
    this.views = views;
    this.clock = clock;
    this.meters = meters;
  }

  /** The project a delivery is about, resolved against the configuration. */
  private record Project(long id, String path, String tenant, RepositoryLocation location) {}

  /** {@code POST /webhooks/gitlab}. */
  public void handle(RoutingContext ctx) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String eventHeader = ctx.request().getHeader("X-Gitlab-Event");
    String delivery = firstValid(ctx.request().getHeader("Idempotency-Key"), ctx.request().getHeader("X-Gitlab-Event-UUID"));
    // Authentication first: nothing of an unauthenticated body is read, parsed or logged.
    GitLabWebhookAuth.Outcome auth = settings.webhook().authenticate(new GitLabWebhookAuth.Presented(
        ctx.request().getHeader("X-Gitlab-Token"), ctx.request().getHeader("webhook-id"),
        ctx.request().getHeader("webhook-timestamp"), ctx.request().getHeader("webhook-signature")), body, clock.instant());
    if (auth instanceof GitLabWebhookAuth.Refused refused) {
      count(eventHeader, "rejected");
      log.atWarn().addKeyValue("event", "gitlab.webhook.unauthenticated").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .addKeyValue("delivery", delivery == null ? "invalid" : delivery)
          .log("GitLab webhook refused: {}", refused.why());
      Problem.send(ctx, 401, "Invalid token", refused.why());
      return;
    }
    String tokenTenant = ((GitLabWebhookAuth.Accepted) auth).tenant();
    if (eventHeader == null || !EVENT.matcher(eventHeader).matches()) {
      count(null, "invalid");
      Problem.send(ctx, 400, "Invalid request", "X-Gitlab-Event is missing or malformed", "X-Gitlab-Event");
      return;
    }
    if (delivery == null) {
      count(eventHeader, "invalid");
      Problem.send(ctx, 400, "Invalid request", "Idempotency-Key and X-Gitlab-Event-UUID are missing or malformed: "
          + "a delivery must be recognisable when GitLab sends it again", "Idempotency-Key");
      return;
    }
    RequestIdHandler.use(ctx, delivery);
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      count(eventHeader, "invalid");
      Problem.send(ctx, 400, "Invalid request", "the payload is not a JSON object");
      return;
    }
    String kind = root.path("object_kind").asText("");
    try {
      if (eventHeader.equals("Deployment Hook") && kind.equals("deployment")) {
        deployment(ctx, root, delivery, tokenTenant);
      } else if (eventHeader.equals("Pipeline Hook") && kind.equals("pipeline")) {
        pipeline(ctx, root, delivery, tokenTenant);
      } else {
        ignored(ctx, eventHeader, "Tollgate does not act on " + eventHeader);
      }
    } catch (Refused r) {
      count(eventHeader, "refused");
      log.atWarn().addKeyValue("event", "gitlab.webhook.refused").addKeyValue("requestId", delivery)
          .addKeyValue("gitlabEvent", eventHeader).addKeyValue("status", r.status).log("GitLab webhook refused: {}", r.getMessage());
      Problem.send(ctx, r.status, r.title, r.getMessage());
    }
  }

  private void deployment(RoutingContext ctx, JsonNode root, String delivery, String tokenTenant) throws Refused {
    Project project = project(root, tokenTenant);
    String environment = text(root, "environment", "environment");
    if (config.policy().environment(environment).isEmpty()) {
      ignored(ctx, "Deployment Hook", "environment \"" + Checks.abbreviate(environment) + "\" is not configured in Tollgate");
      return;
    }
    String status = root.path("status").asText("");
    long deploymentId = positive(root.path("deployment_id"), "deployment_id");
    long jobId = root.path("deployable_id").canConvertToLong() ? Math.max(0, root.path("deployable_id").asLong()) : 0;
    if (status.equals("blocked")) {
      String sha = commitOf(root, project);
      GitLabOrigin origin = new GitLabOrigin(project.id(), project.path(), deploymentId, jobId, 0, environment,
          GitLabOrigin.DEPLOYMENT);
      submit(ctx, project, environment, sha, origin, deploymentKey(deploymentId), delivery, actor(root), submitter(root),
          List.of())
          .onComplete(r -> {
            if (r.failed()) {
              unavailable(ctx, "Deployment Hook", r.cause());
            } else {
              count("Deployment Hook", r.result().path("replayed").asBoolean() ? "replayed" : "accepted");
              json(ctx, 202, r.result());
            }
          });
      return;
    }
    DeployStatus deployStatus = switch (status) {
      case "running" -> DeployStatus.STARTED;
      case "success" -> DeployStatus.SUCCEEDED;
      case "failed" -> DeployStatus.FAILED;
      case "canceled" -> DeployStatus.CANCELED;
      default -> null; // created; approved/rejected are approval actions, not deploy outcomes
    };
    if (deployStatus == null) {
      ignored(ctx, "Deployment Hook", "status \"" + Checks.abbreviate(status) + "\" is not a deploy start or outcome");
      return;
    }
    record(ctx, root, delivery, project, environment, commitOf(root, project), deploymentId, jobId, deployStatus);
  }

  private void pipeline(RoutingContext ctx, JsonNode root, String delivery, String tokenTenant) throws Refused {
    Project project = project(root, tokenTenant);
    JsonNode attributes = root.path("object_attributes");
    String sha = commit(attributes.path("sha"), "object_attributes.sha");
    long pipelineId = attributes.path("id").canConvertToLong() ? Math.max(0, attributes.path("id").asLong()) : 0;
    List<Future<JsonNode>> submitted = new ArrayList<>();
    for (JsonNode build : root.path("builds")) {
      JsonNode env = build.path("environment");
      String status = build.path("status").asText("");
      String action = env.path("action").asText("start");
      if (!env.isObject() || !env.path("name").isTextual() || !(status.equals("manual") || status.equals("created"))
          || !action.equals("start")) {
        continue; // not a deploy job waiting to run (a stop or verify job, or one already running or done)
      }
      String environment = env.path("name").asText();
      long jobId = build.path("id").asLong(0);
      if (jobId <= 0 || config.policy().environment(environment).isEmpty()) {
        continue;
      }
      GitLabOrigin origin = new GitLabOrigin(project.id(), project.path(), 0, jobId, pipelineId, environment, GitLabOrigin.PIPELINE);
      // Keyed by the job: GitLab sends a Pipeline Hook on every pipeline change, each with a new delivery id.
      String jobUser = username(build);
      submitted.add(submit(ctx, project, environment, sha, origin, jobKey(project.id(), jobId), delivery, actor(root),
          submitter(root), jobUser == null ? List.of() : List.of(jobUser)));
    }
    if (submitted.isEmpty()) {
      ignored(ctx, "Pipeline Hook", "no deploy job to a configured environment waits as manual or created");
      return;
    }
    Future.all(submitted).onComplete(r -> {
      if (r.failed()) {
        unavailable(ctx, "Pipeline Hook", r.cause());
        return;
      }
      List<JsonNode> evaluations = new ArrayList<>();
      for (Future<JsonNode> f : submitted) {
        evaluations.add(f.result());
      }
      count("Pipeline Hook", evaluations.stream().allMatch(e -> e.path("replayed").asBoolean()) ? "replayed" : "accepted");
      json(ctx, 202, Map.of("evaluations", evaluations));
    });
  }

  /** One evaluation through the shared submitter; the future fails only when Kafka did not take it. */
  private Future<JsonNode> submit(RoutingContext ctx, Project project, String environment, String sha, GitLabOrigin origin,
      String key, String delivery, String actor, String submittedBy, List<String> deployers) {
    DeployTarget target = new DeployTarget(project.tenant(), project.location().value(), environment, sha, null);
    EvaluationSubmitter.Submission submission = new EvaluationSubmitter.Submission(delivery, target, Source.GITLAB, actor,
        submittedBy, deployers, delivery, key, EvaluationSubmitter.fingerprint(target, List.of()), List.of(), null, origin);
    return submitter.submit(submission).map(outcome -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("evaluationId", outcome.evaluationId());
      answer.put("environment", environment);
      if (outcome instanceof EvaluationSubmitter.Conflict) {
        // The same deployment or job with another commit: a forged or corrupted delivery; the first one stands.
        answer.put("conflict", true);
        answer.put("replayed", true);
      } else {
        answer.put("replayed", ((EvaluationSubmitter.Accepted) outcome).replayed());
      }
      answer.put("href", "/api/v1/evaluations/" + outcome.evaluationId());
      return Json.mapper().valueToTree(answer);
    });
  }

  private void record(RoutingContext ctx, JsonNode root, String delivery, Project project, String environment, String sha,
      long gitlabDeploymentId, long jobId, DeployStatus deployStatus) {
    Instant now = clock.instant();
    Instant at = instant(root.path("status_changed_at")).orElse(now);
    String deploymentId = "gitlab:" + gitlabDeploymentId;
    // The evaluation Tollgate ran for this deployment (its blocked event) or its job (a Pipeline Hook), found by key (no
    // scan of evaluations); whether the deploy is a bypass is decided by the commit's GO, in one place (DeployRecorder).
    String gateEvaluation = java.util.stream.Stream.of(deploymentKey(gitlabDeploymentId),
            jobId > 0 ? jobKey(project.id(), jobId) : null)
        .filter(java.util.Objects::nonNull).map(k -> EvaluationSubmitter.idFromKey(project.tenant(), k))
        .filter(id -> views.get(id).isPresent()).findFirst().orElse(null);
    DeployRecorder.Deploy deploy = new DeployRecorder.Deploy(delivery, deploymentId, project.tenant(),
        project.location().value(), environment, sha, deployStatus, null, Source.GITLAB, username(root),
        deployStatus == DeployStatus.STARTED ? at : null, deployStatus == DeployStatus.STARTED ? null : at, at, now,
        gateEvaluation, "gitlab-bypass:" + gitlabDeploymentId + ":" + delivery,
        WebhookFields.ref(root.path("ref")));
    recorder.record(deploy).onComplete(r -> {
      if (r.failed()) {
        unavailable(ctx, "Deployment Hook", r.cause());
        return;
      }
      count("Deployment Hook", "accepted");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("deploymentId", deploymentId);
      answer.put("status", deployStatus.name());
      answer.put("evaluationId", r.result().evaluationId());
      answer.put("bypass", r.result().bypass());
      json(ctx, 202, answer);
    });
  }

  /** The idempotency key of a blocked deployment: GitLab's resends (any delivery key) are one evaluation. */
  private static String deploymentKey(long deploymentId) {
    return "gitlab:deployment:" + deploymentId;
  }

  /** The idempotency key of a deploy job waiting in a pipeline: every Pipeline Hook about it is one evaluation. */
  private static String jobKey(long projectId, long jobId) {
    return "gitlab:job:" + projectId + ":" + jobId;
  }

  /**
   * The project, its tenant and repository. The tenant is the one whose groups hold the project; a delivery
   * authenticated by a tenant's own secret acts for that tenant only, and the shared secret only for tenants without
   * one of their own.
   */
  private Project project(JsonNode root, String tokenTenant) throws Refused {
    JsonNode p = root.path("project");
    long id = positive(p.path("id"), "project.id");
    String path = text(p, "path_with_namespace", "project.path_with_namespace");
    if (!PROJECT_PATH.matcher(path).matches() || path.contains("..")) {
      throw new Refused(400, "Invalid request", "project.path_with_namespace: expected group/project");
    }
    Optional<GitLabSettings.Tenant> tenant = settings.tenantOf(path);
    if (tenant.isEmpty()) {
      throw new Refused(403, "Forbidden", "project " + path + " is in none of the groups of gitlab.tenants");
    }
    String name = tenant.get().name();
    if (tokenTenant != null ? !tokenTenant.equals(name) : !settings.acceptsShared(name)) {
      throw new Refused(403, "Forbidden", "project " + path + " does not belong to the tenant this webhook secret is for");
    }
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(settings.repositoryUrl(path));
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "Invalid request", "project.path_with_namespace: " + e.getMessage());
    }
    Optional<String> notAllowed = config.allowList().rejection(location);
    if (notAllowed.isPresent()) {
      throw new Refused(403, "Forbidden", "repository not allowed: " + notAllowed.get()
          + "; add it to repositories.allowed");
    }
    return new Project(id, path, name, location);
  }

  /** The full commit id from {@code commit_url} (the Deployment Hook has no full sha field), of this very project. */
  private String commitOf(JsonNode root, Project project) throws Refused {
    String url = root.path("commit_url").asText("");
    Matcher m = COMMIT_URL_SHA.matcher(url);
    String prefix = settings.baseUrl() + "/" + project.path() + "/";
    if (!m.find() || !url.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new Refused(400, "Invalid request", "commit_url: expected " + prefix + "-/commit/<full commit id>");
    }
    return m.group(1).toLowerCase(Locale.ROOT);
  }

  private static String firstValid(String... values) {
    for (String v : values) {
      if (v != null && DELIVERY.matcher(v).matches()) {
        return v;
      }
    }
    return null;
  }

  /** GitLab writes {@code 2021-04-28 21:50:00 +0200} in hooks; ISO-8601 is read too. */
  static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    String t = node.asText().strip();
    try {
      return Optional.of(OffsetDateTime.parse(t, GITLAB_TIME).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(t).toInstant());
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

  private static String username(JsonNode node) {
    String u = node.path("user").path("username").asText("");
    return USERNAME.matcher(u).matches() ? u : null;
  }

  /** The authenticated identity of the delivery: the GitLab user it is about (its secret vouches for the body). */
  private static String submitter(JsonNode root) {
    String u = username(root);
    return u == null ? "gitlab" : u;
  }

  private static String actor(JsonNode root) {
    String u = username(root);
    return u == null ? "gitlab" : u + " (GitLab)";
  }

  private void ignored(RoutingContext ctx, String event, String why) {
    count(event, "ignored");
    log.atDebug().addKeyValue("event", "gitlab.webhook.ignored").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("gitlabEvent", event).log("GitLab event ignored: {}", why);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ignored", true);
    answer.put("reason", why);
    json(ctx, 202, answer);
  }

  private void unavailable(RoutingContext ctx, String event, Throwable cause) {
    count(event, "unavailable");
    log.atWarn().addKeyValue("event", "gitlab.webhook.unavailable").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("gitlabEvent", event).log("GitLab webhook not stored: {}", cause.toString());
    ctx.response().putHeader("Retry-After", "5");
    Problem.send(ctx, 503, "Kafka unavailable", "the event could not be stored (" + cause.getClass().getSimpleName()
        + "); nothing was started. Resend it from the webhook's Recent events in GitLab: the same deployment never starts a "
        + "second evaluation");
  }

  private void count(String event, String outcome) {
    String e = event == null ? "other" : switch (event) {
      case "Deployment Hook" -> "deployment";
      case "Pipeline Hook" -> "pipeline";
      case "Job Hook" -> "job";
      case "Push Hook" -> "push";
      default -> "other";
    };
    Counter.builder("tollgate.gitlab.webhooks").description("GitLab webhook deliveries by event and outcome")
        .tag("event", e).tag("outcome", outcome).register(meters).increment();
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.writeString(body));
  }
}
