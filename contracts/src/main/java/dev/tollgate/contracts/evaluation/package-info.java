/** What a deploy asks Tollgate to decide: {@link dev.tollgate.contracts.evaluation.EvaluationRequested}. */
package dev.tollgate.contracts.evaluation;
