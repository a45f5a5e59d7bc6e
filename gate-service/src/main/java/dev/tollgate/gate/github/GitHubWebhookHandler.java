package dev.tollgate.gate.github;

import static dev.tollgate.gate.http.WebhookFields.commit;
import static dev.tollgate.gate.http.WebhookFields.positive;
import static dev.tollgate.gate.http.WebhookFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
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
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/github}: the GitHub App's webhook (issue #8).
 *
 * <ol>
 *   <li>The {@code X-Hub-Signature-256} HMAC is checked over the raw body before anything is parsed; missing or
 *       wrong → 401, nothing published.</li>
 *   <li>Routed on {@code X-GitHub-Event} and {@code action}: {@code ping} → 200;
 *       {@code deployment_protection_rule}/{@code requested} → one {@code EvaluationRequested} (the
 *       {@link EvaluationSubmitter}, key {@code github:<app id>:deployment:<deployment id>:<commit>}, so a redelivery,
 *       or a captured body replayed under a new {@code X-GitHub-Delivery}, gets the same evaluation); {@code deployment_status}/{@code created} → a {@code DeploymentRecorded} (the deploy history:
 *       baseline, rollback target, promotion proof), plus a {@code GATE_BYPASSED} audit record when the commit succeeded
 *       without a GO or OVERRIDDEN for it in that environment (an administrator bypassed the rule, or the environment
 *       has no rule): {@link DeployRecorder}; anything else → 202
 *       {@code {"ignored": true}}, counted.</li>
 *   <li>2xx only once Kafka acknowledged what the event caused; Kafka down → 503, so the delivery shows as failed
 *       on GitHub and can be redelivered. GitHub waits 10 s at most; the publisher gives up after 6.</li>
 * </ol>
 *
 * The installation id picks the tenant ({@code github.installations}); an unknown installation or a repository
 * outside {@code repositories.allowed} is refused (4xx) and nothing is published.
 */
