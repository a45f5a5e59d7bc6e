package dev.tollgate.gate.kafka;

import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Message;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes messages and completes only when the broker acknowledged them (acks=all, idempotent producer).
 * Delivery is bounded in time so an HTTP caller gets a 503 well within GitHub's 10 s, not a hang.
 */
public final class EventPublisher implements AutoCloseable {
  private final Vertx vertx;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaClientMetrics metrics;

  public EventPublisher(Vertx vertx, Map<String, Object> kafka, MeterRegistry meters) {
    this.vertx = vertx;
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "gate-publisher");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 6_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.metrics = new KafkaClientMetrics(producer);
    this.metrics.bindTo(meters);
  }

  /**
   * Publishes {@code message} keyed by its evaluation id. The future completes on the caller's Vert.x context
   * once the broker has the record, or fails when it could not be stored in time.
   */
  public Future<Void> publish(String topic, Message message) {
    return publish(topic, message.evaluationId(), message);
  }

  /** Publishes {@code message} under another key (deploy records are keyed by environment). */
  public Future<Void> publish(String topic, String key, Message message) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, Json.write(message));
    record.headers().add(HeaderNames.REQUEST_ID, message.requestId().getBytes(StandardCharsets.UTF_8));
    record.headers().add(HeaderNames.MESSAGE_TYPE, message.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8));
    io.opentelemetry.api.trace.Span span = Tracing.start("publish " + message.getClass().getSimpleName(),
        io.opentelemetry.api.trace.SpanKind.PRODUCER, message.evaluationId(), null);
    record.headers().add(HeaderNames.TRACEPARENT, Tracing.header(span, message.evaluationId()).getBytes(StandardCharsets.UTF_8));
    promise.future().onComplete(r -> {
      if (r.failed()) {
        span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, r.cause().getClass().getSimpleName());
      }
      span.end();
    });
    // send() may block up to max.block.ms while it looks up metadata of an unreachable cluster: not on the event loop.
    vertx.executeBlocking(() -> producer.send(record, (metadata, error) -> context.runOnContext(v -> {
      if (error == null) {
        promise.tryComplete();
      } else {
        promise.tryFail(error);
      }
    })), false).onFailure(promise::tryFail);
    return promise.future();
  }

  @Override
  public void close() {
    metrics.close();
    producer.close(Duration.ofSeconds(5));
  }
}
