/**
 * Tollgate as a GitHub App and custom deployment protection rule (issue #8): the signed webhook
 * ({@link dev.tollgate.gate.github.GitHubWebhookHandler}), the reporter that answers GitHub with progress notes,
 * the verdict and a commit status ({@link dev.tollgate.gate.github.GitHubReporter}), and the small interfaces
 * the launcher implements ({@link dev.tollgate.gate.github.InstallationTokens}): App authentication lives in
 * one place outside this module and is injected.
 */
package dev.tollgate.gate.github;
