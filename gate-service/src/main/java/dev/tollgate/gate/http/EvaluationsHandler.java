package dev.tollgate.gate.http;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.evaluation.EvaluationSubmitter;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/evaluations}: request an evaluation (202 once Kafka has it), read one (optionally waiting for
 * the verdict), list them. Every response is scoped to the caller's tenants; another tenant's evaluation is a 404.
 */
public final class EvaluationsHandler {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EvaluationsHandler.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final int MAX_WAIT_SECONDS = 60;
  private static final Set<String> LIST_PARAMS = Set.of("environment", "repository", "verdict", "limit", "tenant");
  private static final Set<String> GET_PARAMS = Set.of("waitSeconds");

  private final Vertx vertx;
  private final EvaluationViews views;
  private final EvaluationRequestParser parser;
  private final EvaluationSubmitter submitter;

  public EvaluationsHandler(Vertx vertx, GateConfig config, EvaluationSubmitter submitter, EvaluationViews views) {
    this.vertx = vertx;
    this.views = views;
    this.submitter = submitter;
    this.parser = new EvaluationRequestParser(config);
  }

  /** {@code POST /api/v1/evaluations}. */
  public void create(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    String requestId = RequestIdHandler.requestId(ctx);
    Integer wait = waitSeconds(ctx);
    if (wait == null) {
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType != null && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      Problem.send(ctx, 415, "Unsupported media type", "send the body as application/json");
      return;
    }
    EvaluationRequestParser.Parsed parsed;
    try {
      parsed = parser.parse(ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes(), principal,
          ctx.request().getHeader("Idempotency-Key"));
    } catch (RequestFields.Rejected e) {
      Problem.send(ctx, e.status, e.status == 403 ? "Forbidden" : "Invalid request", e.getMessage(), e.field);
      return;
    }
    // Who submitted it is the token's principal, never the body's requestedBy (a label the caller picks).
    EvaluationSubmitter.Submission submission = new EvaluationSubmitter.Submission(requestId, parsed.target(), Source.API,
        parsed.requestedBy(), principal.name(), List.of(), null, parsed.idempotencyKey(),
        EvaluationSubmitter.fingerprint(parsed.target(), parsed.extraProbes(), parsed.artifactDigest()), parsed.extraProbes(), null,
        null, parsed.artifactDigest());
    submitter.submit(submission).onComplete(r -> {
      if (r.failed()) {
        kafkaUnavailable(ctx, r.cause());
      } else if (r.result() instanceof EvaluationSubmitter.Conflict) {
        Problem.send(ctx, 422, "Idempotency key reused", "Idempotency-Key was already used for a different request; "
            + "use a new key for a new evaluation", "Idempotency-Key");
      } else {
        if (((EvaluationSubmitter.Accepted) r.result()).replayed()) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        respondAccepted(ctx, r.result().evaluationId(), wait);
      }
    });
  }

