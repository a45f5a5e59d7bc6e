package dev.tollgate.gate.http;

import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.attestation.AttestationsHandler;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.auth.Sessions;
import dev.tollgate.gate.dashboard.Dashboard;
import dev.tollgate.gate.github.GitHubWebhookHandler;
import dev.tollgate.gate.gitlab.GitLabWebhookHandler;
import dev.tollgate.gate.slack.SlackInteractionHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the gate's router: one place that lists every route. */
public final class ApiRouter {
  private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

  private ApiRouter() {}

  /**
   * Every handler the router serves.
   *
   * @param github the GitHub App's webhook, or null when GitHub is not configured
   * @param gitlab the GitLab webhook, or null when GitLab is not configured
   * @param slack the Slack app's interactions and slash command, or null when Slack is not configured
   * @param dashboard the dashboard's pages and API, or null to serve the API alone (bearer tokens only)
   * @param attestations the signed verdicts and their keys, or null when not served
   */
  public record Handlers(EvaluationsHandler evaluations, DeploymentsHandler deployments, OverridesHandler overrides,
      HealthHandler health, GitHubWebhookHandler github, GitLabWebhookHandler gitlab, SlackInteractionHandler slack,
      Dashboard dashboard, AttestationsHandler attestations, LocksHandler locks) {
    /** Without locks. */
    public Handlers(EvaluationsHandler evaluations, DeploymentsHandler deployments, OverridesHandler overrides,
        HealthHandler health, GitHubWebhookHandler github, GitLabWebhookHandler gitlab, SlackInteractionHandler slack,
        Dashboard dashboard, AttestationsHandler attestations) {
      this(evaluations, deployments, overrides, health, github, gitlab, slack, dashboard, attestations, null);
    }

    /** Without GitLab, Slack, the dashboard and attestations. */
    public Handlers(EvaluationsHandler evaluations, DeploymentsHandler deployments, OverridesHandler overrides,
        HealthHandler health, GitHubWebhookHandler github) {
      this(evaluations, deployments, overrides, health, github, null, null, null, null, null);
    }
  }

