package dev.tollgate.gate;

import dev.tollgate.gate.evaluation.EvaluationSubmitter;
import dev.tollgate.gate.http.ApiRouter;
import dev.tollgate.gate.http.DeploymentsHandler;
import dev.tollgate.gate.http.EvaluationsHandler;
import dev.tollgate.gate.http.HealthHandler;
import dev.tollgate.gate.http.HttpVerticle;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.kafka.KafkaHealth;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.gate.verdict.VerdictService;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the gate: topics, publisher, evaluation views, the verdict aggregator and the HTTP server,
 * in that order (vertx-in-action's {@code Main}).
 */
public final class GateService {
  private static final Logger log = LoggerFactory.getLogger(GateService.class);

  private final Vertx vertx;
  private final EventPublisher publisher;
  private final KafkaHealth health;
  private final EvaluationViews views;
  private final VerdictService verdicts;
  private String deploymentId;
  private HttpVerticle http;

  private GateService(Vertx vertx, EventPublisher publisher, KafkaHealth health, EvaluationViews views, VerdictService verdicts) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.health = health;
    this.views = views;
    this.verdicts = verdicts;
  }

  /**
   * Starts the gate.
   *
   * @param topicSetup creates missing topics first; null when they are managed elsewhere (e.g. Strimzi)
   * @param extraReady readiness checks added by the launcher (e.g. the embedded workers)
   */
  public static Future<GateService> start(Vertx vertx, GateConfig config, Map<String, Object> kafka, TopicSetup topicSetup,
      Clock clock, PrometheusMeterRegistry meters, Map<String, BooleanSupplier> extraReady) {
    return vertx.executeBlocking(() -> {
      if (topicSetup != null) {
        topicSetup.ensure(kafka);
      }
      EventPublisher publisher = new EventPublisher(vertx, kafka, meters);
      KafkaHealth health = new KafkaHealth(kafka, clock);
      EvaluationViews views = new EvaluationViews(config.topics(), kafka, config.maxViewEvaluations(), meters);
      VerdictService verdicts = new VerdictService(config.topics(), config.policy(), config.applicationId(),
          config.streamThreads(), config.stateDir(), kafka, clock, meters);
      views.start();
      verdicts.start();
      return new GateService(vertx, publisher, health, views, verdicts);
    }).compose(gate -> {
      Map<String, BooleanSupplier> ready = new LinkedHashMap<>(extraReady);
      ready.put("kafka", gate.health::reachable);
      ready.put("views", gate.views::caughtUp);
      ready.put("aggregator", gate.verdicts::isRunning);
      Map<String, BooleanSupplier> live = Map.of("views", () -> !gate.views.caughtUp() || gate.views.isRunning(),
          "aggregator", () -> !gate.verdicts.state().equals("ERROR") && !gate.verdicts.state().equals("NOT_RUNNING"));
      HealthHandler healthHandler = new HealthHandler(live, ready);
      EvaluationSubmitter submitter = new EvaluationSubmitter(config.topics().evaluationsRequested(), gate.publisher,
          gate.views, clock, meters);
      EvaluationsHandler evaluations = new EvaluationsHandler(vertx, config, submitter, gate.views);
      DeploymentsHandler deployments = new DeploymentsHandler(config, gate.publisher, gate.views, clock);
      gate.http = new HttpVerticle(config.httpHost(), config.httpPort(),
          v -> ApiRouter.create(v, config, evaluations, deployments, healthHandler, meters));
      return vertx.deployVerticle(gate.http).map(id -> {
        gate.deploymentId = id;
        log.atInfo().addKeyValue("event", "gate.started").addKeyValue("port", gate.http.actualPort())
            .log("gate listening on port {}", gate.http.actualPort());
        return gate;
      });
    });
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return http.actualPort();
  }

  /** The evaluation views (the CLI and tests read them directly). */
  public EvaluationViews views() {
    return views;
  }

  /** True when Kafka answers, the views caught up and the aggregator runs. */
  public boolean ready() {
    return health.reachable() && views.caughtUp() && verdicts.isRunning();
  }

  /** Stops the HTTP server first (no new requests), then the Kafka parts. */
  public Future<Void> stop() {
    Future<Void> undeploy = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    return undeploy.recover(e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
      verdicts.close();
      views.close();
      health.close();
      publisher.close();
      return null;
    }));
  }
}
