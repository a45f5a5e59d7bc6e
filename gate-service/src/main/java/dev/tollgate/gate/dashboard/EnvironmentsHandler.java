package dev.tollgate.gate.dashboard;

import dev.tollgate.contracts.history.DeployRecord;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.http.BearerAuthHandler;
import dev.tollgate.gate.http.Problem;
import dev.tollgate.gate.view.EnvironmentDeploys;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /api/v1/environments}: per configured environment, what runs there now (per repository, since when),
 * the last verdicts, and the calendar: allowed now or frozen, by what, and the next allowed time.
 * {@code GET /api/v1/environments/{name}/calendar?days=30}: the blocking windows of the coming days, per region.
 *
 * <p>Deploys and verdicts are scoped to the caller's tenants. The calendar is the server's (operators' freezes and
 * holidays, the same for every tenant); a repository's {@code .tollgate.yml} may add windows that show only in its
 * evaluations.
 */
public final class EnvironmentsHandler {
  static final int LAST_VERDICTS = 5;
  static final int MAX_DAYS = 90;

  private final Vertx vertx;
  private final GateConfig config;
  private final EvaluationViews views;
  private final EnvironmentCalendar calendar;
  private final Clock clock;

  /** @param calendar the environments' calendar, or null when this gate has none (no calendar is shown) */
  public EnvironmentsHandler(Vertx vertx, GateConfig config, EvaluationViews views, EnvironmentCalendar calendar, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.views = views;
    this.calendar = calendar;
    this.clock = clock;
  }

  /** {@code GET /api/v1/environments[?tenant=]}. */
  public void list(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("tenant")) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: [tenant])");
        return;
      }
    }
    Principal principal = BearerAuthHandler.principal(ctx);
    String tenant = ctx.queryParams().get("tenant");
    if (tenant != null && !principal.canAccess(tenant)) {
      Problem.send(ctx, 403, "Forbidden", "token \"" + principal.name() + "\" may not read tenant \"" + tenant + "\"", "tenant");
      return;
    }
    Instant now = clock.instant();
    Set<String> names = new TreeSet<>(config.policy().environments().keySet());
    List<EnvironmentDeploys> deploys = views.deployments().stream()
        .filter(d -> principal.canAccess(d.tenant()) && (tenant == null || tenant.equals(d.tenant()))).toList();
    // The calendar may read a feed over the network: off the event loop.
    vertx.executeBlocking(() -> {
      Map<String, Object> calendars = new TreeMap<>();
      for (String env : names) {
        calendars.put(env, decision(env, now));
      }
      return calendars;
    }, false).onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      List<Map<String, Object>> out = new ArrayList<>();
      for (String env : names) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", env);
        e.put("calendar", r.result().get(env));
        e.put("deployed", deployed(deploys, env));
        e.put("lastVerdicts", views.list(EvaluationViews.Query.environment(tenant, env), v -> v.verdict() != null
            && principal.canAccess(v.tenant()) && (tenant == null || tenant.equals(v.tenant())), LAST_VERDICTS)
            .stream().map(EnvironmentsHandler::verdictSummary).toList());
        out.add(e);
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("at", now);
      body.put("environments", out);
      DashboardPages.json(ctx, 200, body);
    });
  }

  private Map<String, Object> decision(String env, Instant now) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (calendar == null) {
      c.put("configured", false);
      return c;
    }
    c.put("configured", true);
    try {
      EnvironmentCalendar.Decision d = calendar.decision(env, now);
      c.put("allowed", d.allowed());
      c.put("blocking", d.blocking());
      c.put("nextAllowed", d.nextAllowed());
    } catch (IllegalArgumentException e) {
      // Shown, not hidden: the probe fails closed on the same policy, so every deploy here is blocked.
      c.put("allowed", false);
      c.put("blocking", List.of());
      c.put("nextAllowed", null);
      c.put("error", e.getMessage());
    }
    return c;
  }

  private static List<Map<String, Object>> deployed(List<EnvironmentDeploys> deploys, String env) {
    List<Map<String, Object>> out = new ArrayList<>();
    deploys.stream().filter(d -> d.environment().equals(env))
        .sorted(Comparator.comparing(EnvironmentDeploys::tenant).thenComparing(EnvironmentDeploys::repository))
        .forEach(d -> d.current().ifPresent(current -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("tenant", d.tenant());
          m.put("repository", d.repository());
          m.put("commit", current.commit());
          m.put("since", since(current));
          m.put("deploymentId", current.deploymentId());
          DeployRecord latest = d.deploys().get(0);
          if (latest != current) {
            m.put("latestAttempt", Map.of("commit", latest.commit(), "status", latest.status().name()));
          }
          out.add(m);
        }));
    return out;
  }

  private static Instant since(DeployRecord r) {
    return r.finishedAt() != null ? r.finishedAt() : r.startedAt();
  }

  static Map<String, Object> verdictSummary(EvaluationView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", v.id());
    m.put("tenant", v.tenant());
    m.put("repository", v.repository());
    m.put("candidate", v.candidate());
    m.put("decision", v.verdict().decision());
    m.put("held", v.verdict().held());
    m.put("decidedAt", v.verdict().decidedAt());
    return m;
  }

  /** {@code GET /api/v1/environments/:name/calendar[?days=30]}. */
  public void calendar(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("days")) {
        Problem.badField(ctx, name, "unknown query parameter \"" + name + "\" (expected: [days])");
        return;
      }
    }
    String env = ctx.pathParam("name");
    if (config.policy().environment(env).isEmpty()) {
      Problem.send(ctx, 404, "Not found", "no environment " + (env.matches("[A-Za-z0-9._-]{1,64}") ? env : "with that name")
          + " is configured");
      return;
    }
    int days = 30;
    String daysText = ctx.queryParams().get("days");
    if (daysText != null) {
      try {
        days = Integer.parseInt(daysText);
      } catch (NumberFormatException e) {
        days = -1;
      }
      if (days < 1 || days > MAX_DAYS) {
        Problem.badField(ctx, "days", "expected an integer from 1 to " + MAX_DAYS);
        return;
      }
    }
    // Whole UTC days from today, so the page can draw a day grid.
    Instant from = clock.instant().truncatedTo(ChronoUnit.DAYS);
    Duration span = Duration.ofDays(days);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("environment", env);
    body.put("from", from);
    body.put("to", from.plus(span));
    if (calendar == null) {
      body.put("configured", false);
      body.put("regions", List.of());
      DashboardPages.json(ctx, 200, body);
      return;
    }
    vertx.executeBlocking(() -> calendar.upcoming(env, from, span), false).onComplete(r -> {
      body.put("configured", true);
      if (r.failed()) {
        if (!(r.cause() instanceof IllegalArgumentException)) {
          ctx.fail(r.cause());
          return;
        }
        body.put("error", r.cause().getMessage());
        body.put("regions", List.of());
      } else {
        Map<String, List<EnvironmentCalendar.Window>> byRegion = new TreeMap<>(
            Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        for (EnvironmentCalendar.Window w : r.result()) {
          byRegion.computeIfAbsent(w.region(), k -> new ArrayList<>()).add(w);
        }
        List<Map<String, Object>> regions = new ArrayList<>();
        byRegion.forEach((region, windows) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("region", region);
          m.put("windows", windows);
          regions.add(m);
        });
        body.put("regions", regions);
      }
      DashboardPages.json(ctx, 200, body);
    });
  }
}
