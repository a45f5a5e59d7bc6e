/** What a probe found: {@link dev.tollgate.contracts.probe.ProbeCompleted} and its findings. */
package dev.tollgate.contracts.probe;
