/**
 * GitLab in the launcher (issue #9): the {@code gitlab:} configuration (secrets from files or the environment), and
 * what the workers need of GitLab, implemented here with the gate's one GitLab API client and injected by
 * {@code AllInOne}: clone credentials ({@link dev.tollgate.deploy.gitlab.GitLabCloneCredentials}, the workers'
 * {@code GitCredentials}) and the import of deploy freeze periods
 * ({@link dev.tollgate.deploy.gitlab.GitLabFreezeImport}, the calendar probe's {@code FreezeSource}).
 */
package dev.tollgate.deploy.gitlab;
