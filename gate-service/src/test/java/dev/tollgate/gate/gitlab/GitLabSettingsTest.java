package dev.tollgate.gate.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tenancy by GitLab group: one tenant per project, nothing shared; repository URLs from configuration only. */
class GitLabSettingsTest {
  static final GitLabWebhookAuth AUTH = new GitLabWebhookAuth(List.of(new GitLabWebhookAuth.Credential(null, "shared", null),
      new GitLabWebhookAuth.Credential("globex", "globex-own", null)));

  static GitLabSettings settings(Map<String, GitLabSettings.Tenant> tenants) {
    return new GitLabSettings("https://gitlab.example.com/", null, false, tenants, AUTH);
  }

  static GitLabSettings.Tenant tenant(String name, String... groups) {
    return new GitLabSettings.Tenant(name, List.of(groups), new GitLabToken("glpat-" + name));
  }

  @Test
  void aProjectBelongsToTheTenantOfItsGroupIncludingSubgroups() {
    GitLabSettings s = settings(Map.of("acme", tenant("acme", "acme", "labs/platform"), "globex", tenant("globex", "globex")));
    assertEquals("acme", s.tenantOf("acme/shop").orElseThrow().name());
    assertEquals("acme", s.tenantOf("ACME/team/shop").orElseThrow().name(), "GitLab paths compare case-insensitively");
    assertEquals("acme", s.tenantOf("labs/platform/api").orElseThrow().name());
    assertEquals(Optional.empty(), s.tenantOf("labs/other/api"));
    assertEquals(Optional.empty(), s.tenantOf("acme-evil/shop"), "a group boundary, not a string prefix");
    assertTrue(s.acceptsShared("acme"));
    assertFalse(s.acceptsShared("globex"), "globex has its own webhook token");
    assertEquals("https://gitlab.example.com/api/v4", s.apiUrl());
  }

  @Test
  void groupsAreNeverSharedBetweenTenants() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings(Map.of("acme", tenant("acme", "acme"), "globex", tenant("globex", "acme/sub"))));
    assertTrue(e.getMessage().contains("nothing may be shared between tenants"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("acme", tenant("acme", "Acme"), "globex", tenant("globex", "acme"))));
    assertThrows(IllegalArgumentException.class, () -> tenant("acme", "../etc"));
    assertThrows(IllegalArgumentException.class, () -> tenant("acme"));
  }

  @Test
  void repositoryUrlsComeFromTheBaseUrlAndMapBack() {
    GitLabSettings s = settings(Map.of("acme", tenant("acme", "acme"), "globex", tenant("globex", "globex")));
    assertEquals("https://gitlab.example.com/acme/team/shop.git", s.repositoryUrl("acme/team/shop"));
    assertEquals(Optional.of("acme/team/shop"), s.projectPath("https://GITLAB.example.com/acme/team/shop.git"));
    assertEquals(Optional.of("acme/shop"), s.projectPath("https://gitlab.example.com/acme/shop"));
    assertEquals(Optional.empty(), s.projectPath("https://github.com/acme/shop"));
    assertEquals(Optional.empty(), s.projectPath("https://gitlab.example.com.evil/acme/shop"));
    assertEquals(Optional.empty(), s.projectPath("/srv/git/acme/shop"));
  }

  @Test
  void noTokenIsShown() {
    GitLabSettings s = settings(Map.of("acme", tenant("acme", "acme"), "globex", tenant("globex", "globex")));
    assertFalse(s.toString().contains("glpat-"), s.toString());
    assertFalse(s.toString().contains("globex-own"), s.toString());
    assertThrows(IllegalArgumentException.class, () -> new GitLabToken("has space"));
    assertThrows(IllegalArgumentException.class, () -> new GitLabToken(""));
  }
}
