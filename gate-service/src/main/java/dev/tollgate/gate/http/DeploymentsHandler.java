package dev.tollgate.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.evaluation.DeployRecorder;
import dev.tollgate.gate.http.RequestFields.Rejected;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/deployments}: CI reports that a deploy started, succeeded or failed, so Tollgate knows what
 * runs where (the default baseline, the rollback target, promotion proof, deploy durations). GitHub and GitLab
 * deployment events feed the same topic.
 *
 * <pre>
 * {"repository": "...", "environment": "staging", "commit": "3f2c...", "status": "succeeded",
 *  "deploymentId": "ci-1207", "artifactDigest": "sha256:...", "startedAt": "...", "finishedAt": "...",
 *  "evaluationId": "...", "ref": "hotfix/login"}
 * </pre>
 */
public final class DeploymentsHandler {
  private static final Set<String> FIELDS = Set.of("repository", "environment", "commit", "status", "deploymentId",
      "artifactDigest", "startedAt", "finishedAt", "evaluationId", "tenant", "ref");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  /** A git ref name as CI knows it: no spaces or control characters (git refuses them too). */
  private static final Pattern REF = Pattern.compile("[^\\s\\p{Cntrl}]{1,255}");
  private static final Set<String> GET_PARAMS = Set.of("repository", "environment", "tenant", "commit");
  /**
   * How long a report naming an evaluation waits for this gate's views to know its verdict (they follow Kafka and may
   * lag, most after an override) before it is answered 503: short, the caller retries.
   */
  static final int VIEWS_WAIT_SECONDS = 10;

  private final GateConfig config;
  private final DeployRecorder recorder;
  private final EvaluationViews views;
  private final Clock clock;
  private final RequestFields fields;

  public DeploymentsHandler(GateConfig config, DeployRecorder recorder, EvaluationViews views, Clock clock) {
    this.config = config;
    this.recorder = recorder;
    this.views = views;
    this.clock = clock;
    this.fields = new RequestFields(config);
  }

  /**
   * {@code POST /api/v1/deployments}. A success of a commit Tollgate decided no GO (or OVERRIDDEN) for in that
   * environment is recorded too (it happened), as a bypass: a {@code GATE_BYPASSED} audit record, and never a trusted
   * baseline ({@link DeployRecorder}). A report is proof only from a reporter that may vouch for it (the token that
   * requested a GO evaluation of the commit there, a {@code deployReporter} token, an admin of the tenant); any other
   * is recorded and answered {@code "vouched": false} with the reason, and frees no queue slot, proves no promotion and
   * is no baseline. A report naming an {@code evaluationId} this gate's views do not know yet, or whose verdict is not
   * decided yet, waits for them up to {@value #VIEWS_WAIT_SECONDS} s, then is answered 503 with {@code Retry-After}
   * and nothing recorded (judged on lagging views it would be without standing for good).
   */
  public void record(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    String requestId = RequestIdHandler.requestId(ctx);
    DeployRecorder.Deploy deploy;
    try {
      JsonNode root = RequestFields.object(ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes(), FIELDS);
      String tenant = fields.tenant(root, principal);
      String repository = fields.repository(root);
      String environment = fields.environment(root);
      String commit = RequestFields.commit(root, "commit", true);
      DeployStatus status = status(RequestFields.requiredText(root, "status"));
      String deploymentId = RequestFields.optionalText(root, "deploymentId", ID, "1-128 letters, digits or ._:/-");
      String evaluationId = RequestFields.optionalText(root, "evaluationId", ID, "an evaluation id");
      String digest = RequestFields.artifactDigest(root);
      String ref = RequestFields.optionalText(root, "ref", REF, "the branch or tag deployed, like main or hotfix/login");
      Instant startedAt = instant(root, "startedAt");
      Instant finishedAt = instant(root, "finishedAt");
      if (startedAt != null && finishedAt != null && finishedAt.isBefore(startedAt)) {
        throw new Rejected(400, "finishedAt", "finishedAt is before startedAt");
      }
      Instant now = clock.instant();
      if (finishedAt == null && status != DeployStatus.STARTED) {
        finishedAt = now;
      }
      if (startedAt == null && status == DeployStatus.STARTED) {
        startedAt = now;
      }
      String id = deploymentId != null ? deploymentId : "api-" + UUID.randomUUID();
      deploy = new DeployRecorder.Deploy(requestId, id, tenant, repository, environment, commit, status, digest, Source.API,
          principal.name(), startedAt, finishedAt, finishedAt != null ? finishedAt : now, now, evaluationId,
          "api-bypass:" + tenant + ":" + id, ref, principal);
    } catch (Rejected e) {
      Problem.send(ctx, e.status, e.status == 403 ? "Forbidden" : "Invalid request", e.getMessage(), e.field);
      return;
    }
    String named = deploy.evaluationId();
    Future<Void> ready = named == null ? Future.succeededFuture()
        : EvaluationsHandler.await(ctx.vertx(), views, named, VIEWS_WAIT_SECONDS, v -> settled(v, deploy.tenant()));
    ready.onComplete(w -> {
      if (named != null && views.get(named).filter(v -> v.tenant().equals(deploy.tenant()) && v.complete()).isEmpty()) {
        // Judged now, the report would be without standing for good: nothing is recorded, the caller retries.
        ctx.response().putHeader("Retry-After", "5");
        Problem.send(ctx, 503, "Evaluation not known yet", "evaluation " + named + " is not known to this gate yet or"
            + " its verdict is not decided: nothing was recorded; retry with the same deploymentId");
        return;
      }
      publish(ctx, deploy);
    });
  }

