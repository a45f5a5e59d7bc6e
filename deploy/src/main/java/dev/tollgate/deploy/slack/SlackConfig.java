package dev.tollgate.deploy.slack;

import dev.tollgate.deploy.ConfigSecrets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.gate.slack.SlackSettings;
import dev.tollgate.gate.slack.SlackSignature;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code slack:} section of {@code tollgate.yml}:
 *
 * <pre>
 * slack:
 *   botTokenFile: /run/secrets/slack-bot-token          # or botTokenEnv: NAME; the Bot User OAuth Token, xoxb-…
 *   signingSecretFile: /run/secrets/slack-signing-secret # or signingSecretEnv: NAME
 *   apiUrl: https://slack.com/api                       # default
 *   dashboardUrl: https://tollgate.example.com          # links: {dashboardUrl}/evaluations/{id}
 *   teamId: T0123ABCD                                   # optional: refuse requests from any other workspace
 *   channels: {production: C0123ABCD, staging: C0456EFGH}   # environment → channel id
 *   users: {U0123ABCD: alice, U0456EFGH: bob}           # Slack user id → identity the override policies name
 * </pre>
 *
 * Secrets come only from files or environment variables, never from the file itself or the command line; every
 * error names the key and never the secret. Channels are ids (a channel's details, at the bottom), not names:
 * {@code chat.update} needs the id, and a renamed channel keeps it.
 */
public final class SlackConfig {
  static final Set<String> KEYS = Set.of("botTokenFile", "botTokenEnv", "signingSecretFile", "signingSecretEnv", "apiUrl",
      "dashboardUrl", "teamId", "channels", "users", "tenants");
  static final String DEFAULT_API = "https://slack.com/api";
  private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{6,20}");
  private static final Pattern USER = Pattern.compile("[UW][A-Z0-9]{6,20}");
  private static final Pattern TEAM = Pattern.compile("T[A-Z0-9]{6,20}");
  private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:\\[\\]-]{0,99}");

  private SlackConfig() {}

  /**
   * Reads the section into the gate's settings.
   *
   * @param section the {@code slack:} node, missing when Slack is not used
   * @param environments the configured environments: every channel must belong to one
   * @param env environment variables ({@code System::getenv} in production)
   * @return null when the section is absent
   * @throws IllegalArgumentException naming the key (and never a secret)
   */
  public static SlackSettings from(JsonNode section, Set<String> environments, Function<String, String> env, Clock clock) {
    return from(section, environments, null, env, clock);
  }

  /**
   * Reads the section, checking that {@code slack.tenants} names configured tenants.
   *
   * @param tenants the configured tenants, or null not to check them
   */
  public static SlackSettings from(JsonNode section, Set<String> environments, Set<String> tenants, Function<String, String> env,
      Clock clock) {
    if (section.isMissingNode() || section.isNull()) {
      return null;
    }
    if (!section.isObject()) {
      throw new IllegalArgumentException("slack: expected a mapping");
    }
    ConfigKeys.requireKnown(section, KEYS, "slack");
    String token = ConfigSecrets.required(section, "slack", "botTokenFile", "botTokenEnv", env);
    if (!token.startsWith("xoxb-") || token.chars().anyMatch(c -> c <= ' ')) {
      // A user token (xoxp-) would post as a person; anything else is not a Slack bot token at all.
      throw new IllegalArgumentException("slack." + (section.has("botTokenFile") ? "botTokenFile" : "botTokenEnv")
          + ": expected a bot token (xoxb-…, the app's OAuth & Permissions page)");
    }
    String signingSecret = ConfigSecrets.required(section, "slack", "signingSecretFile", "signingSecretEnv", env);
    String apiUrl = ConfigSecrets.url(section.path("apiUrl"), "slack.apiUrl", DEFAULT_API);
    String dashboardUrl = section.has("dashboardUrl") ? ConfigSecrets.url(section.path("dashboardUrl"), "slack.dashboardUrl", null) : null;
    String teamId = null;
    if (section.has("teamId")) {
      teamId = section.path("teamId").asText("");
      if (!section.path("teamId").isTextual() || !TEAM.matcher(teamId).matches()) {
        throw new IllegalArgumentException("slack.teamId: expected a workspace id like T0123ABCD, got " + section.path("teamId"));
      }
    }
    return new SlackSettings(token, SlackSignature.of(signingSecret, clock), apiUrl, dashboardUrl,
        channels(section.path("channels"), environments), users(section.path("users")), teamId,
        tenants(section.path("tenants"), tenants));
  }

  /** The tenants the workspace serves; absent: every tenant. */
  private static Set<String> tenants(JsonNode node, Set<String> configured) {
    if (node.isMissingNode()) {
      return Set.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("slack.tenants: expected a non-empty list of tenants, e.g. [acme]; leave it out for every tenant");
    }
    Set<String> out = new java.util.LinkedHashSet<>();
    for (JsonNode t : node) {
      if (!t.isTextual() || t.asText().isBlank()) {
        throw new IllegalArgumentException("slack.tenants: expected tenant names, got " + t);
      }
      if (configured != null && !configured.contains(t.asText())) {
        throw new IllegalArgumentException("slack.tenants: " + t.asText() + " is not a configured tenant (tenants: "
            + configured.stream().sorted().toList() + ")");
      }
      out.add(t.asText());
    }
    return out;
  }

  private static Map<String, String> channels(JsonNode node, Set<String> environments) {
    if (!node.isObject() || node.isEmpty()) {
      throw new IllegalArgumentException("slack.channels: expected a mapping of environment to channel id, e.g. "
          + "{production: C0123ABCD}");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!environments.contains(e.getKey())) {
        throw new IllegalArgumentException("slack.channels." + e.getKey() + ": not a configured environment (environments: "
            + environments.stream().sorted().toList() + ")");
      }
      String channel = e.getValue().asText("");
      if (!e.getValue().isTextual() || !CHANNEL.matcher(channel).matches()) {
        throw new IllegalArgumentException("slack.channels." + e.getKey() + ": expected a channel id like C0123ABCD (not a "
            + "#name: the channel's details show its id), got " + e.getValue());
      }
      map.put(e.getKey(), channel);
    }
    return map;
  }

  private static Map<String, String> users(JsonNode node) {
    if (node.isMissingNode()) {
      return Map.of(); // messages only: nobody can vote from Slack
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("slack.users: expected a mapping of Slack user id to identity, e.g. {U0123ABCD: alice}");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!USER.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("slack.users." + e.getKey() + ": expected a Slack user id like U0123ABCD (a "
            + "profile's ⋮ menu → Copy member ID)");
      }
      String identity = e.getValue().asText("");
      if (!e.getValue().isTextual() || !IDENTITY.matcher(identity).matches()) {
        throw new IllegalArgumentException("slack.users." + e.getKey() + ": expected the identity override policies name "
            + "(a VCS login or token name), got " + e.getValue());
      }
      map.put(e.getKey(), identity);
    }
    return map;
  }
}
