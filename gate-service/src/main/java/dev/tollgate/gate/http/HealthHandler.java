package dev.tollgate.gate.http;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} and {@code /health/ready}. Ready means: this instance can accept and answer requests now
 * (Kafka answered recently, the views are caught up, the aggregator runs, and whatever else the launcher adds).
 */
public final class HealthHandler {
  private final Map<String, BooleanSupplier> live;
  private final Map<String, BooleanSupplier> ready;

  /** @param live checks that, when false, mean the process should be restarted */
  public HealthHandler(Map<String, BooleanSupplier> live, Map<String, BooleanSupplier> ready) {
    this.live = Map.copyOf(live);
    this.ready = Map.copyOf(ready);
  }

  public void live(RoutingContext ctx) {
    respond(ctx, live);
  }

  public void ready(RoutingContext ctx) {
    respond(ctx, ready);
  }

  private static void respond(RoutingContext ctx, Map<String, BooleanSupplier> checks) {
    Map<String, String> results = new LinkedHashMap<>();
    boolean up = true;
    for (var e : new java.util.TreeMap<>(checks).entrySet()) {
      boolean ok;
      try {
        ok = e.getValue().getAsBoolean();
      } catch (RuntimeException ex) {
        ok = false;
      }
      results.put(e.getKey(), ok ? "UP" : "DOWN");
      up &= ok;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "DOWN");
    body.put("checks", results);
    EvaluationsHandler.json(ctx, up ? 200 : 503, body);
  }
}
