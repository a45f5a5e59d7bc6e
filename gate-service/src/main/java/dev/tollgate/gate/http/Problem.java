package dev.tollgate.gate.http;

import dev.tollgate.contracts.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error shape (RFC 9457 problem+json): {@code type}, {@code title}, {@code status}, {@code detail},
 * {@code requestId}, and {@code field} when one input field is at fault. Never a stack trace, never the input.
 */
public final class Problem {
  private Problem() {}

  /** Ends the response with a problem. */
  public static void send(RoutingContext ctx, int status, String title, String detail) {
    send(ctx, status, title, detail, null);
  }

  /** Ends the response with a problem about one field. */
  public static void send(RoutingContext ctx, int status, String title, String detail, String field) {
    if (ctx.response().ended()) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://tollgate.dev/problems/" + slug(title));
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (field != null) {
      body.put("field", field);
    }
    body.put("requestId", RequestIdHandler.requestId(ctx));
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(Json.writeString(body));
  }

  /** A field that is missing or malformed: 400. */
  public static void badField(RoutingContext ctx, String field, String detail) {
    send(ctx, 400, "Invalid request", detail, field);
  }

  private static String slug(String title) {
    return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
