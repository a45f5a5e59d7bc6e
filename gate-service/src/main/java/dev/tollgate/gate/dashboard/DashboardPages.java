package dev.tollgate.gate.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.RateLimiter;
import dev.tollgate.gate.auth.Sessions;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.http.RequestIdHandler;
import dev.tollgate.gate.http.SessionCookie;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's pages and its sign-in: a page needs a session (else 303 to the sign-in page), signing in trades
 * an API token for a session cookie, signing out ends the session. The pages are static HTML whose scripts call
 * the public API with the cookie.
 */
public final class DashboardPages {
  private static final Logger log = LoggerFactory.getLogger(DashboardPages.class);
  /**
   * The pages' policy: our own scripts, styles, images and API only; no inline script or style, no framing, no
   * form posting elsewhere.
   */
  static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private final Assets assets;
  private final Tokens tokens;
  private final Sessions sessions;
  private final EvaluationEvents events;
  private final RateLimiter perClient;
  private final RateLimiter perToken;
  private final MeterRegistry meters;

  /**
   * @param events its streams of a session close when the session signs out
   * @param perClient sign-in attempts per client address (any token, valid or not)
   * @param perToken sign-ins per valid token
   */
  public DashboardPages(Assets assets, Tokens tokens, Sessions sessions, EvaluationEvents events, RateLimiter perClient,
      RateLimiter perToken, MeterRegistry meters) {
    this.assets = assets;
    this.tokens = tokens;
    this.sessions = sessions;
    this.events = events;
    this.perClient = perClient;
    this.perToken = perToken;
    this.meters = meters;
  }

  /** The sessions (the API's authentication accepts their cookie). */
  public Sessions sessions() {
    return sessions;
  }

  /** {@code GET /}: the live list of evaluations. */
  public void evaluations(RoutingContext ctx) {
    page(ctx, "evaluations.html");
  }

  /** {@code GET /evaluations/:id}: one evaluation (GitHub comments link here). */
  public void evaluation(RoutingContext ctx) {
    page(ctx, "evaluation.html");
  }

  /** {@code GET /environments}. */
  public void environments(RoutingContext ctx) {
    page(ctx, "environments.html");
  }

  /** {@code GET /delivery}: delivery metrics and charts. */
  public void delivery(RoutingContext ctx) {
    page(ctx, "delivery.html");
  }

  /** {@code GET /audit}. */
  public void audit(RoutingContext ctx) {
    page(ctx, "audit.html");
  }

  /**
   * {@code GET /signin}: the form; open to everyone. A {@code next} that is not a path on this site (a phishing link's
   * {@code //evil.example}, {@code /\t/evil.example}, a scheme) is dropped here already: the page is served again
   * without it, and the page's script applies the same rule ({@link SafeNext}).
   */
  public void signinPage(RoutingContext ctx) {
    pageHeaders(ctx);
    java.util.List<String> next = ctx.queryParam("next");
    if (!next.isEmpty() && (next.size() > 1 || !SafeNext.isLocalPath(next.get(0)))) {
      log.atInfo().addKeyValue("event", "dashboard.signin.next-refused").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .log("sign-in page asked to go elsewhere afterwards; next dropped");
      ctx.response().setStatusCode(303).putHeader("Location", "/signin").end();
      return;
    }
    Assets.send(ctx, assets.get("signin.html").orElseThrow());
  }

