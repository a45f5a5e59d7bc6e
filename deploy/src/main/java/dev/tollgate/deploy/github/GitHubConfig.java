package dev.tollgate.deploy.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.deploy.ConfigSecrets;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code github:} section of {@code tollgate.yml}, read by the gate and the workers alike (they share the file):
 *
 * <pre>
 * github:
 *   appId: 123456                              # the App's id (its settings page)
 *   privateKeyFile: /run/secrets/github-app.pem   # or privateKeyEnv: NAME (the PEM in that environment variable)
 *   webhookSecretFile: /run/secrets/github-webhook # or webhookSecretEnv: NAME
 *   apiUrl: https://api.github.com             # default; GitHub Enterprise Server: https://HOST/api/v3
 *   webUrl: https://github.com                 # default: derived from apiUrl
 *   dashboardUrl: https://tollgate.example.com # links in comments: {dashboardUrl}/evaluations/{id}
 *   installations: {12345678: acme}            # installation id → tenant; any other installation is refused
 * </pre>
 *
 * Secrets come only from files or environment variables, never from the file itself or the command line; every
 * error names the key and never the secret. {@link #toString()} shows no secret (the JDK's RSA key
 * {@code toString()} prints the private exponent, so the key is never part of a default string).
 */
public final class GitHubConfig {
  static final Set<String> KEYS = Set.of("appId", "privateKeyFile", "privateKeyEnv", "webhookSecretFile", "webhookSecretEnv",
      "apiUrl", "webUrl", "dashboardUrl", "installations");
  static final String DEFAULT_API = "https://api.github.com";

  private final long appId;
  private final RSAPrivateCrtKey privateKey;
  private final byte[] webhookSecret;
  private final String apiUrl;
  private final String webUrl;
  private final String dashboardUrl;
  private final Map<Long, String> installations;

  GitHubConfig(long appId, RSAPrivateCrtKey privateKey, byte[] webhookSecret, String apiUrl, String webUrl, String dashboardUrl,
      Map<Long, String> installations) {
    this.appId = appId;
    this.privateKey = privateKey;
    this.webhookSecret = webhookSecret.clone();
    this.apiUrl = apiUrl;
    this.webUrl = webUrl;
    this.dashboardUrl = dashboardUrl;
    this.installations = Map.copyOf(installations);
  }

  /**
   * Reads the section.
   *
   * @param section the {@code github:} node, missing when GitHub is not used
   * @param tenants the configured tenants: every installation must map to one of them
   * @param env environment variables ({@code System::getenv} in production)
   * @return null when the section is absent
   * @throws IllegalArgumentException naming the key (and never a secret)
   */
  public static GitHubConfig from(JsonNode section, Set<String> tenants, Function<String, String> env) {
    if (section.isMissingNode() || section.isNull()) {
      return null;
    }
    if (!section.isObject()) {
      throw new IllegalArgumentException("github: expected a mapping");
    }
    ConfigKeys.requireKnown(section, KEYS, "github");
    JsonNode id = section.path("appId");
    if (!id.isIntegralNumber() || id.asLong() <= 0) {
      throw new IllegalArgumentException("github.appId: expected the App's numeric id (a positive integer), got "
          + (id.isMissingNode() ? "nothing" : id.toString()));
    }
    String pem = secret(section, "privateKeyFile", "privateKeyEnv", env);
    RSAPrivateCrtKey key;
    try {
      key = PemKeys.parse(pem);
    } catch (IllegalArgumentException e) {
      String where = section.has("privateKeyFile") ? "github.privateKeyFile (" + section.path("privateKeyFile").asText() + ")"
          : "github.privateKeyEnv (" + section.path("privateKeyEnv").asText() + ")";
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    byte[] webhookSecret = secret(section, "webhookSecretFile", "webhookSecretEnv", env).getBytes(StandardCharsets.UTF_8);
    String apiUrl = url(section.path("apiUrl"), "github.apiUrl", DEFAULT_API);
    String webUrl = section.has("webUrl") ? url(section.path("webUrl"), "github.webUrl", null) : webUrlOf(apiUrl);
    String dashboardUrl = section.has("dashboardUrl") ? url(section.path("dashboardUrl"), "github.dashboardUrl", null) : null;
    return new GitHubConfig(id.asLong(), key, webhookSecret, apiUrl, webUrl, dashboardUrl,
        installations(section.path("installations"), tenants));
  }

  /** Exactly one of {@code fileKey} and {@code envKey}; the secret it points at, stripped, non-empty. */
  private static String secret(JsonNode section, String fileKey, String envKey, Function<String, String> env) {
    return ConfigSecrets.required(section, "github", fileKey, envKey, env);
  }

  /** An https URL without credentials, query or fragment; http only on a loopback host (tests, local tools). */
  static String url(JsonNode node, String key, String fallback) {
    return ConfigSecrets.url(node, key, fallback);
  }

  /** github.com's API is api.github.com; GitHub Enterprise Server serves its API under {@code /api/v3}. */
  static String webUrlOf(String apiUrl) {
    if (apiUrl.equals(DEFAULT_API)) {
      return "https://github.com";
    }
    if (apiUrl.endsWith("/api/v3")) {
      return apiUrl.substring(0, apiUrl.length() - "/api/v3".length());
    }
    throw new IllegalArgumentException("github.webUrl: cannot be derived from github.apiUrl " + apiUrl
        + "; set it to where repositories are browsed (e.g. https://github.example.com)");
  }

  private static Map<Long, String> installations(JsonNode node, Set<String> tenants) {
    if (!node.isObject() || node.isEmpty()) {
      throw new IllegalArgumentException("github.installations: expected a mapping of installation id to tenant, e.g. "
          + "{12345678: " + tenants.iterator().next() + "} (the id is in the installation's URL on GitHub)");
    }
    Map<Long, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      long id;
      try {
        id = Long.parseLong(e.getKey());
      } catch (NumberFormatException ex) {
        id = -1;
      }
      if (id <= 0) {
        throw new IllegalArgumentException("github.installations." + e.getKey() + ": expected a numeric installation id");
      }
      String tenant = e.getValue().asText("");
      if (!e.getValue().isTextual() || !tenants.contains(tenant)) {
        throw new IllegalArgumentException("github.installations." + e.getKey() + ": expected a tenant from tenants "
            + tenants + ", got " + e.getValue());
      }
      map.put(id, tenant);
    }
    return map;
  }

  public long appId() {
    return appId;
  }

  RSAPrivateCrtKey privateKey() {
    return privateKey;
  }

  /** The webhook secret's bytes (a copy). */
  public byte[] webhookSecret() {
    return webhookSecret.clone();
  }

  public String apiUrl() {
    return apiUrl;
  }

  public String webUrl() {
    return webUrl;
  }

  public String dashboardUrl() {
    return dashboardUrl;
  }

  public Map<Long, String> installations() {
    return installations;
  }

  @Override
  public String toString() {
    return "GitHubConfig[appId=" + appId + ", apiUrl=" + apiUrl + ", webUrl=" + webUrl + ", dashboardUrl=" + dashboardUrl
        + ", installations=" + installations + ", privateKey=(redacted), webhookSecret=(redacted)]";
  }
}
