/**
 * Overrides: the policy's approvers accept the risk of a NO_GO, N of M, never the deploy's author, one vote each,
 * with a reason. {@link dev.tollgate.gate.override.OverrideService} is the one place that decides whether a vote
 * counts; the REST API and Slack both call it. Every attempt, allowed or not, is an audit record.
 */
package dev.tollgate.gate.override;
