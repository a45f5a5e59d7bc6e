package dev.tollgate.gate.dashboard;

import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.delivery.DeliveryHistory;
import dev.tollgate.gate.delivery.DeliveryReport;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/metrics/delivery?days=&tenant=&environment=&repository=&format=json|csv}: the delivery figures of
 * the last {@code days} UTC days per configured environment, of the caller's tenants only (every tenant's figures are
 * kept apart; a filter can only narrow them). {@code format=csv} exports the same figures as CSV, one figure per row,
 * cells a spreadsheet would run as formulas neutralised (a calendar or approver name is text people typed). The server
 * time is in the {@code Server-Timing} header.
 */
public final class DeliveryHandler {
  static final Set<String> PARAMS = Set.of("days", "tenant", "environment", "repository", "format");
  static final List<String> COLUMNS = List.of("environment", "period", "figure", "key", "value");

  private final Vertx vertx;
  private final GateConfig config;
  private final DeliveryHistory history;

  public DeliveryHandler(Vertx vertx, GateConfig config, DeliveryHistory history) {
    this.vertx = vertx;
    this.config = config;
    this.history = history;
  }

  /** {@code GET /api/v1/metrics/delivery}. */
  public void metrics(RoutingContext ctx) {
    long started = System.nanoTime();
    for (String name : ctx.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: " + new TreeSet<>(PARAMS) + ")");
        return;
      }
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    var q = ctx.queryParams();
    int days = 30;
    if (q.get("days") != null) {
      try {
        days = Integer.parseInt(q.get("days"));
      } catch (NumberFormatException e) {
        days = -1;
      }
      if (days < 1 || days > DeliveryHistory.MAX_DAYS) {
        Problem.badField(ctx, "days", "expected an integer from 1 to " + DeliveryHistory.MAX_DAYS);
        return;
      }
    }
    String tenant = blankToNull(q.get("tenant"));
    if (tenant != null && !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" may not read tenant \"" + tenant + "\"", "tenant");
      return;
    }
    Set<String> environments = new TreeSet<>(config.policy().environments().keySet());
    String environment = blankToNull(q.get("environment"));
    if (environment != null && !environments.contains(environment)) {
      Problem.badField(ctx, "environment", "not a configured environment; expected one of " + environments);
      return;
    }
    String repository = blankToNull(q.get("repository"));
    if (repository != null && repository.length() > 2000) {
      Problem.badField(ctx, "repository", "expected a repository URL or path of at most 2000 characters");
      return;
    }
    String format = q.get("format");
    if (format != null && !format.equals("csv") && !format.equals("json")) {
      Problem.badField(ctx, "format", "expected csv or json");
      return;
    }
    DeliveryHistory.Filter filter = new DeliveryHistory.Filter(principal::canAccess, tenant, environment,
        repository == null ? null : normalize(repository));
    int period = days;
    vertx.executeBlocking(() -> history.report(environments, filter, period), false).onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      String timing = String.format(Locale.ROOT, "metrics;dur=%.2f", (System.nanoTime() - started) / 1e6);
      ctx.response().putHeader("Server-Timing", timing);
      if (!"csv".equals(format)) {
        DashboardPages.json(ctx, 200, r.result());
        return;
      }
      ctx.response().setStatusCode(200).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"tollgate-delivery-" + period + "d.csv\"")
          .end(csv(r.result()));
    });
  }

  /** The report as CSV: {@code environment, period, figure, key, value}; a missing value is an empty cell. */
  static String csv(DeliveryReport report) {
    StringBuilder b = new StringBuilder(Csv.line(COLUMNS));
    String whole = report.from() + "/" + report.to();
    for (DeliveryReport.EnvironmentFigures f : report.environments()) {
      Rows rows = new Rows(b, f.environment());
      var d = f.deployments();
      rows.add(whole, "deploys", null, d.deploys());
      rows.add(whole, "failedDeploys", null, d.failedDeploys());
      rows.add(whole, "unfinishedDeploys", null, d.unfinished());
      rows.add(whole, "deploysPerDay", null, d.perDay());
      rows.add(whole, "deploysPerWeek", null, d.perWeek());
      var l = f.leadTime();
      rows.add(whole, "leadTimeCount", null, l.count());
      rows.add(whole, "leadTimeMedianSeconds", null, l.medianSeconds());
      rows.add(whole, "leadTimeP90Seconds", null, l.p90Seconds());
      rows.add(whole, "leadTimeLowerBounds", null, l.lowerBounds());
      rows.add(whole, "leadTimeUnknown", null, l.unknown());
      var c = f.changeFailures();
      rows.add(whole, "changeFailureDeploys", null, c.deploys());
      rows.add(whole, "changeFailures", null, c.failures());
      rows.add(whole, "changeFailureRate", null, c.rate());
      rows.add(whole, "changeFailuresFailedDeploys", null, c.failedDeploys());
      rows.add(whole, "changeFailuresRolledBack", null, c.rolledBack());
      rows.add(whole, "changeFailuresHotfixed", null, c.hotfixed());
      var t = f.timeToRestore();
      rows.add(whole, "timeToRestoreCount", null, t.count());
      rows.add(whole, "timeToRestoreMedianSeconds", null, t.medianSeconds());
      rows.add(whole, "timeToRestoreP90Seconds", null, t.p90Seconds());
      rows.add(whole, "openFailures", null, t.openFailures());
      var g = f.gate();
      rows.add(whole, "verdictsGo", null, g.go());
      rows.add(whole, "verdictsNoGo", null, g.noGo());
      rows.add(whole, "verdictsOverridden", null, g.overridden());
      rows.add(whole, "verdictsHeld", null, g.held());
      rows.add(whole, "heldNow", null, g.heldNow());
      g.probes().forEach(p -> rows.add(whole, "probeBlocked", p.probe(), p.blocked()));
      g.rules().forEach(x -> rows.add(whole, "ruleBlocked", x.ruleId(), x.blocked()));
      rows.add(whole, "holds", null, g.holds().count());
      rows.add(whole, "heldSeconds", null, g.holds().seconds());
      g.holds().calendars().forEach(w -> rows.add(whole, "calendarHeldSeconds", w.calendar(), w.seconds()));
      rows.add(whole, "overrideVotes", null, g.overrides().votes());
      g.overrides().approvers().forEach(a -> rows.add(whole, "approverVotes", a.approver(), a.votes()));
      for (DeliveryReport.Day day : f.daily()) {
        String p = day.date().toString();
        rows.add(p, "deploys", null, day.deploys());
        rows.add(p, "failedDeploys", null, day.failedDeploys());
        rows.add(p, "changeFailures", null, day.changeFailures());
        rows.add(p, "verdictsGo", null, day.go());
        rows.add(p, "verdictsNoGo", null, day.noGo());
        rows.add(p, "verdictsOverridden", null, day.overridden());
        rows.add(p, "verdictsHeld", null, day.held());
      }
      for (DeliveryReport.Week w : f.weekly()) {
        String p = w.week();
        rows.add(p, "deploys", null, w.deploys());
        rows.add(p, "changeFailureRate", null, w.changeFailureRate());
        rows.add(p, "leadTimeMedianSeconds", null, w.leadTimeMedianSeconds());
        rows.add(p, "timeToRestoreMedianSeconds", null, w.timeToRestoreMedianSeconds());
      }
    }
    return b.toString();
  }

  /** Appends the rows of one environment. */
  private record Rows(StringBuilder out, String environment) {
    void add(String period, String figure, String key, Object value) {
      out.append(Csv.line(Arrays.asList(environment, period, figure, key, value == null ? null : number(value))));
    }

    private static String number(Object value) {
      if (value instanceof Double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%.4f", d);
      }
      return value.toString();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** The repository as the records spell it (a filter given as typed must find them). */
  private static String normalize(String repository) {
    try {
      return RepositoryLocation.parse(repository).value();
    } catch (IllegalArgumentException e) {
      return repository;
    }
  }
}
