/**
 * Runs probes: {@link dev.tollgate.probes.runtime.ProbeRunner} applies one probe's rules to a context,
 * {@link dev.tollgate.probes.runtime.CheckExecutor} turns a {@code CheckRequested} into a {@code ProbeCompleted}
 * (never throwing), and {@link dev.tollgate.probes.runtime.ProbeWorker} is the Kafka consumer loop around it.
 */
package dev.tollgate.probes.runtime;
