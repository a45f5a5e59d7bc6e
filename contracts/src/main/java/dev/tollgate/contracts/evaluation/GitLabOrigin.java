package dev.tollgate.contracts.evaluation;

import static dev.tollgate.contracts.Checks.requireText;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an evaluation started from GitLab came from: the project, the held deployment (a {@code blocked}
 * Deployment Hook) or the deploy job (the Pipeline Hook fallback for projects without deployment approvals), so the
 * gate can approve or reject the deployment, set a commit status and recognise the deployment's later events.
 * Carried by {@link EvaluationRequested#gitlab()}; never holds a credential, and never trusted on its own: the gate
 * reads the deployment back from GitLab's API before it approves anything.
 *
 * @param projectId GitLab's numeric project id
 * @param projectPath {@code group/subgroup/project} ({@code path_with_namespace})
 * @param deploymentId the GitLab deployment id, 0 when not known yet (a manual job seen in a Pipeline Hook)
 * @param jobId the deploy job ({@code deployable_id} or the build's id), 0 when the deployment has none (created
 *     through the API or by a trigger job)
 * @param pipelineId the pipeline of the job, 0 when unknown
 * @param environmentName the GitLab environment name
 * @param trigger {@code deployment} (a Deployment Hook) or {@code pipeline} (a Pipeline Hook)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GitLabOrigin(long projectId, String projectPath, long deploymentId, long jobId, long pipelineId,
    String environmentName, String trigger) {
  /** GitLab path segments: letters, digits, '_', '-', '.'; at least a namespace and a project. */
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]{1,255}(/[A-Za-z0-9_.-]{1,255}){1,20}");
  /** A Deployment Hook ({@code blocked}). */
  public static final String DEPLOYMENT = "deployment";
  /** A Pipeline Hook (a deploy job waiting as manual or created). */
  public static final String PIPELINE = "pipeline";

  public GitLabOrigin {
    if (projectId <= 0) {
      throw new IllegalArgumentException("gitlab.projectId: expected a positive id, got " + projectId);
    }
    requireText(projectPath, "gitlab.projectPath");
    if (!PATH.matcher(projectPath).matches() || projectPath.contains("..")) {
      throw new IllegalArgumentException("gitlab.projectPath: expected group/project, got \""
          + dev.tollgate.contracts.Checks.abbreviate(projectPath) + "\"");
    }
    if (deploymentId < 0 || jobId < 0 || pipelineId < 0) {
      throw new IllegalArgumentException("gitlab: ids must be >= 0");
    }
    if (deploymentId == 0 && jobId == 0) {
      throw new IllegalArgumentException("gitlab: expected a deployment id or a job id");
    }
    requireText(environmentName, "gitlab.environmentName");
    requireText(trigger, "gitlab.trigger");
    trigger = trigger.toLowerCase(Locale.ROOT);
    if (!trigger.equals(DEPLOYMENT) && !trigger.equals(PIPELINE)) {
      throw new IllegalArgumentException("gitlab.trigger: expected deployment or pipeline, got \""
          + dev.tollgate.contracts.Checks.abbreviate(trigger) + "\"");
    }
  }

  /** True when the deployment is known (a Deployment Hook): it can be approved or rejected directly. */
  public boolean hasDeployment() {
    return deploymentId > 0;
  }
}
