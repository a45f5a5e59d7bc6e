package dev.tollgate.contracts.evaluation;

import static dev.tollgate.contracts.Checks.requireText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.regex.Pattern;

/**
 * Where an evaluation started on GitHub came from: what the gate needs to answer GitHub (approve or reject the
 * held deployment, post progress notes and a commit status) and to recognise the deployment's later status
 * events. Carried by {@link EvaluationRequested#github()}; never holds a credential.
 *
 * @param installationId the GitHub App installation that sent the event; its installation token answers
 * @param repository {@code owner/name} as GitHub spells it
 * @param deploymentId the GitHub deployment id, 0 when the evaluation is not about a deployment
 * @param callbackUrl the {@code deployment_callback_url} of a {@code deployment_protection_rule} event
 *     (approve, reject, progress notes), null when there is none
 * @param environmentName the environment name to send back as {@code environment_name}
 * @param event the event that triggered the workflow run ({@code push}, {@code workflow_dispatch}, ...), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GitHubOrigin(long installationId, String repository, long deploymentId, String callbackUrl,
    String environmentName, String event) {
  private static final Pattern FULL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");

  public GitHubOrigin {
    if (installationId <= 0) {
      throw new IllegalArgumentException("github.installationId: expected a positive id, got " + installationId);
    }
    requireText(repository, "github.repository");
    if (!FULL_NAME.matcher(repository).matches()) {
      throw new IllegalArgumentException("github.repository: expected owner/name, got \""
          + dev.tollgate.contracts.Checks.abbreviate(repository) + "\"");
    }
    if (deploymentId < 0) {
      throw new IllegalArgumentException("github.deploymentId: expected >= 0, got " + deploymentId);
    }
    if (callbackUrl != null) {
      requireText(callbackUrl, "github.callbackUrl");
    }
  }

  /** True when GitHub holds a deployment until Tollgate approves or rejects it. */
  public boolean hasCallback() {
    return callbackUrl != null;
  }
}
