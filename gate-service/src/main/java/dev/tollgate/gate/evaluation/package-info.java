/**
 * Starting evaluations: {@link dev.tollgate.gate.evaluation.EvaluationSubmitter} is the one path from any door
 * (the REST API, GitHub and GitLab webhooks) to an {@code EvaluationRequested} on Kafka.
 */
package dev.tollgate.gate.evaluation;
