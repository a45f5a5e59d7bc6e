/**
 * Tollgate as a GitLab deployment approver (issue #9): the webhook ({@link dev.tollgate.gate.gitlab.GitLabWebhookHandler},
 * authenticated by {@link dev.tollgate.gate.gitlab.GitLabWebhookAuth} before anything is parsed), the reporter that
 * approves or rejects held deployments and sets commit statuses ({@link dev.tollgate.gate.gitlab.GitLabReporter}),
 * and the one GitLab REST client ({@link dev.tollgate.gate.gitlab.GitLabApi}), which the launcher also uses to
 * import deploy freeze periods for the calendar probe. Configuration (secrets from files or the environment) is read
 * by the launcher and handed over as {@link dev.tollgate.gate.gitlab.GitLabSettings}.
 */
package dev.tollgate.gate.gitlab;
