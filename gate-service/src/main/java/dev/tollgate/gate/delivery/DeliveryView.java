package dev.tollgate.gate.delivery;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.kafka.TopicReplay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link DeliveryHistory} current from the topics, like the evaluation views: one thread of its own that
 * reads every partition of the result, verdict, deployment and override topics from the beginning (assigned, not in a
 * group: every gate needs everything), so the figures are rebuilt at every start and any gate answers. Its own thread
 * so that the evaluation views, on which verdicts and long polls wait, never wait for it. It does not read the request
 * and check topics (their deploy histories are the largest records), and is not part of readiness: the figures are
 * for people, and a report says when they are still partial ({@code caughtUp}).
 *
 * <p>Publishes the four keys of each configured environment over the last 30 days, all tenants and repositories
 * together, as Prometheus gauges labelled {@code environment} only (see {@code docs/delivery-metrics.md}).
 */
public final class DeliveryView implements AutoCloseable {
  /** The period of the Prometheus gauges. */
  public static final int GAUGE_DAYS = 30;
  private static final Logger log = LoggerFactory.getLogger(DeliveryView.class);

  private final Topics topics;
  private final Map<String, Object> kafka;
  private final DeliveryHistory history;
  private final Clock clock;
  private final Counter unreadable;
  private final Counter read;
  private final Map<String, Cached> gauges = new ConcurrentHashMap<>();
  private final TopicReplay replay;

  /** The figures a scrape reads, computed once per environment per second (one scrape reads several gauges). */
  private record Cached(Instant at, DeliveryReport.EnvironmentFigures figures) {}

  /**
   * @param environments the configured environments: the gauges' only label values (bounded by the configuration)
   */
  public DeliveryView(Topics topics, Map<String, Object> kafka, DeliveryHistory history, Collection<String> environments,
      Clock clock, MeterRegistry meters) {
    this.topics = topics;
    this.kafka = Map.copyOf(kafka);
    this.history = history;
    this.clock = clock;
    this.unreadable = Counter.builder("tollgate.delivery.unreadable")
        .description("Records the delivery metrics view could not read").register(meters);
    this.read = Counter.builder("tollgate.delivery.records").description("Records the delivery metrics view applied")
        .register(meters);
    for (String env : new TreeSet<>(environments)) {
      gauge(meters, "tollgate.delivery.deployments.per.day", env, null, null,
          "Successful deploys per day over the last 30 days (all tenants and repositories)", f -> f.deployments().perDay());
      gauge(meters, "tollgate.delivery.lead.time", env, "0.5", "seconds",
          "Lead time for changes over the last 30 days, median", f -> nan(f.leadTime().medianSeconds()));
      gauge(meters, "tollgate.delivery.lead.time", env, "0.9", "seconds",
          "Lead time for changes over the last 30 days, 90th percentile", f -> nan(f.leadTime().p90Seconds()));
      gauge(meters, "tollgate.delivery.change.failure", env, null, "ratio",
          "Failed changes / deploys over the last 30 days", f -> nan(f.changeFailures().rate()));
      gauge(meters, "tollgate.delivery.time.to.restore", env, "0.5", "seconds",
          "Time to restore over the last 30 days, median", f -> nan(f.timeToRestore().medianSeconds()));
      gauge(meters, "tollgate.delivery.time.to.restore", env, "0.9", "seconds",
          "Time to restore over the last 30 days, 90th percentile", f -> nan(f.timeToRestore().p90Seconds()));
    }
    // Delivery figures are read by people and scrapers, never by a request waiting on its verdict: batched fetches.
    this.replay = new TopicReplay(TopicReplay.batched(this.kafka), "gate-delivery-view", List.of(topics.probesCompleted(),
        topics.verdictsReached(), topics.deploymentsRecorded(), topics.overridesRecorded()), this::apply, done -> {
          history.caughtUp();
          log.atInfo().addKeyValue("event", "delivery.caught-up").addKeyValue("records", done.records())
              .addKeyValue("durationMs", done.durationMs()).log("delivery metrics rebuilt from Kafka");
        });
  }

  private void gauge(MeterRegistry meters, String name, String env, String quantile, String unit, String description,
      ToDoubleFunction<DeliveryReport.EnvironmentFigures> value) {
    Gauge.Builder<DeliveryView> b = Gauge.builder(name, this, v -> value.applyAsDouble(v.figures(env)))
        .description(description).tag("environment", env);
    if (unit != null) {
      b.baseUnit(unit);
    }
    if (quantile != null) {
      b.tag("quantile", quantile);
    }
    b.register(meters);
  }

  private DeliveryReport.EnvironmentFigures figures(String env) {
    Instant now = clock.instant();
    Cached c = gauges.get(env);
    if (c == null || Duration.between(c.at(), now).compareTo(Duration.ofSeconds(1)) > 0) {
      c = new Cached(now, history.report(List.of(env), DeliveryHistory.Filter.all(env), GAUGE_DAYS).environments().get(0));
      gauges.put(env, c);
    }
    return c.figures();
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }

  /** The figures (reports are read from here). */
  public DeliveryHistory history() {
    return history;
  }

  /** True once everything on the topics at start has been read. */
  public boolean caughtUp() {
    return replay.caughtUp();
  }

  /** Reads the topics from the beginning, then follows them. */
  public void start() {
    replay.start();
  }

  /** Applies one record of the topics read (tests feed records without a broker). */
  void apply(ConsumerRecord<String, byte[]> record) {
    read.increment();
    try {
      String topic = record.topic();
      if (topic.equals(topics.deploymentsRecorded())) {
        history.onDeployment(Json.readRetained(record.value(), DeploymentRecorded.class));
      } else if (topic.equals(topics.probesCompleted())) {
        history.onResult(Json.readRetained(record.value(), ProbeCompleted.class));
      } else if (topic.equals(topics.verdictsReached())) {
        history.onVerdict(Json.readRetained(record.value(), VerdictReached.class));
      } else if (topic.equals(topics.overridesRecorded())) {
        history.onOverride(Json.readRetained(record.value(), OverrideRecorded.class));
      }
    } catch (Json.MalformedMessageException e) {
      // The aggregator and the workers dead-letter unreadable records; the figures only skip them.
      unreadable.increment();
    }
  }

  /** True while the view reads Kafka (it polls at least every 200 ms). */
  public boolean isRunning() {
    return replay.isRunning();
  }

  @Override
  public void close() {
    replay.close();
  }
}
