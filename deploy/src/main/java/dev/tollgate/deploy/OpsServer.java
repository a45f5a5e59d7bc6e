package dev.tollgate.deploy;

import dev.tollgate.contracts.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Health and metrics for a worker-only process ({@code --role worker}): the gate serves these itself. */
final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  static OpsServer start(Vertx vertx, String host, int port, PrometheusMeterRegistry meters, Map<String, BooleanSupplier> ready)
      throws Exception {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end("{\"status\":\"UP\"}"));
    router.get("/health/ready").handler(ctx -> {
      Map<String, String> checks = new TreeMap<>();
      ready.forEach((k, v) -> checks.put(k, v.getAsBoolean() ? "UP" : "DOWN"));
      boolean up = !checks.containsValue("DOWN");
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(Json.writeString(Map.of("status", up ? "UP" : "DOWN", "checks", checks)));
    });
    router.get("/metrics").handler(PrometheusScrapingHandler.create(meters));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, host).await(10, TimeUnit.SECONDS);
    return new OpsServer(server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
