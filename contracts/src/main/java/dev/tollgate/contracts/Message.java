package dev.tollgate.contracts;

/**
 * A versioned Kafka message. Every message is keyed by {@link #evaluationId()} so all records of one
 * evaluation land on one partition and stay ordered.
 */
public interface Message {
  /** Schema version of this record as written by its producer. */
  int schemaVersion();

  /** The evaluation this message belongs to; also the Kafka record key. */
  String evaluationId();

  /** Correlation id of the request that started the evaluation (webhook delivery id or generated). */
  String requestId();
}
