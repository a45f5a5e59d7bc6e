package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.TraceContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/** The worker's span of one check, child of the check's {@code traceparent}; a no-op without an SDK. */
final class Tracing {
  private Tracing() {}

  static Span start(String name, String evaluationId, String parentHeader) {
    TraceContext parent = TraceContext.parse(parentHeader).orElseGet(() -> TraceContext.forEvaluation(evaluationId));
    SpanContext remote = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(), TraceFlags.getSampled(),
        TraceState.getDefault());
    return GlobalOpenTelemetry.getTracer("dev.tollgate.probes").spanBuilder(name).setSpanKind(SpanKind.CONSUMER)
        .setParent(Context.root().with(Span.wrap(remote))).setAttribute("tollgate.evaluation_id", evaluationId).startSpan();
  }

  /** The {@code traceparent} of records produced within {@code span}. */
  static String header(Span span, String evaluationId) {
    SpanContext c = span.getSpanContext();
    return c.isValid() ? new TraceContext(c.getTraceId(), c.getSpanId()).header()
        : TraceContext.forEvaluation(evaluationId).header();
  }
}
