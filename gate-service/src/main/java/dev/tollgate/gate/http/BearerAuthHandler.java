package dev.tollgate.gate.http;

import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.auth.Tokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Requires {@code Authorization: Bearer <token>} with at least {@code role}; puts the principal in the context. */
public final class BearerAuthHandler implements Handler<RoutingContext> {
  private static final String KEY = "principal";
  private final Tokens tokens;
  private final Role role;

  public BearerAuthHandler(Tokens tokens, Role role) {
    this.tokens = tokens;
    this.role = role;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
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
    if (!principal.get().role().includes(role)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.get().name() + "\" has role "
          + principal.get().role().name().toLowerCase(java.util.Locale.ROOT) + "; this needs "
          + role.name().toLowerCase(java.util.Locale.ROOT));
      return;
    }
    ctx.put(KEY, principal.get());
    ctx.next();
  }

  /** The authenticated caller. */
  public static Principal principal(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
