package dev.tollgate.gate.http;

import dev.tollgate.gate.auth.Sessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Optional;

/**
 * The dashboard's session cookie and the checks that make cookie-authenticated requests safe: the cookie is
 * {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the browser reached us over TLS, and a
 * state-changing request must carry the session's CSRF token and, when the browser names one, our own origin.
 */
public final class SessionCookie {
  /** The cookie's name. */
  public static final String NAME = "tollgate_session";
  /** The header the page sends the CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private SessionCookie() {}

  /** The session id the browser sent, if any. */
  public static Optional<String> id(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(NAME);
    return c == null ? Optional.empty() : Optional.of(c.getValue());
  }

  /** The live session of this request, if any. */
  public static Optional<Sessions.Session> session(RoutingContext ctx, Sessions sessions) {
    return sessions == null ? Optional.empty() : id(ctx).flatMap(sessions::find);
  }

  /** Sets the cookie for a new session (no Max-Age: it ends with the browser, or earlier on the server). */
  public static void set(RoutingContext ctx, Sessions.Session session) {
    ctx.response().addCookie(Cookie.cookie(NAME, session.id()).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(overTls(ctx)));
  }

  /** Tells the browser to drop the cookie. */
  public static void clear(RoutingContext ctx) {
    ctx.response().addCookie(Cookie.cookie(NAME, "").setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(overTls(ctx)).setMaxAge(0));
  }

  /**
   * True when the browser reached us over TLS: directly, or through a proxy that says so. Trusting the proxy
   * header is safe here: it can only make the cookie stricter.
   */
  static boolean overTls(RoutingContext ctx) {
    return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
  }

  /**
   * True unless the browser says the request comes from another site: {@code Sec-Fetch-Site: cross-site} or
   * {@code same-site}, or an {@code Origin} whose host differs from the {@code Host} it was sent to. A request
   * without either header (not from a browser, or an old one) passes; the CSRF token still protects it.
   */
  public static boolean sameOrigin(RoutingContext ctx) {
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return false;
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    // The authority the request was sent to: the Host header in HTTP/1.1, :authority in HTTP/2.
    HostAndPort target = ctx.request().authority();
    try {
      URI uri = URI.create(origin);
      if (target == null || uri.getHost() == null || !uri.getHost().equalsIgnoreCase(target.host())) {
        return false;
      }
      int originPort = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      // No port in Host: the scheme's default, whichever the browser used (a TLS proxy may sit in front).
      return target.port() == -1 ? originPort == 80 || originPort == 443 : originPort == target.port();
    } catch (IllegalArgumentException e) {
      return false; // "null" and other opaque origins
    }
  }
}
