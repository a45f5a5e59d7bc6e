package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.HeaderNames;
import dev.tollgate.contracts.TraceContext;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace per evaluation, across the hops: the request's publish, the aggregator's dispatch, the worker's probe,
 * the aggregator's verdict — linked through the {@code traceparent} header of each Kafka record, with the evaluation
 * id as the trace id.
 */
class TracingIT {
  @TempDir
  Path tmp;

  @AfterEach
  void reset() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void everyHopOfAnEvaluationIsOneTraceLinkedThroughKafkaHeaders() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build());
    String config = "tenants: [acme]\nenvironments: {staging: {probes: {pass: {}}}}\n";
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      JsonNode v = tollgate.api().evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"staging\",\"candidate\":\""
          + repo.head() + "\"}", 30).json();
      assertEquals("GO", v.path("verdict").path("decision").asText());
      String traceId = TraceContext.traceIdOf(v.path("id").asText());

      List<SpanData> trace = List.of();
      for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); System.nanoTime() < until; ) {
        trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        if (trace.stream().anyMatch(s -> s.getName().equals("aggregate probes.completed"))) {
          break;
        }
        Thread.sleep(50);
      }
      Map<String, SpanData> byName = trace.stream().collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
      assertTrue(byName.keySet().containsAll(List.of("publish EvaluationRequested", "aggregate evaluations.requested",
          "probe pass", "aggregate probes.completed")), byName.keySet().toString());
      assertEquals(byName.get("publish EvaluationRequested").getSpanId(),
          byName.get("aggregate evaluations.requested").getParentSpanId(), "the aggregator continues the gate's span");
      assertEquals(byName.get("aggregate evaluations.requested").getSpanId(), byName.get("probe pass").getParentSpanId(),
          "the worker continues the dispatch");
      assertEquals(byName.get("probe pass").getSpanId(), byName.get("aggregate probes.completed").getParentSpanId(),
          "the verdict continues the probe");

      List<ConsumerRecord<String, byte[]>> verdicts = DeadLetterIT.readAll(tollgate.topics().verdictsReached(), 1);
      String header = new String(verdicts.get(0).headers().lastHeader(HeaderNames.TRACEPARENT).value(), StandardCharsets.UTF_8);
      assertEquals(traceId, TraceContext.parse(header).orElseThrow().traceId());
    }
  }
}