  /** The router. */
  public static Router create(Vertx vertx, GateConfig config, Handlers handlers, PrometheusMeterRegistry prometheus) {
    EvaluationsHandler evaluations = handlers.evaluations();
    DeploymentsHandler deployments = handlers.deployments();
    HealthHandler health = handlers.health();
    GitHubWebhookHandler github = handlers.github();
    GitLabWebhookHandler gitlab = handlers.gitlab();
    Router router = Router.router(vertx);
    router.route().handler(new RequestIdHandler());
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store")
          .putHeader("X-Frame-Options", "DENY").putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      ctx.next();
    });

    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));

    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes());
    Dashboard dashboard = handlers.dashboard();
    // With the dashboard, every API route also accepts its session cookie (and then demands its CSRF token).
    Sessions sessions = dashboard == null ? null : dashboard.sessions();
    BearerAuthHandler viewer = new BearerAuthHandler(config.tokens(), Role.VIEWER, sessions);
    BearerAuthHandler requester = new BearerAuthHandler(config.tokens(), Role.REQUESTER, sessions);
    router.post("/api/v1/evaluations").handler(body).handler(requester).handler(evaluations::create);
    router.get("/api/v1/evaluations").handler(viewer).handler(evaluations::list);
    router.get("/api/v1/evaluations/:id").handler(viewer).handler(evaluations::get);
    router.post("/api/v1/deployments").handler(body).handler(requester).handler(deployments::record);
    router.get("/api/v1/deployments").handler(viewer).handler(deployments::list);
    BearerAuthHandler approver = new BearerAuthHandler(config.tokens(), Role.APPROVER, sessions);
    router.post("/api/v1/evaluations/:id/overrides").handler(body).handler(approver).handler(handlers.overrides()::vote);
    router.get("/api/v1/evaluations/:id/overrides").handler(viewer).handler(handlers.overrides()::eligibility);
    LocksHandler locks = handlers.locks();
    if (locks != null) {
      // Who may lock is the environment's policy (its role or its approvers): the handler decides past the requester role.
      router.get("/api/v1/environments/:name/lock").handler(viewer).handler(locks::get);
      router.post("/api/v1/environments/:name/lock").handler(body).handler(requester).handler(locks::lock);
      router.delete("/api/v1/environments/:name/lock").handler(body).handler(requester).handler(locks::unlock);
      router.get("/api/v1/environments/:name/queue").handler(viewer).handler(locks::queue);
    }
    AttestationsHandler attestations = handlers.attestations();
    if (attestations != null) {
      router.get("/api/v1/evaluations/:id/attestation").handler(viewer).handler(attestations::get);
      // Public keys are public (a JWKS document): a verifier outside the installation needs no token to fetch them.
      router.get("/api/v1/attestations/keys").handler(attestations::keys);
    }
    if (dashboard != null) {
      // The dashboard's API (documented in openapi.json like the rest) ...
      router.get("/api/v1/openapi.json").handler(dashboard.openApi()::serve);
      router.get("/api/v1/session").handler(viewer).handler(dashboard.pages()::session);
      router.get("/api/v1/events").handler(viewer).handler(dashboard.events()::stream);
      router.get("/api/v1/environments").handler(viewer).handler(dashboard.environments()::list);
      router.get("/api/v1/environments/:name/calendar").handler(viewer).handler(dashboard.environments()::calendar);
      router.get("/api/v1/audit").handler(viewer).handler(dashboard.audit()::list);
      router.get("/api/v1/metrics/delivery").handler(viewer).handler(dashboard.delivery()::metrics);
      // ... and its pages, sign-in and files.
      router.get("/").handler(dashboard.pages()::evaluations);
      router.get("/evaluations/:id").handler(dashboard.pages()::evaluation);
      router.get("/environments").handler(dashboard.pages()::environments);
      router.get("/audit").handler(dashboard.pages()::audit);
      router.get("/delivery").handler(dashboard.pages()::delivery);
      router.get("/docs/delivery-metrics").handler(dashboard.rules()::deliveryMetrics);
      router.get("/signin").handler(dashboard.pages()::signinPage);
      router.post("/signin").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(dashboard.pages()::signIn);
      router.post("/signout").handler(dashboard.pages()::signOut);
      router.get("/assets/*").handler(dashboard.assets()::serve);
      router.get("/rules/*").handler(dashboard.rules()::serve);
    }
    if (github != null) {
      // Authenticated by its HMAC signature, not a bearer token; GitHub sends up to 25 MB, more than the API allows.
      router.post("/webhooks/github")
          .handler(BodyHandler.create(false).setBodyLimit(GitHubWebhookHandler.BODY_LIMIT))
          .handler(github::handle)
          .failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
              Problem.send(ctx, 413, "Body too large", "GitHub webhook payloads are at most " + GitHubWebhookHandler.BODY_LIMIT + " bytes");
            } else {
              ctx.next();
            }
          });
    }

    if (gitlab != null) {
      // Authenticated by its token or signature, not a bearer token; checked over the raw body before parsing.
      router.post("/webhooks/gitlab")
          .handler(BodyHandler.create(false).setBodyLimit(GitLabWebhookHandler.BODY_LIMIT))
          .handler(gitlab::handle)
          .failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
              Problem.send(ctx, 413, "Body too large", "GitLab webhook payloads are at most " + GitLabWebhookHandler.BODY_LIMIT + " bytes");
            } else {
              ctx.next();
            }
          });
    }
    SlackInteractionHandler slack = handlers.slack();
    if (slack != null) {
      // Authenticated by Slack's request signature; the handler reads the body itself so nothing is decoded before
      // the signature holds (no BodyHandler here).
      router.post("/slack/interactions").handler(slack::interactions);
      router.post("/slack/commands").handler(slack::commands);
    }

    router.errorHandler(404, ctx -> Problem.send(ctx, 404, "Not found", "no such route: " + ctx.request().method() + " "
        + ctx.request().path()));
    router.errorHandler(405, ctx -> Problem.send(ctx, 405, "Method not allowed", ctx.request().method()
        + " is not supported on " + ctx.request().path()));
    // An HTTP method the server does not know ("GARBAGE / HTTP/1.1") is bad input, not a server fault.
    router.errorHandler(501, ctx -> Problem.send(ctx, 405, "Method not allowed", "unknown HTTP method"));
    router.errorHandler(413, ctx -> Problem.send(ctx, 413, "Body too large", "the request body exceeds "
        + config.bodyLimitBytes() + " bytes"));
    router.errorHandler(400, ctx -> Problem.send(ctx, 400, "Bad request", "the request could not be read"));
    router.errorHandler(500, ctx -> {
      log.atError().addKeyValue("event", "http.failed").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .setCause(ctx.failure()).log("request failed: {} {}", ctx.request().method(), ctx.request().path());
      Problem.send(ctx, 500, "Internal error", "the gate failed to handle this request; it is logged under this requestId");
    });
    return router;
  }
}
