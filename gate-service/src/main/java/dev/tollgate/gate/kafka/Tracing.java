package dev.tollgate.gate.kafka;

import dev.tollgate.contracts.TraceContext;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;

/**
 * Spans of the gate's hops (request accepted, checks dispatched, verdict), parented on the {@code traceparent} of
 * the record that caused them, so a trace runs webhook → publish → probe → verdict across processes. The trace id is
 * the evaluation's ({@link TraceContext}). Spans are no-ops unless the launcher installed an OpenTelemetry SDK; the
 * {@code traceparent} headers are written either way.
 */
public final class Tracing {
  private Tracing() {}

  /** Starts a span of {@code evaluationId}'s trace, child of {@code parentHeader} (or of the evaluation's root). */
  public static Span start(String name, SpanKind kind, String evaluationId, String parentHeader) {
    TraceContext parent = TraceContext.parse(parentHeader).orElseGet(() -> TraceContext.forEvaluation(evaluationId));
    SpanContext remote = SpanContext.createFromRemoteParent(parent.traceId(), parent.spanId(), TraceFlags.getSampled(),
        TraceState.getDefault());
    return GlobalOpenTelemetry.getTracer("dev.tollgate.gate").spanBuilder(name).setSpanKind(kind)
        .setParent(Context.root().with(Span.wrap(remote))).setAttribute("tollgate.evaluation_id", evaluationId).startSpan();
  }

  /** The {@code traceparent} to write on records produced within {@code span}. */
  public static String header(Span span, String evaluationId) {
    SpanContext c = span.getSpanContext();
    return c.isValid() ? new TraceContext(c.getTraceId(), c.getSpanId()).header()
        : TraceContext.forEvaluation(evaluationId).header();
  }
}
