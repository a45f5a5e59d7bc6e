/** The fan-out: {@link dev.tollgate.contracts.check.CheckRequested}, one per probe. */
package dev.tollgate.contracts.check;
