package dev.tollgate.gate.http;

import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.auth.Sessions;
import dev.tollgate.gate.auth.Tokens;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires {@code Authorization: Bearer <token>} with at least {@code role}; puts the principal in the context.
 * Without an Authorization header, a dashboard session cookie is accepted instead (the pages call the same API);
 * then a state-changing request must also carry the session's CSRF token and come from our own origin, because a
 * browser attaches cookies to requests that other sites trigger.
 */
public final class BearerAuthHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(BearerAuthHandler.class);
  private static final String KEY = "principal";
  private final Tokens tokens;
  private final Role role;
  private final Sessions sessions;

  public BearerAuthHandler(Tokens tokens, Role role) {
    this(tokens, role, null);
  }

  /** @param sessions the dashboard's sessions, or null to accept bearer tokens only */
  public BearerAuthHandler(Tokens tokens, Role role, Sessions sessions) {
    this.tokens = tokens;
    this.role = role;
    this.sessions = sessions;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null && sessions != null && SessionCookie.id(ctx).isPresent()) {
      bySession(ctx);
      return;
    }
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tollgate\"");
      Problem.send(ctx, 401, "Unauthorized", "send Authorization: Bearer <token>");
      return;
    }
    var principal = tokens.authenticate(header.substring(7).strip());
    if (principal.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tollgate\", error=\"invalid_token\"");
      Problem.send(ctx, 401, "Unauthorized", "the token is not valid");
      return;
    }
    authorize(ctx, principal.get());
  }

  private void bySession(RoutingContext ctx) {
    Optional<Sessions.Session> session = SessionCookie.session(ctx, sessions);
    if (session.isEmpty()) {
      Problem.send(ctx, 401, "Unauthorized", "the session has ended; sign in again");
      return;
    }
    HttpMethod m = ctx.request().method();
    boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    if (!safe && (!SessionCookie.sameOrigin(ctx)
        || !session.get().csrfMatches(ctx.request().getHeader(SessionCookie.CSRF_HEADER)))) {
      // Never says which check failed or what the token is; the log names the principal for the investigation.
      log.atWarn().addKeyValue("event", "csrf.refused").addKeyValue("requestId", RequestIdHandler.requestId(ctx))
          .addKeyValue("principal", session.get().principal().name())
          .log("refused {} {}: missing or invalid CSRF token or foreign origin", m, ctx.request().path());
      Problem.send(ctx, 403, "Forbidden", "missing or invalid CSRF token; reload the page and try again");
      return;
    }
    authorize(ctx, session.get().principal());
  }

  private void authorize(RoutingContext ctx, Principal principal) {
    if (!principal.role().includes(role)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" has role "
          + principal.role().name().toLowerCase(java.util.Locale.ROOT) + "; this needs "
          + role.name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    ctx.put(KEY, principal);
    ctx.next();
  }

  /** The authenticated caller. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
