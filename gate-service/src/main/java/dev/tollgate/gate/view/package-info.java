/**
 * Evaluation views: every gate instance reads the request, check, result and verdict topics from the beginning,
 * so any instance can answer for any evaluation and the views survive restarts (Kafka is the store). Open and recently
 * decided evaluations are on the heap, older decided ones in a local off-heap cache. {@link dev.tollgate.gate.view.EvaluationView} is the API's JSON shape; the CLI prints the same.
 */
package dev.tollgate.gate.view;
