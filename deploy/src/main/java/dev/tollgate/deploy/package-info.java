/**
 * How Tollgate runs: the one runnable jar ({@link dev.tollgate.deploy.Cli}), the all-in-one launcher with an
 * embedded single-node KRaft broker ({@link dev.tollgate.deploy.AllInOne}, {@link dev.tollgate.deploy.EmbeddedKafka})
 * and the in-process {@code check} command ({@link dev.tollgate.deploy.LocalCheck}).
 */
package dev.tollgate.deploy;