  private void page(RoutingContext ctx, String file) {
    pageHeaders(ctx);
    if (SessionCookie.session(ctx, sessions).isEmpty()) {
      String next = ctx.request().uri();
      ctx.response().setStatusCode(303)
          .putHeader("Location", "/signin?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)).end();
      return;
    }
    Assets.send(ctx, assets.get(file).orElseThrow());
  }

  /** The headers of every HTML page (the router adds nosniff and frame denial to every response). */
  static void pageHeaders(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", PAGE_CSP)
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  /**
   * {@code POST /signin} with {@code {"token": "..."}}: a session for the token's principal. JSON only and from our
   * own origin, so another site cannot sign a browser in under the attacker's token (login CSRF): a cross-site page
   * can send neither a JSON content type without a CORS preflight, which we never grant, nor our Origin.
   */
  public void signIn(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      Problem.send(ctx, 415, "Unsupported media type", "send {\"token\": \"...\"} as application/json");
      return;
    }
    if (!SessionCookie.sameOrigin(ctx)) {
      Problem.send(ctx, 403, "Forbidden", "sign in from the dashboard's own page");
      return;
    }
    // Per client first (cheap, before any token is looked at), then per token: one token signing in in a loop is slowed
    // down, and its own oldest sessions end (Sessions), never anybody else's.
    if (limited(ctx, perClient, clientAddress(ctx), "client")) {
      return;
    }
    String token;
    try {
      JsonNode body = Json.mapper().readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
      token = body == null ? null : body.path("token").asText(null);
    } catch (java.io.IOException e) {
      token = null;
    }
    if (token == null || token.isBlank()) {
      Problem.send(ctx, 400, "Invalid request", "send {\"token\": \"...\"}", "token");
      return;
    }
    Optional<Principal> principal = tokens.authenticate(token.strip());
    if (principal.isEmpty()) {
      count("refused");
      log.atInfo().addKeyValue("event", "dashboard.signin.refused").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .log("sign-in refused: unknown token");
      Problem.send(ctx, 401, "Unauthorized", "the token is not valid", "token");
      return;
    }
    if (limited(ctx, perToken, principal.get().name(), "token")) {
      return;
    }
    count("signed_in");
    // A new id at every sign-in, and the old session ends: a session id planted before sign-in is worthless.
    SessionCookie.id(ctx).ifPresent(sessions::invalidate);
    Sessions.Session session = sessions.create(principal.get());
    SessionCookie.set(ctx, session);
    log.atInfo().addKeyValue("event", "dashboard.signin").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("principal", principal.get().name()).log("signed in to the dashboard");
    json(ctx, 200, me(principal.get(), session));
  }

  /** True (and answered 429 with {@code Retry-After}) when {@code key} has no attempt left. */
  private boolean limited(RoutingContext ctx, RateLimiter limiter, String key, String per) {
    Duration wait = limiter.acquire(key);
    if (wait.isZero()) {
      return false;
    }
    count("limited_" + per);
    // Debug only: a flood of sign-ins must not become a flood of log lines; the metric counts them.
    log.atDebug().addKeyValue("event", "dashboard.signin.limited").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
        .addKeyValue("per", per).log("sign-in rate limited");
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    ctx.response().putHeader("Retry-After", Long.toString(seconds));
    Problem.send(ctx, 429, "Too many sign-ins", "too many sign-ins from this " + (per.equals("client") ? "client" : "token")
        + "; try again in " + seconds + " s");
    return true;
  }

  /** The address the connection comes from (behind a proxy: the proxy's; see docs/security.md). */
  private static String clientAddress(RoutingContext ctx) {
    var address = ctx.request().remoteAddress();
    return address == null || address.host() == null ? "unknown" : address.host();
  }

  private void count(String outcome) {
    Counter.builder("tollgate.dashboard.signins").description("Dashboard sign-ins by outcome").tag("outcome", outcome)
        .register(meters).increment();
  }

  /** {@code POST /signout}: ends the session; needs its CSRF token, like every state-changing request. */
  public void signOut(RoutingContext ctx) {
    Optional<Sessions.Session> session = SessionCookie.session(ctx, sessions);
    if (session.isPresent()) {
      if (!SessionCookie.sameOrigin(ctx) || !session.get().csrfMatches(ctx.request().getHeader(SessionCookie.CSRF_HEADER))) {
        Problem.send(ctx, 403, "Forbidden", "missing or invalid CSRF token; reload the page and try again");
        return;
      }
      sessions.invalidate(session.get().id());
      events.endSession(session.get().id());
      log.atInfo().addKeyValue("event", "dashboard.signout").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .addKeyValue("principal", session.get().principal().name()).log("signed out of the dashboard");
    }
    SessionCookie.clear(ctx);
    ctx.response().setStatusCode(204).end();
  }

  /**
   * {@code GET /api/v1/session}: who the caller is, and for a session its CSRF token. Only our own pages can read
   * it: we send no CORS headers, so another site's script cannot see the answer.
   */
  public void session(RoutingContext ctx) {
    Principal principal = BearerAuthHandler.principal(ctx);
    json(ctx, 200, me(principal, SessionCookie.session(ctx, sessions)
        .filter(s -> ctx.request().getHeader("Authorization") == null).orElse(null)));
  }

  private static Map<String, Object> me(Principal principal, Sessions.Session session) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", principal.name());
    body.put("role", principal.role().name().toLowerCase(Locale.ROOT));
    body.put("tenants", new TreeSet<>(principal.tenants()));
    body.put("csrfToken", session == null ? null : session.csrfToken());
    return body;
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.writeString(body));
  }
}
