package dev.tollgate.probes.repo;

import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for cloning and fetching a remote repository over HTTPS, looked up per tenant and repository. The
 * workers only define what they need; the implementation (e.g. GitHub App installation tokens) lives in the
 * launcher and is injected, so probe-workers never knows about a particular git host.
 *
 * <p>Credentials are handed to JGit through a credentials provider: they never appear in a URL, a mirror's
 * configuration or a log line.
 */
@FunctionalInterface
public interface GitCredentials {
  /**
   * Credentials for {@code repositoryUrl} on behalf of {@code tenant}, or empty to try without (public
   * repositories). An implementation must only answer for repositories it is configured for that tenant, so one
   * tenant's private repository is never read for another.
   *
   * @param repositoryUrl the normalized repository URL ({@code RepositoryLocation.value()})
   * @throws RepoAccessException when credentials should exist but could not be obtained (the check fails closed)
   */
  Optional<Credentials> lookup(String tenant, String repositoryUrl);

  /**
   * These credentials, else {@code other}'s: each implementation answers only for its own host (GitHub, GitLab), so
   * several can be chained.
   */
  default GitCredentials orElse(GitCredentials other) {
    return (tenant, url) -> {
      Optional<Credentials> mine = lookup(tenant, url);
      return mine.isPresent() ? mine : other.lookup(tenant, url);
    };
  }

  /** No credentials for any repository (public repositories only). */
  static GitCredentials none() {
    return (tenant, url) -> Optional.empty();
  }

  /** A user name and password (or token) for HTTP basic authentication; {@link #toString()} hides the password. */
  final class Credentials {
    private final String username;
    private final String password;

    public Credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("password: expected a non-empty value");
      }
    }

    public String username() {
      return username;
    }

    public String password() {
      return password;
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=(redacted)]";
    }
  }
}
