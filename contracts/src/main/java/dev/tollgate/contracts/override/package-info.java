/** Human decisions over a verdict: {@link dev.tollgate.contracts.override.OverrideRecorded}. */
package dev.tollgate.contracts.override;
