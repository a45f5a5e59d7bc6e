/**
 * Delivery metrics: the four DORA keys (deployment frequency, lead time for changes, change failure rate, time to
 * restore) and the gate's own figures (verdicts, blockers, holds, overrides), kept per tenant, environment,
 * repository and UTC day by a view that reads the topics like the evaluation views, so that a query over 90 days is
 * a sum over day buckets. The definitions are in {@code docs/delivery-metrics.md}.
 */
package dev.tollgate.gate.delivery;
