package dev.tollgate.contracts.evaluation;

import static dev.tollgate.contracts.Checks.requireCommit;
import static dev.tollgate.contracts.Checks.requireText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What is being deployed where.
 *
 * @param tenant the tenant that owns the evaluation (scopes every view and token)
 * @param repository repository URL (https/ssh/file) or, where the server allows it, a local path
 * @param environment environment name as configured on the server
 * @param candidate full commit id about to be deployed
 * @param baseline full commit id running in the environment now, or null for a first deploy
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployTarget(String tenant, String repository, String environment, String candidate, String baseline) {
  public DeployTarget {
    requireText(tenant, "tenant");
    requireText(repository, "repository");
    requireText(environment, "environment");
    requireCommit(candidate, "candidate");
    if (baseline != null) {
      requireCommit(baseline, "baseline");
    }
  }

  /** True when nothing is recorded as running in the environment. */
  public boolean firstDeploy() {
    return baseline == null;
  }
}
