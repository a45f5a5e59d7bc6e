/**
 * Tollgate as a Slack app (issue #10). {@link dev.tollgate.gate.slack.SlackReporter} keeps one Block Kit message per
 * evaluation current in its environment's channel ({@code chat.postMessage}, then {@code chat.update}), with
 * "Approve override" / "Reject" buttons on a NO_GO the policy lets approvers override.
 * {@link dev.tollgate.gate.slack.SlackInteractionHandler} takes Slack's signed requests — clicks, the reason form,
 * {@code /tollgate status|freeze} — checking {@link dev.tollgate.gate.slack.SlackSignature} before anything is
 * decoded, and casts votes through the same {@code OverrideService} as the REST API, so N-of-M, the author rule,
 * one vote per person, expiry and the audit of every click are decided in one place.
 *
 * <p>Secrets (bot token, signing secret) arrive in {@link dev.tollgate.gate.slack.SlackSettings}, read by the
 * launcher from files or environment variables; they are never logged, published or shown.
 */
package dev.tollgate.gate.slack;
