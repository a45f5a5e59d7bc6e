package dev.tollgate.gate.dashboard;

import dev.tollgate.contracts.Json;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Sessions;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.http.SessionCookie;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/events}: Server-Sent Events, one {@code evaluation} event (the API's evaluation JSON) each time
 * an evaluation the caller may see changes. Optional {@code ?evaluation=<id>} narrows the stream to one evaluation,
 * {@code ?tenant=} to one tenant. The stream carries no history: a page opens it, then loads the list, so nothing
 * is missed in between (and does so again after a reconnect).
 *
 * <p>An event is serialized once and written to every stream whose principal may read its tenant. A stream whose
 * browser does not keep up (write queue full) is closed; the browser reconnects and reloads. A stream opened with
 * a session closes when the session ends.
 */
public final class EvaluationEvents implements AutoCloseable {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final EvaluationViews views;
  private final Sessions sessions;
  private final int maxStreams;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private Runnable unlisten;
  private long heartbeat = -1;

  /** One open stream. */
  private record Stream(HttpServerResponse response, Context context, Principal principal, String tenant,
      String evaluation, String sessionId) {
    boolean wants(EvaluationView v) {
      return principal.canAccess(v.tenant()) && (tenant == null || tenant.equals(v.tenant()))
          && (evaluation == null || evaluation.equals(v.id()));
    }
  }

  /** @param maxStreams open streams allowed at once in this gate; more are refused with 503 */
  public EvaluationEvents(Vertx vertx, EvaluationViews views, Sessions sessions, int maxStreams, MeterRegistry meters) {
    this.vertx = vertx;
    this.views = views;
    this.sessions = sessions;
    this.maxStreams = maxStreams;
    Gauge.builder("tollgate.dashboard.streams", streams, Set::size).description("Open live-update streams")
        .register(meters);
  }

  /** Subscribes to the views and starts the heartbeat. */
  public synchronized void start() {
    unlisten = views.listenAll(this::publish);
    heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> heartbeat());
  }

  /** Called on the views thread: serialize once, hand the text to each interested stream's own context. */
  private void publish(EvaluationView view) {
    if (streams.isEmpty()) {
      return;
    }
    String event = null;
    for (Stream s : streams) {
      if (s.wants(view)) {
        if (event == null) {
          event = "event: evaluation\nid: " + view.id() + "\ndata: " + Json.writeString(view) + "\n\n";
        }
        String text = event;
        s.context().runOnContext(v -> write(s, text));
      }
    }
  }

  private void write(Stream s, String text) {
    if (!streams.contains(s)) {
      return;
    }
    if (s.response().writeQueueFull()) {
      close(s); // a browser this far behind reloads faster than it catches up
      return;
    }
    s.response().write(text);
  }

  private void heartbeat() {
    for (Stream s : streams) {
      s.context().runOnContext(v -> {
        if (s.sessionId() != null && !sessions.isLive(s.sessionId())) {
          close(s);
        } else {
          write(s, ": keep-alive\n\n");
        }
      });
    }
  }

  private void close(Stream s) {
    if (streams.remove(s)) {
      s.response().reset();
    }
  }

  /** {@code GET /api/v1/events}. */
  public void stream(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("evaluation") && !name.equals("tenant")) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: [evaluation, tenant])");
        return;
      }
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String evaluation = ctx.queryParams().get("evaluation");
    if (evaluation != null && !ID.matcher(evaluation).matches()) {
      Problem.badField(ctx, "evaluation", "expected an evaluation id");
      return;
    }
    String tenant = ctx.queryParams().get("tenant");
    if (tenant != null && !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" may not read tenant \"" + tenant + "\"", "tenant");
      return;
    }
    if (streams.size() >= maxStreams) {
      ctx.response().putHeader("Retry-After", "30");
      Problem.send(ctx, 503, "Too many streams", "this gate serves " + maxStreams + " live streams at most; retry later");
      return;
    }
    String sessionId = ctx.request().getHeader("Authorization") == null ? SessionCookie.id(ctx).orElse(null) : null;
    HttpServerResponse response = ctx.response();
    // identity: the response must not be compressed, or the compressor may hold events back.
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Content-Encoding", "identity").putHeader("X-Accel-Buffering", "no");
    Stream s = new Stream(response, vertx.getOrCreateContext(), principal, tenant, evaluation, sessionId);
    streams.add(s);
    response.closeHandler(v -> streams.remove(s));
    response.exceptionHandler(e -> streams.remove(s));
    response.write("retry: 3000\n: connected\n\n");
  }

  /** Closes at once every stream opened with this session (sign-out); expiry is noticed at the next heartbeat. */
  public void endSession(String sessionId) {
    for (Stream s : streams) {
      if (sessionId.equals(s.sessionId())) {
        s.context().runOnContext(v -> close(s));
      }
    }
  }

  /** Open streams (tests, metrics). */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public synchronized void close() {
    if (unlisten != null) {
      unlisten.run();
    }
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    for (Stream s : streams) {
      s.context().runOnContext(v -> close(s));
    }
  }
}
