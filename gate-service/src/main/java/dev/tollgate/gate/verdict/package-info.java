/**
 * Verdict aggregation. {@link dev.tollgate.gate.verdict.VerdictPolicy} is the pure decision function;
 * {@link dev.tollgate.gate.verdict.VerdictService} runs it in a Kafka Streams topology.
 *
 * <p>Why Kafka Streams rather than a hand-written consumer over a compacted state topic: the aggregation
 * state must be partitioned by evaluation id across gate instances, survive restarts and move with partitions
 * on rebalance. Streams gives exactly that (tasks per partition, a changelog-backed store restored on start
 * or on a new owner, wall-clock punctuation for deadlines) with far less code to get wrong. The store is
 * in-memory with a changelog: state is small (one entry per open evaluation) and restoring it is fast.
 */
package dev.tollgate.gate.verdict;
