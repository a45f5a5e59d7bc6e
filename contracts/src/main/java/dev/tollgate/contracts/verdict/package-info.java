/** The decision: {@link dev.tollgate.contracts.verdict.VerdictReached}. */
package dev.tollgate.contracts.verdict;
