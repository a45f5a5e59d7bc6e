/**
 * Tollgate as a Slack app, the launcher's part: the {@code slack:} configuration (the bot token and signing secret
 * from files or the environment, channels per environment, Slack users mapped to approver identities), read into
 * the gate's {@code SlackSettings}; and {@link dev.tollgate.deploy.slack.ServerCalendar}, the probes' calendar
 * engine behind the gate's {@code EnvironmentCalendar} for {@code /tollgate freeze}.
 */
package dev.tollgate.deploy.slack;
