package dev.tollgate.gate.dashboard;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.attestation.AttestationStore;
import dev.tollgate.gate.auth.RateLimiter;
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

  /** Sessions one principal (token) keeps at most; its next sign-in ends its oldest, never anyone else's. */
  static final int MAX_SESSIONS_PER_PRINCIPAL = 20;
  /** Sign-in attempts per client address: a burst of this many, then one a second. */
  static final int SIGNINS_PER_CLIENT = 60;
  /** Sign-ins per token: a burst of this many, then one every 6 seconds. */
  static final int SIGNINS_PER_TOKEN = 10;
  /** A session unused this long ends (an open page's live stream does not count as use). */
  static final Duration SESSION_IDLE = Duration.ofHours(8);
  /** A session ends this long after sign-in, used or not. */
  static final Duration SESSION_LIFETIME = Duration.ofHours(24);
  /** Live streams one gate serves at once. */
  static final int MAX_STREAMS = 1_000;

  /**
   * Builds the dashboard and starts its live stream.
   *
   * @param attestations the signed verdicts, whose digests the audit export names
   * @param calendar the environments' calendar, or null when none is wired in
   * @param delivery the delivery figures the Delivery page and its API show
   */
  public static Dashboard start(Vertx vertx, GateConfig config, EvaluationViews views, AttestationStore attestations,
      EnvironmentCalendar calendar, DeliveryHistory delivery, Clock clock, MeterRegistry meters) {
    // Every principal is a configured token, so per-principal caps bound the total; the total cap is only a backstop.
    int maxSessions = MAX_SESSIONS_PER_PRINCIPAL * Math.max(1, config.tokens().size());
    Sessions sessions = new Sessions(MAX_SESSIONS_PER_PRINCIPAL, maxSessions, SESSION_IDLE, SESSION_LIFETIME,
        Ticker.systemTicker(), meters);
    EvaluationEvents events = new EvaluationEvents(vertx, views, sessions, MAX_STREAMS, meters);
    events.start();
    Assets assets = Assets.load();
    RateLimiter perClient = new RateLimiter(SIGNINS_PER_CLIENT, Duration.ofSeconds(1), 100_000, Ticker.systemTicker());
    RateLimiter perToken = new RateLimiter(SIGNINS_PER_TOKEN, Duration.ofSeconds(6), 100_000, Ticker.systemTicker());
    return new Dashboard(new DashboardPages(assets, config.tokens(), sessions, events, perClient, perToken, meters), assets, events,
        new EnvironmentsHandler(vertx, config, views, calendar, clock), new AuditHandler(views, attestations), new RuleDocs(),
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