public final class GitHubWebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(GitHubWebhookHandler.class);
  /** GitHub does not send payloads larger than 25 MB (protocols §1.1). */
  public static final long BODY_LIMIT = 25L * 1024 * 1024;
  private static final Pattern EVENT = Pattern.compile("[a-z_]{1,64}");
  private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]{1,39}(\\[bot\\])?");
  private static final Set<String> COUNTED_EVENTS = Set.of("ping", "deployment_protection_rule", "deployment_status",
      "deployment", "push", "installation", "installation_repositories", "check_run", "check_suite");

  private final Vertx vertx;
  private final GateConfig config;
  private final GitHubSettings settings;
  private final EvaluationSubmitter submitter;
  private final DeployRecorder recorder;
  private final EvaluationViews views;
  private final GitHubApi api;
  private final Clock clock;
  private final MeterRegistry meters;

  public GitHubWebhookHandler(Vertx vertx, GateConfig config, GitHubSettings settings, EvaluationSubmitter submitter,
      DeployRecorder recorder, EvaluationViews views, GitHubApi api, Clock clock, MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.settings = settings;
    this.submitter = submitter;
    this.recorder = recorder;
    this.views = views;
    this.api = api;
    this.clock = clock;
    this.meters = meters;
  }

  /** {@code POST /webhooks/github}. */
  public void handle(RoutingContext ctx) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String eventHeader = ctx.request().getHeader("X-GitHub-Event");
    String delivery = ctx.request().getHeader("X-GitHub-Delivery");
    // The signature first: nothing of an unsigned body is read, parsed or logged.
    if (!settings.webhook().verify(body, ctx.request().getHeader("X-Hub-Signature-256"))) {
      count(eventHeader, "rejected");
      log.atWarn().addKeyValue("event", "github.signature.invalid").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .addKeyValue("delivery", delivery != null && DELIVERY.matcher(delivery).matches() ? delivery : "invalid")
          .log("GitHub webhook refused: X-Hub-Signature-256 missing or wrong");
      Problem.send(ctx, 401, "Invalid signature", "X-Hub-Signature-256 is missing or does not match the webhook secret");
      return;
    }
    if (eventHeader == null || !EVENT.matcher(eventHeader).matches()) {
      count(null, "invalid");
      Problem.send(ctx, 400, "Invalid request", "X-GitHub-Event is missing or malformed", "X-GitHub-Event");
      return;
    }
    if (delivery == null || !DELIVERY.matcher(delivery).matches()) {
      count(eventHeader, "invalid");
      Problem.send(ctx, 400, "Invalid request", "X-GitHub-Delivery is missing or malformed", "X-GitHub-Delivery");
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
    String action = root.path("action").asText("");
    try {
      if (eventHeader.equals("ping")) {
        count(eventHeader, "accepted");
        json(ctx, 200, Map.of("pong", true));
      } else if (eventHeader.equals("deployment_protection_rule") && action.equals("requested")) {
        protectionRule(ctx, root, delivery);
      } else if (eventHeader.equals("deployment_status") && action.equals("created")) {
        deploymentStatus(ctx, root, delivery);
      } else {
        // deployment/created among them: a created deployment has not started (it may wait for this very rule);
        // its deployment_status events are what is recorded.
        ignored(ctx, eventHeader, "Tollgate does not act on " + eventHeader + (action.isEmpty() ? "" : "/" + action));
      }
    } catch (Refused r) {
      count(eventHeader, "refused");
      log.atWarn().addKeyValue("event", "github.webhook.refused").addKeyValue("requestId", delivery)
          .addKeyValue("githubEvent", eventHeader).addKeyValue("status", r.status).log("GitHub webhook refused: {}", r.getMessage());
      Problem.send(ctx, r.status, r.title, r.getMessage());
    }
  }

  private void protectionRule(RoutingContext ctx, JsonNode root, String delivery) throws Refused {
    long installationId = root.path("installation").path("id").asLong(0);
    String tenant = tenantOf(installationId);
    String environment = text(root, "environment", "environment");
    JsonNode deployment = root.path("deployment");
    String sha = commit(deployment.path("sha"), "deployment.sha");
    long deploymentId = positive(deployment.path("id"), "deployment.id");
    String fullName = text(root.path("repository"), "full_name", "repository.full_name");
    String callback = text(root, "deployment_callback_url", "deployment_callback_url");
    // The callback receives an installation token: it must be this repository's review endpoint on the configured API.
    if (!callback.matches(Pattern.quote(settings.apiUrl() + "/repos/" + fullName + "/actions/runs/") + "\\d{1,20}/deployment_protection_rule")) {
      throw new Refused(400, "Invalid request", "deployment_callback_url is not the review endpoint of this repository under "
          + "github.apiUrl");
    }
    RepositoryLocation location = location(root);
    String event = root.path("event").asText(null);
    GitHubOrigin origin = new GitHubOrigin(installationId, fullName, deploymentId, callback, environment,
        event != null && EVENT.matcher(event).matches() ? event : null);
    Optional<String> notAllowed = config.allowList().rejection(location);
    if (notAllowed.isPresent()) {
      rejectUnevaluated(origin, delivery, "Tollgate cannot check this repository: " + notAllowed.get()
          + ". Ask the Tollgate administrator to add it to repositories.allowed.");
      throw new Refused(403, "Forbidden", "repository not allowed: " + notAllowed.get());
    }
    if (config.policy().environment(environment).isEmpty()) {
      rejectUnevaluated(origin, delivery, "Tollgate has no environment " + VerdictComment.code(environment)
          + " configured, so it cannot decide. Ask the Tollgate administrator to add it, or remove Tollgate's rule from it.");
      throw new Refused(422, "Unknown environment", "environment \"" + Checks.abbreviate(environment)
          + "\" is not configured (configured: " + config.policy().environments().keySet() + ")");
    }
    DeployTarget target = new DeployTarget(tenant, location.value(), environment, sha, null);
    EvaluationSubmitter.Submission submission = new EvaluationSubmitter.Submission(delivery, target, Source.GITHUB,
        actor(root), submitter(root), deployers(root), delivery, protectionKey(deploymentId, sha),
        EvaluationSubmitter.fingerprint(target, List.of()), List.of(), origin, null);
    submitter.submit(submission).onComplete(r -> {
      if (r.failed()) {
        unavailable(ctx, "deployment_protection_rule", r.cause());
      } else if (r.result() instanceof EvaluationSubmitter.Conflict) {
        count("deployment_protection_rule", "refused");
        Problem.send(ctx, 422, "Delivery reused", "this delivery id was already used for a different request");
      } else {
        boolean replayed = ((EvaluationSubmitter.Accepted) r.result()).replayed();
        count("deployment_protection_rule", replayed ? "replayed" : "accepted");
        String id = r.result().evaluationId();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("evaluationId", id);
        answer.put("replayed", replayed);
        answer.put("href", "/api/v1/evaluations/" + id);
        json(ctx, 202, answer);
      }
    });
  }

  private void deploymentStatus(RoutingContext ctx, JsonNode root, String delivery) throws Refused {
    long installationId = root.path("installation").path("id").asLong(0);
    String tenant = tenantOf(installationId);
    RepositoryLocation location = location(root);
    Optional<String> notAllowed = config.allowList().rejection(location);
    if (notAllowed.isPresent()) {
      throw new Refused(403, "Forbidden", "repository not allowed: " + notAllowed.get());
    }
    JsonNode status = root.path("deployment_status");
    JsonNode deployment = root.path("deployment");
    String environment = status.path("environment").asText(deployment.path("environment").asText(""));
    if (environment.isEmpty() || config.policy().environment(environment).isEmpty()) {
      ignored(ctx, "deployment_status", "environment \"" + Checks.abbreviate(environment) + "\" is not configured in Tollgate");
      return;
    }
    String state = status.path("state").asText("");
    DeployStatus deployStatus = switch (state) {
      case "in_progress" -> DeployStatus.STARTED;
      case "success" -> DeployStatus.SUCCEEDED;
      case "failure", "error" -> DeployStatus.FAILED;
      default -> null; // queued, pending, waiting: not started; inactive: superseded, not a deploy of its own
    };
    if (deployStatus == null) {
      ignored(ctx, "deployment_status", "state \"" + Checks.abbreviate(state) + "\" is not a deploy start or outcome");
      return;
    }
    String sha = commit(deployment.path("sha"), "deployment.sha");
    long githubDeploymentId = positive(deployment.path("id"), "deployment.id");
    Instant now = clock.instant();
    Instant at = instant(status.path("created_at")).orElse(now);
    String deploymentId = "github:" + githubDeploymentId;
    // The evaluation Tollgate's protection rule ran for this deployment, found by its key (no scan of evaluations);
    // whether the deploy is a bypass is decided by the commit's GO, in one place (DeployRecorder).
    String ruleEvaluation = EvaluationSubmitter.idFromKey(tenant, protectionKey(githubDeploymentId, sha));
    DeployRecorder.Deploy deploy = new DeployRecorder.Deploy(delivery, deploymentId, tenant, location.value(), environment, sha,
        deployStatus, null, Source.GITHUB, login(root.path("sender").path("login").asText("")),
        deployStatus == DeployStatus.STARTED ? at : null, deployStatus == DeployStatus.STARTED ? null : at, at, now,
        views.get(ruleEvaluation).isPresent() ? ruleEvaluation : null, "github-bypass:" + settings.appId() + ":" + delivery,
        WebhookFields.ref(deployment.path("ref")));
    recorder.record(deploy).onComplete(r -> {
      if (r.failed()) {
        unavailable(ctx, "deployment_status", r.cause());
        return;
      }
      count("deployment_status", "accepted");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("deploymentId", deploymentId);
      answer.put("status", deployStatus.name());
      answer.put("evaluationId", r.result().evaluationId());
      answer.put("bypass", r.result().bypass());
      json(ctx, 202, answer);
    });
  }

  /**
   * The idempotency key of a protection rule request: the deployment and its commit. The delivery id is not signed (a
   * captured body replayed with a new {@code X-GitHub-Delivery} must not start a second evaluation), and GitHub asks
   * once per deployment.
   */
  private String protectionKey(long deploymentId, String sha) {
    return "github:" + settings.appId() + ":deployment:" + deploymentId + ":" + sha;
  }

  /** The authenticated identity of the delivery: the login GitHub says triggered it (signed with the body). */
  private static String submitter(JsonNode root) {
    String login = login(root.path("sender").path("login").asText(""));
    return login == null ? "github" : login;
  }

  /** Further GitHub users bound to the deploy: the deployment's creator, when it is a person's login. */
  private static List<String> deployers(JsonNode root) {
    String creator = login(root.path("deployment").path("creator").path("login").asText(""));
    return creator == null ? List.of() : List.of(creator);
  }

  /** Best effort, off the event loop: a deployment Tollgate cannot evaluate must not wait 30 days for a verdict. */
  private void rejectUnevaluated(GitHubOrigin origin, String delivery, String why) {
    String comment = "### ⛔ Tollgate: NO_GO\n" + why;
    vertx.executeBlocking(() -> api.reviewDeployment(origin, "rejected", comment.length() > VerdictComment.MAX_COMMENT
        ? comment.substring(0, VerdictComment.MAX_COMMENT) : comment, delivery), false);
  }

  private String tenantOf(long installationId) throws Refused {
    if (installationId <= 0) {
      throw new Refused(400, "Invalid request", "installation.id is missing: install the GitHub App and send events as the App");
    }
    String tenant = settings.installations().get(installationId);
    if (tenant == null) {
      throw new Refused(403, "Forbidden", "installation " + installationId + " is not listed in github.installations");
    }
    return tenant;
  }

  private static RepositoryLocation location(JsonNode root) throws Refused {
    String cloneUrl = text(root.path("repository"), "clone_url", "repository.clone_url");
    try {
      return RepositoryLocation.parse(cloneUrl);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, "Invalid request", "repository.clone_url: " + e.getMessage().replaceFirst("^repository: ", ""));
    }
  }

  private static Optional<Instant> instant(JsonNode node) {
    try {
      return node.isTextual() ? Optional.of(Instant.parse(node.asText())) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String actor(JsonNode root) {
    String login = login(root.path("sender").path("login").asText(""));
    return login == null ? "github" : login + " (GitHub)";
  }

  private static String login(String raw) {
    return LOGIN.matcher(raw).matches() ? raw : null;
  }

  private void ignored(RoutingContext ctx, String event, String why) {
    count(event, "ignored");
    log.atDebug().addKeyValue("event", "github.webhook.ignored").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("githubEvent", event).log("GitHub event ignored: {}", why);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ignored", true);
    answer.put("reason", why);
    json(ctx, 202, answer);
  }

  private void unavailable(RoutingContext ctx, String event, Throwable cause) {
    count(event, "unavailable");
    log.atWarn().addKeyValue("event", "github.webhook.unavailable").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("githubEvent", event).log("GitHub webhook not stored: {}", cause.toString());
    ctx.response().putHeader("Retry-After", "5");
    Problem.send(ctx, 503, "Kafka unavailable", "the event could not be stored (" + cause.getClass().getSimpleName()
        + "); nothing was started. Redeliver it from the GitHub App's advanced settings: the same delivery id never starts "
        + "a second evaluation");
  }

  private void count(String event, String outcome) {
    String e = event != null && COUNTED_EVENTS.contains(event) ? event : "other";
    Counter.builder("tollgate.github.webhooks").description("GitHub webhook deliveries by event and outcome")
        .tag("event", e).tag("outcome", outcome).register(meters).increment();
  }

  private static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.writeString(body));
  }
}
