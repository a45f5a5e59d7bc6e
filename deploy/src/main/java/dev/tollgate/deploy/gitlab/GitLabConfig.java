package dev.tollgate.deploy.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Durations;
import dev.tollgate.deploy.ConfigSecrets;
import dev.tollgate.gate.gitlab.GitLabSettings;
import dev.tollgate.gate.gitlab.GitLabToken;
import dev.tollgate.gate.gitlab.GitLabWebhookAuth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code gitlab:} section of {@code tollgate.yml}, read by the gate and the workers alike (they share the file):
 *
 * <pre>
 * gitlab:
 *   baseUrl: https://gitlab.example.com       # default https://gitlab.com; self-managed may have a path
 *   botTokenFile: /run/secrets/gitlab-bot      # or botTokenEnv: NAME; the bot user's access token (api scope)
 *   webhookTokenFile: /run/secrets/gitlab-hook # or webhookTokenEnv; the hooks' secret token (X-Gitlab-Token)
 *   signingSecretFile: /run/secrets/gitlab-sig # optional, or signingSecretEnv; whsec_... (webhook signing)
 *   dashboardUrl: https://tollgate.example.com # links: {dashboardUrl}/evaluations/{id}
 *   autoPlay: false                            # after a GO, play the manual deploy job
 *   freezes:                                   # GitLab deploy freeze periods → the calendar probe
 *     import: true
 *     refresh: 5m                              # how long a project's periods are reused
 *     maxStale: 1d                             # GitLab unreachable: last copy this long, then fail closed
 *     environments: [production]               # default: every environment
 *   tenants:
 *     acme: [acme, acme-labs/platform]         # tenant → its groups (short form)
 *     globex:
 *       groups: [globex]
 *       botTokenFile: ...                      # this tenant's own bot, webhook token, signing secret
 *       webhookTokenFile: ...
 *       freezeProjects: [globex/ops/calendar]  # their freeze periods apply to every globex project
 * </pre>
 *
 * Secrets come only from files or environment variables ({@link ConfigSecrets}); every error names the key and never
 * the secret; {@link #toString()} shows none.
 */
public final class GitLabConfig {
  static final Set<String> KEYS = Set.of("baseUrl", "botTokenFile", "botTokenEnv", "webhookTokenFile", "webhookTokenEnv",
      "signingSecretFile", "signingSecretEnv", "dashboardUrl", "autoPlay", "freezes", "tenants");
  static final Set<String> TENANT_KEYS = Set.of("groups", "botTokenFile", "botTokenEnv", "webhookTokenFile", "webhookTokenEnv",
      "signingSecretFile", "signingSecretEnv", "freezeProjects");
  static final Set<String> FREEZE_KEYS = Set.of("import", "refresh", "maxStale", "environments");
  static final String DEFAULT_BASE = "https://gitlab.com";

  /**
   * How GitLab's deploy freeze periods reach the calendar probe.
   *
   * @param environments the environments they block; empty = every environment
   * @param projects per tenant, projects whose freeze periods apply to all of the tenant's projects (GitLab has no
   *     group-level freeze periods, gitlab#211943)
   */
  public record Freezes(boolean enabled, Duration refresh, Duration maxStale, Set<String> environments,
      Map<String, List<String>> projects) {
    public Freezes {
      environments = Set.copyOf(environments);
      projects = Map.copyOf(projects);
    }
  }

  private final GitLabSettings settings;
  private final Freezes freezes;

  GitLabConfig(GitLabSettings settings, Freezes freezes) {
    this.settings = settings;
    this.freezes = freezes;
  }

  /**
   * Reads the section.
   *
   * @param section the {@code gitlab:} node, missing when GitLab is not used
   * @param tenants the configured tenants: every GitLab tenant must be one of them
   * @param environments the configured environments ({@code freezes.environments} must name some of them)
   * @param env environment variables ({@code System::getenv} in production)
   * @return null when the section is absent
   * @throws IllegalArgumentException naming the key (and never a secret)
   */
  public static GitLabConfig from(JsonNode section, Set<String> tenants, Set<String> environments, Function<String, String> env) {
    if (section.isMissingNode() || section.isNull()) {
      return null;
    }
    requireKeys(section, KEYS, "gitlab");
    String baseUrl = ConfigSecrets.url(section.path("baseUrl"), "gitlab.baseUrl", DEFAULT_BASE);
    String dashboardUrl = section.has("dashboardUrl") ? ConfigSecrets.url(section.path("dashboardUrl"), "gitlab.dashboardUrl", null)
        : null;
    boolean autoPlay = bool(section.path("autoPlay"), "gitlab.autoPlay", false);
    String sharedBot = ConfigSecrets.optional(section, "gitlab", "botTokenFile", "botTokenEnv", env);
    String sharedToken = ConfigSecrets.optional(section, "gitlab", "webhookTokenFile", "webhookTokenEnv", env);
    byte[] sharedSigning = signingKey(ConfigSecrets.optional(section, "gitlab", "signingSecretFile", "signingSecretEnv", env),
        "gitlab.signingSecretFile");

    JsonNode tenantsNode = section.path("tenants");
    if (!tenantsNode.isObject() || tenantsNode.isEmpty()) {
      throw new IllegalArgumentException("gitlab.tenants: expected a mapping of tenant to its GitLab groups, e.g. {"
          + tenants.iterator().next() + ": [" + tenants.iterator().next() + "]}");
    }
    Map<String, GitLabSettings.Tenant> parsed = new LinkedHashMap<>();
    List<GitLabWebhookAuth.Credential> credentials = new ArrayList<>();
    Map<String, List<String>> freezeProjects = new LinkedHashMap<>();
    boolean someTenantUsesShared = false;
    for (Map.Entry<String, JsonNode> e : tenantsNode.properties()) {
      String name = e.getKey();
      String prefix = "gitlab.tenants." + name;
      if (!tenants.contains(name)) {
        throw new IllegalArgumentException(prefix + ": expected a tenant from tenants " + tenants);
      }
      JsonNode t = e.getValue().isArray() ? groupsOnly(e.getValue()) : e.getValue();
      if (!t.isObject()) {
        throw new IllegalArgumentException(prefix + ": expected a list of groups or a mapping with groups");
      }
      requireKeys(t, TENANT_KEYS, prefix);
      List<String> groups = strings(t.path("groups"), prefix + ".groups");
      String bot = ConfigSecrets.optional(t, prefix, "botTokenFile", "botTokenEnv", env);
      if (bot == null) {
        bot = sharedBot;
      }
      if (bot == null) {
        throw new IllegalArgumentException(prefix + ".botTokenFile: expected the bot user's token here or in gitlab.botTokenFile "
            + "(or a ...Env key)");
      }
      GitLabSettings.Tenant tenant;
      try {
        tenant = new GitLabSettings.Tenant(name, groups, token(bot, prefix + ".botToken"));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(ex.getMessage().startsWith("gitlab.") ? ex.getMessage() : prefix + ": " + ex.getMessage());
      }
      parsed.put(name, tenant);
      String ownToken = ConfigSecrets.optional(t, prefix, "webhookTokenFile", "webhookTokenEnv", env);
      byte[] ownSigning = signingKey(ConfigSecrets.optional(t, prefix, "signingSecretFile", "signingSecretEnv", env),
          prefix + ".signingSecretFile");
      if (ownToken != null || ownSigning != null) {
        credentials.add(new GitLabWebhookAuth.Credential(name, ownToken, ownSigning));
      } else if (sharedToken == null && sharedSigning == null) {
        throw new IllegalArgumentException(prefix + ".webhookTokenFile: expected a webhook token or signing secret for this tenant "
            + "or a shared one (gitlab.webhookTokenFile / gitlab.signingSecretFile)");
      } else {
        someTenantUsesShared = true;
      }
      List<String> projects = t.has("freezeProjects") ? strings(t.path("freezeProjects"), prefix + ".freezeProjects") : List.of();
      for (String p : projects) {
        if (!tenant.owns(p)) {
          throw new IllegalArgumentException(prefix + ".freezeProjects: \"" + p + "\" is not in this tenant's groups " + groups);
        }
      }
      freezeProjects.put(name, projects);
    }
    if (someTenantUsesShared) {
      credentials.add(0, new GitLabWebhookAuth.Credential(null, sharedToken, sharedSigning));
    } else if (sharedToken != null || sharedSigning != null) {
      // A secret nobody may use is a mistake waiting to be relied on: say so instead of ignoring it.
      throw new IllegalArgumentException("gitlab." + (sharedToken != null ? "webhookTokenFile" : "signingSecretFile")
          + ": every tenant has its own webhook secret, so the shared one would authenticate nothing; remove it");
    }
    GitLabSettings settings;
    try {
      settings = new GitLabSettings(baseUrl, dashboardUrl, autoPlay, parsed, new GitLabWebhookAuth(credentials));
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(ex.getMessage().startsWith("gitlab") ? ex.getMessage() : "gitlab: " + ex.getMessage());
    }
    return new GitLabConfig(settings, freezes(section.path("freezes"), environments, freezeProjects));
  }

  private static Freezes freezes(JsonNode node, Set<String> environments, Map<String, List<String>> projects) {
    if (node.isMissingNode()) {
      return new Freezes(true, Duration.ofMinutes(5), Duration.ofDays(1), Set.of(), projects);
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("gitlab.freezes: expected a mapping");
    }
    requireKeys(node, FREEZE_KEYS, "gitlab.freezes");
    boolean enabled = bool(node.path("import"), "gitlab.freezes.import", true);
    Duration refresh = node.has("refresh") ? Durations.parse(node.path("refresh").asText(""), "gitlab.freezes.refresh")
        : Duration.ofMinutes(5);
    Duration maxStale = node.has("maxStale") ? Durations.parse(node.path("maxStale").asText(""), "gitlab.freezes.maxStale")
        : Duration.ofDays(1);
    if (refresh.isNegative() || refresh.isZero() || maxStale.compareTo(refresh) < 0) {
      throw new IllegalArgumentException("gitlab.freezes.maxStale: expected refresh > 0 and maxStale >= refresh, got refresh "
          + refresh + ", maxStale " + maxStale);
    }
    Set<String> envs = new LinkedHashSet<>();
    if (node.has("environments")) {
      for (String e : strings(node.path("environments"), "gitlab.freezes.environments")) {
        if (!environments.contains(e)) {
          throw new IllegalArgumentException("gitlab.freezes.environments: \"" + e + "\" is not configured (configured: "
              + environments.stream().sorted().toList() + ")");
        }
        envs.add(e);
      }
    }
    return new Freezes(enabled, refresh, maxStale, envs, projects);
  }

  private static JsonNode groupsOnly(JsonNode list) {
    var node = dev.tollgate.contracts.Json.mapper().createObjectNode();
    node.set("groups", list);
    return node;
  }

  private static GitLabToken token(String value, String key) {
    try {
      return new GitLabToken(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static byte[] signingKey(String secret, String key) {
    if (secret == null) {
      return null;
    }
    try {
      return GitLabWebhookAuth.signingKey(secret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static void requireKeys(JsonNode node, Set<String> known, String prefix) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(prefix + ": expected a mapping");
    }
    ConfigKeys.requireKnown(node, known, prefix);
  }

  private static boolean bool(JsonNode node, String key, boolean fallback) {
    if (node.isMissingNode()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(key + ": expected true or false, got " + node);
    }
    return node.asBoolean();
  }

  private static List<String> strings(JsonNode node, String key) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(key + ": expected a non-empty list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isTextual() || n.asText().isBlank()) {
        throw new IllegalArgumentException(key + ": expected text entries, got " + n);
      }
      out.add(n.asText().strip());
    }
    return out;
  }

  /** What the gate needs: tenants with their bots, webhook secrets, URLs. */
  public GitLabSettings settings() {
    return settings;
  }

  /** How freeze periods are imported for the calendar probe. */
  public Freezes freezes() {
    return freezes;
  }

  @Override
  public String toString() {
    return "GitLabConfig[baseUrl=" + settings.baseUrl() + ", dashboardUrl=" + settings.dashboardUrl() + ", autoPlay="
        + settings.autoPlay() + ", tenants=" + settings.tenants().keySet() + ", freezes=" + freezes + ", secrets=(redacted)]";
  }
}
