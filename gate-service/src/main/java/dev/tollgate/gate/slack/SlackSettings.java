package dev.tollgate.gate.slack;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the gate needs of the {@code slack:} section of {@code tollgate.yml} (read and validated by the launcher).
 * {@link #toString()} shows neither the bot token nor the signing secret.
 *
 * @param botToken the bot user OAuth token ({@code xoxb-…}); sent only to {@code apiUrl}
 * @param signature checks {@code X-Slack-Signature} with the signing secret
 * @param apiUrl Web API base without trailing slash, {@code https://slack.com/api}
 * @param dashboardUrl base of links to evaluations ({@code <dashboardUrl>/evaluations/<id>}), or null
 * @param channels environment → channel id: evaluations of other environments are not posted
 * @param users Slack user id → the identity override policies name (a VCS login or token name)
 * @param teamId the workspace whose requests are accepted, or null for any workspace the signing secret signs for
 * @param tenants the tenants this workspace serves: only their evaluations are posted, shown and voted on; empty
 *     for every tenant (an installation with one tenant, or one workspace for all)
 */
public record SlackSettings(String botToken, SlackSignature signature, String apiUrl, String dashboardUrl,
    Map<String, String> channels, Map<String, String> users, String teamId, Set<String> tenants) {
  /** Where Slack's {@code response_url}s live. */
  static final String HOOKS = "https://hooks.slack.com/";

  public SlackSettings {
    Objects.requireNonNull(botToken, "botToken");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(apiUrl, "apiUrl");
    channels = Map.copyOf(channels);
    users = Map.copyOf(users);
    tenants = Set.copyOf(tenants);
    if (botToken.isBlank()) {
      throw new IllegalArgumentException("slack bot token: expected a non-empty token");
    }
    apiUrl = trimSlash(apiUrl);
    dashboardUrl = dashboardUrl == null ? null : trimSlash(dashboardUrl);
  }

  /** For every tenant. */
  public SlackSettings(String botToken, SlackSignature signature, String apiUrl, String dashboardUrl,
      Map<String, String> channels, Map<String, String> users, String teamId) {
    this(botToken, signature, apiUrl, dashboardUrl, channels, users, teamId, Set.of());
  }

  /** True when this workspace may see evaluations of {@code tenant}. */
  public boolean serves(String tenant) {
    return tenants.isEmpty() || tenants.contains(tenant);
  }

  /** The channel evaluations of {@code environment} are posted to, if any. */
  public Optional<String> channelFor(String environment) {
    return Optional.ofNullable(channels.get(environment));
  }

  /** The identity a Slack user votes as, if mapped. */
  public Optional<String> identityOf(String slackUserId) {
    return slackUserId == null ? Optional.empty() : Optional.ofNullable(users.get(slackUserId));
  }

  /** The link to an evaluation on the dashboard, or null when none is configured. */
  public String evaluationLink(String evaluationId) {
    return dashboardUrl == null ? null : dashboardUrl + "/evaluations/" + evaluationId;
  }

  /**
   * True when {@code url} may receive a reply: Slack's hooks host, or the configured API's own origin (a proxy or a
   * test server). A {@code response_url} comes in a signed payload, but the gate still posts nowhere else.
   */
  public boolean isResponseUrl(String url) {
    if (url == null || url.contains("@") || url.contains("/../")) {
      return false;
    }
    return url.startsWith(HOOKS) || url.startsWith(origin(apiUrl) + "/");
  }

  private static String origin(String url) {
    URI u = URI.create(url);
    return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getRawAuthority();
  }

  private static String trimSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  @Override
  public String toString() {
    return "SlackSettings[apiUrl=" + apiUrl + ", dashboardUrl=" + dashboardUrl + ", channels=" + channels + ", users="
        + users + ", teamId=" + teamId + ", botToken=(redacted), signingSecret=(redacted)]";
  }
}
