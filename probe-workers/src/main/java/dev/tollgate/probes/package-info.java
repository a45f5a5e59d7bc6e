/**
 * Probe workers: a Kafka consumer group that takes {@code CheckRequested} records, reads the repository range
 * with JGit and runs one probe per check. Each probe is a package under here; {@link dev.tollgate.probes.api}
 * is the shape every probe and rule has; {@link dev.tollgate.probes.runtime} runs them; {@link dev.tollgate.probes.repo}
 * reads repositories.
 */
package dev.tollgate.probes;
