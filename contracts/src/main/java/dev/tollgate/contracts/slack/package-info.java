/**
 * Slack's side of an evaluation: {@link dev.tollgate.contracts.slack.SlackMessagePosted}, where the channel message
 * of an evaluation lives, so any gate (a restarted one, or the next owner of a partition) updates that message
 * instead of posting a second one.
 */
package dev.tollgate.contracts.slack;
