/**
 * Tollgate as a Slack app, the launcher's part: the {@code slack:} configuration (the bot token and signing secret
 * from files or the environment, channels per environment, Slack users mapped to approver identities), read into
 * the gate's {@code SlackSettings}. {@code /tollgate freeze} reads the calendar through
 * {@link dev.tollgate.deploy.EngineCalendar}, shared with the dashboard.
 */
package dev.tollgate.deploy.slack;
