/** The gate's Kafka plumbing: publishing with acknowledgement, broker health, topic setup. */
package dev.tollgate.gate.kafka;