  private void respondAccepted(RoutingContext ctx, String id, int wait) {
    ctx.response().putHeader("Location", "/api/v1/evaluations/" + id);
    if (wait == 0) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("status", views.get(id).map(EvaluationView::status).orElse("PENDING"));
      body.put("href", "/api/v1/evaluations/" + id);
      json(ctx, 202, body);
      return;
    }
    awaitComplete(id, wait).onComplete(r -> {
      Optional<EvaluationView> view = views.get(id);
      if (view.isPresent() && view.get().complete()) {
        json(ctx, 200, view.get());
      } else {
        json(ctx, 202, view.isPresent() ? view.get() : Map.of("id", id, "status", "PENDING", "href", "/api/v1/evaluations/" + id));
      }
    });
  }

  /** {@code GET /api/v1/evaluations/:id}. */
  public void get(RoutingContext ctx) {
    if (!onlyParams(ctx, GET_PARAMS)) {
      return;
    }
    Integer wait = waitSeconds(ctx);
    if (wait == null) {
      return;
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      notFound(ctx, id);
      return;
    }
    Optional<EvaluationView> view = views.get(id);
    if (view.isEmpty()) {
      Optional<String> tenant = submitter.recentTenant(id);
      if (tenant.isEmpty() || !principal.canAccess(tenant.get())) {
        notFound(ctx, id);
        return;
      }
    } else if (!principal.canAccess(view.get().tenant())) {
      notFound(ctx, id);
      return;
    }
    Future<Void> ready = view.map(EvaluationView::complete).orElse(false) || wait == 0 ? Future.succeededFuture()
        : awaitComplete(id, wait);
    ready.onComplete(r -> {
      Optional<EvaluationView> now = views.get(id);
      if (now.isPresent()) {
        json(ctx, 200, now.get());
      } else {
        json(ctx, 200, Map.of("id", id, "status", "PENDING"));
      }
    });
  }

  /** {@code GET /api/v1/evaluations}. */
  public void list(RoutingContext ctx) {
    if (!onlyParams(ctx, LIST_PARAMS)) {
      return;
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String environment = ctx.queryParams().get("environment");
    String repository = ctx.queryParams().get("repository");
    String verdict = ctx.queryParams().get("verdict");
    String tenant = ctx.queryParams().get("tenant");
    int limit = 20;
    String limitText = ctx.queryParams().get("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 500) {
        Problem.badField(ctx, "limit", "expected an integer from 1 to 500");
        return;
      }
    }
    if (verdict != null && !List.of("GO", "NO_GO", "OVERRIDDEN", "PENDING").contains(verdict)) {
      Problem.badField(ctx, "verdict", "expected GO, NO_GO, OVERRIDDEN or PENDING");
      return;
    }
    if (tenant != null && !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" may not read tenant \"" + tenant + "\"", "tenant");
      return;
    }
    Predicate<EvaluationView> filter = v -> principal.canAccess(v.tenant())
        && (tenant == null || tenant.equals(v.tenant()))
        && (environment == null || environment.equals(v.environment()))
        && (repository == null || repository.equals(v.repository()))
        && (verdict == null || verdict.equals(v.verdict() == null ? "PENDING" : v.verdict().decision()));
    // A token limited to tenants reads those tenants' orders: other tenants' history is never looked at. The reads hit
    // the off-heap store (a disk read and a parse per evaluation), so they run on a worker thread.
    Set<String> tenants = tenant != null || principal.tenants().contains("*") ? null : principal.tenants();
    EvaluationViews.Query query = new EvaluationViews.Query(tenant, environment, repository, verdict, null);
    int max = limit;
    vertx.executeBlocking(() -> views.page(query, tenants, filter, max), false).onSuccess(page -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", page.items());
      body.put("count", page.items().size());
      if (page.truncated()) {
        body.put("truncated", true); // more may match than the read cap let this request look at
      }
      json(ctx, 200, body);
    }).onFailure(ctx::fail);
  }

  private Future<Void> awaitComplete(String id, int seconds) {
    return await(vertx, views, id, seconds, EvaluationView::complete);
  }

  /**
   * Completes when the views' evaluation {@code id} matches {@code ready}, or after {@code seconds} (the caller looks
   * again). Never fails; listens for the views' updates, no polling.
   */
  static Future<Void> await(Vertx vertx, EvaluationViews views, String id, int seconds, Predicate<EvaluationView> ready) {
    Promise<Void> done = Promise.promise();
    var context = vertx.getOrCreateContext();
    Runnable[] cancel = new Runnable[1];
    long timer = vertx.setTimer(Math.max(1, seconds * 1000L), t -> done.tryComplete());
    cancel[0] = views.listen(id, v -> {
      if (ready.test(v)) {
        context.runOnContext(x -> done.tryComplete());
      }
    });
    if (views.get(id).filter(ready).isPresent()) {
      done.tryComplete();
    }
    return done.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      cancel[0].run();
    });
  }

  private static Integer waitSeconds(RoutingContext ctx) {
    String text = ctx.queryParams().get("waitSeconds");
    if (text == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 0 && n <= MAX_WAIT_SECONDS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    Problem.badField(ctx, "waitSeconds", "expected an integer from 0 to " + MAX_WAIT_SECONDS);
    return null;
  }

  private static boolean onlyParams(RoutingContext ctx, Set<String> allowed) {
    for (String name : ctx.queryParams().names()) {
      if (!allowed.contains(name)) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: " + new java.util.TreeSet<>(allowed) + ")");
        return false;
      }
    }
    return true;
  }

  private static void notFound(RoutingContext ctx, String id) {
    Problem.send(ctx, 404, "Not found", "no evaluation " + (ID.matcher(id).matches() ? id : "with that id") + " is visible to this token");
  }

  private void kafkaUnavailable(RoutingContext ctx, Throwable cause) {
    log.atWarn().addKeyValue("event", "evaluation.publish.failed").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .log("could not store the evaluation request: {}", cause.toString());
    ctx.response().putHeader("Retry-After", "5");
    Problem.send(ctx, 503, "Kafka unavailable", "the evaluation request could not be stored (" + cause.getClass().getSimpleName()
        + "); nothing was started. Retry; send an Idempotency-Key so a retry can never start a second evaluation");
  }

  static void json(RoutingContext ctx, int status, Object body) {
    // UTF-8 bytes straight from Jackson: a String would be built and then encoded again by the response.
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(io.vertx.core.buffer.Buffer.buffer(Json.write(body)));
  }
}
