/**
 * What Tollgate knows of past deploys: {@link dev.tollgate.contracts.history.DeploymentRecorded} messages, and
 * the {@link dev.tollgate.contracts.history.DeployHistory} the gate attaches to each evaluation so probes can
 * reason about it (rollback target, promotion proof, deploy durations) without a store of their own.
 */
package dev.tollgate.contracts.history;
