package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.util.Set;

/**
 * Tracing is off unless configured: {@code tracing: {otlpEndpoint: http://collector:4318}} in tollgate.yml, or the
 * standard {@code OTEL_EXPORTER_OTLP_ENDPOINT}. Then spans of every hop (publish, aggregate, probe) are exported over
 * OTLP/HTTP; without it the code's spans are no-ops and only the {@code traceparent} headers travel.
 */
final class TracingSetup {
  private static final Set<String> KEYS = Set.of("otlpEndpoint", "serviceName");

  private TracingSetup() {}

  /** The endpoint to export to, or null when tracing is off; validates the section. */
  static String endpoint(JsonNode section, String fromEnvironment) {
    ConfigKeys.requireKnown(section, KEYS, "tracing");
    String endpoint = section.path("otlpEndpoint").isMissingNode() ? fromEnvironment : section.path("otlpEndpoint").asText();
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    URI uri = URI.create(endpoint.strip());
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("tracing.otlpEndpoint: expected an http(s) URL like http://collector:4318, got \""
          + endpoint + "\"");
    }
    return endpoint.strip().replaceAll("/+$", "");
  }

  /** Installs the SDK as the global OpenTelemetry; returns it so the launcher can flush and close it. */
  static OpenTelemetrySdk install(String endpoint, String serviceName) {
    SdkTracerProvider tracer = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName))))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").build())
            .build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracer).build();
    GlobalOpenTelemetry.set(sdk);
    return sdk;
  }
}
