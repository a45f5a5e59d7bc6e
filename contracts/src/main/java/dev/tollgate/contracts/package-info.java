/**
 * Message contracts shared by gate-service and probe-workers: one record per Kafka message, the topic
 * names ({@link dev.tollgate.contracts.Topics}) and the one JSON configuration ({@link dev.tollgate.contracts.Json}).
 *
 * <p>Rules (see STYLE.md §4): every message carries {@code schemaVersion}; adding an optional field keeps the
 * version, removing or changing the meaning of one bumps it; readers ignore unknown fields and map unknown
 * enum values to {@code UNKNOWN}; nothing here depends on Kafka, Vert.x or JGit.
 */
package dev.tollgate.contracts;
