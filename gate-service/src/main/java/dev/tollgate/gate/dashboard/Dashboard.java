package dev.tollgate.gate.dashboard;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Sessions;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.delivery.DeliveryHistory;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the dashboard serves, built once per gate: pages and sign-in, static files, the live stream, the
 * environments, audit and delivery metrics API, rule docs and the OpenAPI document. {@link dev.tollgate.gate.http.ApiRouter} lists
 * their routes.
 */
public record Dashboard(DashboardPages pages, Assets assets, EvaluationEvents events, EnvironmentsHandler environments,
    AuditHandler audit, RuleDocs rules, OpenApi openApi, DeliveryHandler delivery) implements AutoCloseable {

  /** Sessions kept at most; beyond, the least recently used end (each holds a principal and two ids). */
  static final int MAX_SESSIONS = 10_000;
  /** A session unused this long ends (an open page's live stream does not count as use). */
  static final Duration SESSION_IDLE = Duration.ofHours(8);
  /** A session ends this long after sign-in, used or not. */
  static final Duration SESSION_LIFETIME = Duration.ofHours(24);
  /** Live streams one gate serves at once. */
  static final int MAX_STREAMS = 1_000;

  /**
   * Builds the dashboard and starts its live stream.
   *
   * @param calendar the environments' calendar, or null when none is wired in
   * @param delivery the delivery figures the Delivery page and its API show
   */
  public static Dashboard start(Vertx vertx, GateConfig config, EvaluationViews views, EnvironmentCalendar calendar,
      DeliveryHistory delivery, Clock clock, MeterRegistry meters) {
    Sessions sessions = new Sessions(MAX_SESSIONS, SESSION_IDLE, SESSION_LIFETIME, Ticker.systemTicker(), meters);
    EvaluationEvents events = new EvaluationEvents(vertx, views, sessions, MAX_STREAMS, meters);
    events.start();
    Assets assets = Assets.load();
    return new Dashboard(new DashboardPages(assets, config.tokens(), sessions, events), assets, events,
        new EnvironmentsHandler(vertx, config, views, calendar, clock), new AuditHandler(views), new RuleDocs(),
        OpenApi.load(), new DeliveryHandler(vertx, config, delivery));
  }

  /** The sign-in sessions (the API accepts their cookie). */
  public Sessions sessions() {
    return pages.sessions();
  }

  @Override
  public void close() {
    events.close();
  }
}
