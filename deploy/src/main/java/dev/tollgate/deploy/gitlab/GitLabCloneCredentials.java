package dev.tollgate.deploy.gitlab;

import dev.tollgate.gate.gitlab.GitLabSettings;
import dev.tollgate.probes.repo.GitCredentials;
import java.util.Optional;

/**
 * Clone credentials for the tenant's GitLab projects: the tenant's bot token as the HTTP basic password (user
 * {@code oauth2}, which GitLab accepts for access tokens), handed to JGit by the workers, never put in a URL. A project
 * of another tenant, or another host, gets none, so one tenant's private repository is never read for another.
 */
public final class GitLabCloneCredentials implements GitCredentials {
  private final GitLabSettings settings;

  public GitLabCloneCredentials(GitLabSettings settings) {
    this.settings = settings;
  }

  @Override
  public Optional<Credentials> lookup(String tenant, String repositoryUrl) {
    return settings.projectPath(repositoryUrl).flatMap(settings::tenantOf).filter(t -> t.name().equals(tenant))
        .map(t -> new Credentials("oauth2", t.botToken().value()));
  }

  @Override
  public String toString() {
    return "GitLabCloneCredentials[" + settings.baseUrl() + "]";
  }
}
