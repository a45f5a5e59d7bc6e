package dev.tollgate.gate.github;

import java.util.Objects;

/**
 * Everything the gate needs to act as the GitHub App: its settings and the installation tokens. Given to
 * {@code GateService.start}; null there means GitHub is not configured (no webhook route, no reporter).
 */
public record GitHubIntegration(GitHubSettings settings, InstallationTokens tokens) {
  public GitHubIntegration {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(tokens, "tokens");
  }
}
