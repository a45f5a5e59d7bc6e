package dev.tollgate.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}) as every Kafka record of an evaluation carries it in
 * {@link HeaderNames#TRACEPARENT}. An evaluation's trace id is its evaluation id (a UUID's 16 bytes, or a hash of
 * any other id), so {@code grep <evaluationId>} and a trace search find the same story; each hop (gate, aggregator,
 * worker) is a span with a fresh span id.
 *
 * @param traceId 32 lower-case hex characters
 * @param spanId 16 lower-case hex characters
 */
public record TraceContext(String traceId, String spanId) {
  private static final Pattern HEADER = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
  private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new span of the evaluation's trace. */
  public static TraceContext forEvaluation(String evaluationId) {
    return new TraceContext(traceIdOf(evaluationId), newSpanId());
  }

  /** The trace id of an evaluation: its UUID's hex digits, or the first 16 bytes of the SHA-256 of another id. */
  public static String traceIdOf(String evaluationId) {
    if (UUID_FORM.matcher(evaluationId).matches()) {
      return evaluationId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(evaluationId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a {@code traceparent} header value (version 00), empty when absent or malformed. */
  public static Optional<TraceContext> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    var m = HEADER.matcher(header.strip());
    if (!m.matches() || m.group(1).equals("0".repeat(32)) || m.group(2).equals("0".repeat(16))) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(m.group(1), m.group(2)));
  }

  /** A child span of this one: same trace, new span id. */
  public TraceContext child() {
    return new TraceContext(traceId, newSpanId());
  }

  /** The {@code traceparent} header value (sampled). */
  public String header() {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  private static String newSpanId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    if (b[0] == 0) {
      b[0] = 1; // an all-zero span id is invalid
    }
    return HexFormat.of().formatHex(b);
  }
}
