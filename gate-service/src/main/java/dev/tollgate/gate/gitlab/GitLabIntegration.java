package dev.tollgate.gate.gitlab;

import java.util.Objects;

/**
 * Everything the gate needs to act as a GitLab deployment approver: the settings (bot tokens and webhook secrets
 * included). Given to {@code GateService.start}; null there means GitLab is not configured (no webhook route, no
 * reporter).
 */
public record GitLabIntegration(GitLabSettings settings) {
  public GitLabIntegration {
    Objects.requireNonNull(settings, "settings");
  }
}
