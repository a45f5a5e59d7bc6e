/**
 * The gate service: HTTP API (and later webhooks, Slack, dashboard), the check fan-out and verdict aggregation
 * (Kafka Streams, {@link dev.tollgate.gate.verdict}), and the evaluation views rebuilt from Kafka
 * ({@link dev.tollgate.gate.view}). {@link dev.tollgate.gate.GateService} starts it all.
 */
package dev.tollgate.gate;