  /**
   * True when the views hold {@code v}'s verdict as of its latest override: an approval recorded after the verdict
   * was decided is about to make it OVERRIDDEN.
   */
  private static boolean settled(EvaluationView v, String tenant) {
    return v.tenant().equals(tenant) && v.complete()
        && v.overrides().stream().noneMatch(o -> o.recordedAt().isAfter(v.verdict().decidedAt()));
  }

  private void publish(RoutingContext ctx, DeployRecorder.Deploy deploy) {
    recorder.record(deploy).onComplete(r -> {
      if (r.failed()) {
        ctx.response().putHeader("Retry-After", "5");
        Problem.send(ctx, 503, "Kafka unavailable", "the deployment could not be recorded ("
            + r.cause().getClass().getSimpleName() + "); retry with the same deploymentId");
        return;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("deploymentId", deploy.deploymentId());
      body.put("status", deploy.status().name());
      body.put("bypass", r.result().bypass());
      body.put("vouched", r.result().vouched());
      if (!r.result().vouched()) {
        body.put("reason", r.result().notVouchedReason());
      }
      EvaluationsHandler.json(ctx, 202, body);
    });
  }

  /**
   * {@code GET /api/v1/deployments?repository=&environment=}: the environment's recent deploys as recorded, each with
   * who reported it ({@code reportedBy}, {@code standing}) and whether it counts as proof ({@code vouched}).
   */
  public void list(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!GET_PARAMS.contains(name)) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: " + new java.util.TreeSet<>(GET_PARAMS) + ")");
        return;
      }
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String repository = ctx.queryParams().get("repository");
    String environment = ctx.queryParams().get("environment");
    if (repository == null || environment == null) {
      Problem.badField(ctx, repository == null ? "repository" : "environment", "repository and environment are required");
      return;
    }
    String tenant = ctx.queryParams().get("tenant");
    if (tenant == null) {
      var own = principal.tenants().stream().filter(t -> !t.equals("*")).toList();
      tenant = own.size() == 1 ? own.get(0) : config.defaultTenant();
    }
    if (tenant == null || !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "name a tenant this token may read", "tenant");
      return;
    }
    String commit = ctx.queryParams().get("commit");
    DeployHistory history = views.recordedHistory(tenant, normalize(repository), environment, commit == null ? "" : commit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant", tenant);
    body.put("environment", environment);
    body.put("deploys", history.deploys());
    if (commit != null) {
      body.put("commit", history.candidate());
    }
    EvaluationsHandler.json(ctx, 200, body);
  }

  private static String normalize(String repository) {
    try {
      return dev.tollgate.contracts.evaluation.RepositoryLocation.parse(repository).value();
    } catch (IllegalArgumentException e) {
      return repository;
    }
  }

  private static DeployStatus status(String text) throws Rejected {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "started" -> DeployStatus.STARTED;
      case "succeeded", "success" -> DeployStatus.SUCCEEDED;
      case "failed", "failure" -> DeployStatus.FAILED;
      case "canceled", "cancelled" -> DeployStatus.CANCELED;
      default -> throw new Rejected(400, "status", "expected started, succeeded, failed or canceled");
    };
  }

  private static Instant instant(JsonNode root, String field) throws Rejected {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return Instant.parse(node.asText());
    } catch (DateTimeParseException e) {
      throw new Rejected(400, field, "expected an ISO-8601 instant like 2026-11-26T10:15:30Z");
    }
  }
}
