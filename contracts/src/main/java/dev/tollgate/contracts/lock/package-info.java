/**
 * Deploy locks and the deploy queue: commands to an environment's gate ({@link dev.tollgate.contracts.lock.LockRequested}),
 * GO verdicts asking for their turn ({@link dev.tollgate.contracts.lock.AdmissionRequested}) and the environment's
 * published state ({@link dev.tollgate.contracts.lock.EnvironmentGateChanged}). All are keyed {@code tenant|environment}.
 */
package dev.tollgate.contracts.lock;
