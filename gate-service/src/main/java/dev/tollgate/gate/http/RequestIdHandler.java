package dev.tollgate.gate.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request a correlation id: the caller's {@code X-Request-Id} when it is well-formed, else a new
 * one. It is echoed in the response, put in every problem body and carried in every Kafka record it causes.
 */
public final class RequestIdHandler implements Handler<RoutingContext> {
  static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /**
   * Replaces the request's id with one the caller vouches for (a webhook's delivery id, STYLE §7), when it is
   * well-formed; the response header follows.
   */
  public static void use(RoutingContext ctx, String id) {
    if (id != null && SAFE.matcher(id).matches()) {
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
    }
  }

  /** The request's id (generated if the handler did not run). */
  public static String requestId(RoutingContext ctx) {
    String id = ctx.get(KEY);
    if (id == null) {
      id = UUID.randomUUID().toString();
      ctx.put(KEY, id);
    }
    return id;
  }
}
