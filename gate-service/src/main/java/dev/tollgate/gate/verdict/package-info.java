/**
 * Verdict aggregation. {@link dev.tollgate.gate.verdict.VerdictPolicy} is the pure decision function;
 * {@link dev.tollgate.gate.verdict.VerdictService} runs it in a Kafka Streams topology.
 *
 * <p>Why Kafka Streams rather than a hand-written consumer over a compacted state topic: the aggregation
 * state must be partitioned by evaluation id across gate instances, survive restarts and move with partitions
 * on rebalance. Streams gives exactly that (tasks per partition, a changelog-backed store restored on start
 * or on a new owner, wall-clock punctuation for deadlines) with far less code to get wrong. The store is
 * in-memory with a changelog: one small JSON state per evaluation, decided ones kept 7 days (about 7,000 at 1,000
 * deploys a day), restored on start. The tick must not pay for that history: {@link dev.tollgate.gate.verdict.DueIndex}
 * files each evaluation under the one time it next needs the tick, so a tick reads only what is due.
 */
package dev.tollgate.gate.verdict;
