package dev.tollgate.contracts;

/** Kafka record header names. Values are UTF-8 strings. */
public final class HeaderNames {
  /** Correlation id of the request an evaluation started from; on every record of that evaluation. */
  public static final String REQUEST_ID = "tollgate-request-id";
  /** W3C trace context of the producer's span. */
  public static final String TRACEPARENT = "traceparent";
  /** Simple name of the message record, e.g. {@code CheckRequested}. */
  public static final String MESSAGE_TYPE = "tollgate-type";
  /** On dead-lettered records: why the record could not be read (never the record's content). */
  public static final String ERROR = "tollgate-error";
  /** On dead-lettered records: where the record came from. */
  public static final String SOURCE_TOPIC = "tollgate-source-topic";
  public static final String SOURCE_PARTITION = "tollgate-source-partition";
  public static final String SOURCE_OFFSET = "tollgate-source-offset";
  /** On dead-lettered records: which consumer gave up on it. */
  public static final String CONSUMER = "tollgate-consumer";

  private HeaderNames() {}
}
