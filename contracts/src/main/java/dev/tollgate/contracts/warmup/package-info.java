/**
 * Warming a process before it reports ready: {@link dev.tollgate.contracts.warmup.Plateau} decides when repeating
 * the same work stops paying, {@link dev.tollgate.contracts.warmup.JsonWarmup} compiles the shared JSON codecs. The
 * gate and the workers each add their own paths (they share code only through this module).
 */
package dev.tollgate.contracts.warmup;
