package dev.tollgate.gate.github;

import java.util.Map;
import java.util.Objects;

/**
 * What the gate needs of the {@code github:} section of {@code tollgate.yml} (parsed and validated by the
 * launcher). {@code toString()} shows no secret.
 *
 * @param appId the GitHub App id (part of every webhook idempotency key)
 * @param webhook checks {@code X-Hub-Signature-256} with the webhook secret
 * @param apiUrl REST API base without trailing slash: {@code https://api.github.com} or
 *     {@code https://ghe.example.com/api/v3}
 * @param webUrl where repositories live ({@code https://github.com}), to recognise repositories of this App
 * @param dashboardUrl base of links to evaluations ({@code <dashboardUrl>/evaluations/<id>}), or null
 * @param installations installation id → tenant: an installation not listed here is refused
 */
public record GitHubSettings(long appId, WebhookSignature webhook, String apiUrl, String webUrl, String dashboardUrl,
    Map<Long, String> installations) {
  public GitHubSettings {
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(apiUrl, "apiUrl");
    Objects.requireNonNull(webUrl, "webUrl");
    installations = Map.copyOf(installations);
    if (appId <= 0) {
      throw new IllegalArgumentException("github.appId: expected a positive integer, got " + appId);
    }
    apiUrl = trimSlash(apiUrl);
    webUrl = trimSlash(webUrl);
    dashboardUrl = dashboardUrl == null ? null : trimSlash(dashboardUrl);
  }

  /** The link to an evaluation on the dashboard, or null when no dashboard is configured. */
  public String evaluationLink(String evaluationId) {
    return dashboardUrl == null ? null : dashboardUrl + "/evaluations/" + evaluationId;
  }

  /**
   * True when {@code url} is an endpoint of the configured API: an installation token is only ever sent there,
   * whatever a payload or a record says.
   */
  public boolean isApiUrl(String url) {
    return url != null && url.startsWith(apiUrl + "/") && !url.contains("@") && !url.contains("/../");
  }

  private static String trimSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
