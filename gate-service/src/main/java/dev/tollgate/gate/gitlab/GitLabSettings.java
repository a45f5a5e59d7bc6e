package dev.tollgate.gate.gitlab;

import dev.tollgate.contracts.evaluation.RepositoryLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the gate (and the workers' freeze import) need of the {@code gitlab:} section of {@code tollgate.yml}, parsed
 * and validated by the launcher. Tenancy is by GitLab group: a project belongs to the tenant whose group path is a
 * prefix of its {@code path_with_namespace}; no group is shared by two tenants, so a project has at most one tenant.
 * {@code toString()} shows no secret.
 *
 * @param baseUrl the GitLab instance without trailing slash: {@code https://gitlab.com} or a self-managed URL (may
 *     have a relative path such as {@code https://example.com/gitlab}); the REST API is {@code <baseUrl>/api/v4} and
 *     repositories are {@code <baseUrl>/<path>.git}
 * @param dashboardUrl base of links to evaluations ({@code <dashboardUrl>/evaluations/<id>}), or null
 * @param autoPlay after a GO, start the deploy job (a manual job, or the job of the deployment Tollgate approved):
 *     an approval alone does not start a job in GitLab
 * @param tenants tenant name → its groups and bot token
 * @param webhook who may send webhooks, per tenant or shared
 */
public record GitLabSettings(String baseUrl, String dashboardUrl, boolean autoPlay, Map<String, Tenant> tenants,
    GitLabWebhookAuth webhook) {
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,255}(/[A-Za-z0-9_.-]{1,255}){0,20}");

  /**
   * One tenant's part of GitLab.
   *
   * @param groups group or namespace paths ({@code acme}, {@code acme/platform}); their projects and subgroups are the
   *     tenant's
   * @param botToken the token of the bot user that approves, sets statuses, reads freeze periods and clones for this
   *     tenant
   */
  public record Tenant(String name, List<String> groups, GitLabToken botToken) {
    public Tenant {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(botToken, "botToken");
      groups = groups.stream().map(g -> g.strip().replaceAll("^/+|/+$", "")).toList();
      if (groups.isEmpty()) {
        throw new IllegalArgumentException("gitlab.tenants." + name + ".groups: expected at least one group path");
      }
      for (String g : groups) {
        if (!GROUP.matcher(g).matches() || g.contains("..")) {
          throw new IllegalArgumentException("gitlab.tenants." + name + ".groups: expected group paths like acme or acme/platform, "
              + "got \"" + g + "\"");
        }
      }
    }

    /** True when {@code projectPath} lies in one of this tenant's groups (GitLab paths compare case-insensitively). */
    public boolean owns(String projectPath) {
      String p = projectPath.toLowerCase(Locale.ROOT);
      return groups.stream().anyMatch(g -> p.startsWith(g.toLowerCase(Locale.ROOT) + "/"));
    }
  }

  public GitLabSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(webhook, "webhook");
    baseUrl = trimSlash(baseUrl);
    dashboardUrl = dashboardUrl == null ? null : trimSlash(dashboardUrl);
    tenants = Map.copyOf(new LinkedHashMap<>(tenants));
    if (tenants.isEmpty()) {
      throw new IllegalArgumentException("gitlab.tenants: expected at least one tenant with its groups");
    }
    List<Tenant> all = new ArrayList<>(tenants.values());
    for (int i = 0; i < all.size(); i++) {
      for (int j = 0; j < all.size(); j++) {
        if (i == j) {
          continue;
        }
        for (String g : all.get(i).groups()) {
          for (String h : all.get(j).groups()) {
            String a = g.toLowerCase(Locale.ROOT);
            String b = h.toLowerCase(Locale.ROOT);
            if (a.equals(b) || a.startsWith(b + "/")) {
              throw new IllegalArgumentException("gitlab.tenants." + all.get(i).name() + ".groups: \"" + g + "\" lies in group \"" + h
                  + "\" of tenant " + all.get(j).name() + "; nothing may be shared between tenants");
            }
          }
        }
      }
    }
    for (GitLabWebhookAuth.Credential c : webhook.credentials()) {
      if (c.tenant() != null && !tenants.containsKey(c.tenant())) {
        throw new IllegalArgumentException("gitlab: a webhook credential names tenant " + c.tenant() + ", which has no groups");
      }
    }
  }

  /** The REST API base: {@code <baseUrl>/api/v4}. */
  public String apiUrl() {
    return baseUrl + "/api/v4";
  }

  /** The tenant whose groups hold {@code projectPath}, if any. */
  public Optional<Tenant> tenantOf(String projectPath) {
    return tenants.values().stream().filter(t -> t.owns(projectPath)).findFirst();
  }

  /** True when deliveries authenticated by the shared credential may act for {@code tenant} (it has none of its own). */
  public boolean acceptsShared(String tenant) {
    return webhook.credentials().stream().noneMatch(c -> tenant.equals(c.tenant()));
  }

  /** The clone URL of a project: {@code <baseUrl>/<path>.git}, built from configuration, never from a payload. */
  public String repositoryUrl(String projectPath) {
    return RepositoryLocation.parse(baseUrl + "/" + projectPath + ".git").value();
  }

  /**
   * The project path of a repository URL on this GitLab ({@code acme/shop} for {@code <baseUrl>/acme/shop.git}), or
   * empty for other hosts and local paths.
   */
  public Optional<String> projectPath(String repositoryUrl) {
    RepositoryLocation location;
    RepositoryLocation base;
    try {
      location = RepositoryLocation.parse(repositoryUrl);
      base = RepositoryLocation.parse(baseUrl + "/x");
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String root = base.value().substring(0, base.value().length() - 2);
    if (location.isLocal() || !location.isUnder(root)) {
      return Optional.empty();
    }
    String path = location.identity().substring(root.length() + 1);
    return path.contains("/") && !path.startsWith("-/") && !path.contains("/-/") ? Optional.of(path) : Optional.empty();
  }

  /** The link to an evaluation on the dashboard, or null when no dashboard is configured. */
  public String evaluationLink(String evaluationId) {
    return dashboardUrl == null ? null : dashboardUrl + "/evaluations/" + evaluationId;
  }

  private static String trimSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
