package dev.tollgate.deploy.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.ServerConfigFileAccess;
import dev.tollgate.gate.gitlab.GitLabWebhookAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gitlab: section: strict keys, secrets only from files or the environment, errors name the key, never a secret. */
class GitLabConfigTest {
  static final Set<String> TENANTS = Set.of("acme", "globex");
  static final Set<String> ENVIRONMENTS = Set.of("staging", "production");
  static final String BOT = "glpat-bot-very-secret-1234";
  static final String HOOK = "hook-token-very-secret-5678";
  static final String SIGNING = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final Map<String, String> ENV = Map.of("GL_BOT", BOT, "GL_HOOK", HOOK + "\n", "GL_SIGN", SIGNING, "GLOBEX_BOT", "glpat-globex",
      "GLOBEX_HOOK", "globex-hook");

  @TempDir
  Path tmp;

  Path privateFile(String name, String content) throws java.io.IOException {
    Path file = Files.createFile(tmp.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  static GitLabConfig read(String yaml) {
    JsonNode root = ServerConfigFileAccess.parse(yaml);
    return GitLabConfig.from(root.path("gitlab"), TENANTS, ENVIRONMENTS, ENV::get);
  }

  static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void readsSecretsFromFilesWithDefaultsForGitLabCom() throws Exception {
    Path bot = privateFile("bot", BOT + "\n");
    Path hook = privateFile("hook", HOOK + "\n");
    GitLabConfig c = read("""
        gitlab:
          botTokenFile: %s
          webhookTokenFile: %s
          tenants:
            acme: [acme, labs/platform]
        """.formatted(bot, hook));
    assertEquals("https://gitlab.com", c.settings().baseUrl());
    assertEquals("https://gitlab.com/api/v4", c.settings().apiUrl());
    assertNull(c.settings().dashboardUrl());
    assertFalse(c.settings().autoPlay());
    assertEquals(List.of("acme", "labs/platform"), c.settings().tenants().get("acme").groups());
    assertEquals(BOT, c.settings().tenants().get("acme").botToken().value(), "trailing newline dropped");
    assertInstanceOf(GitLabWebhookAuth.Accepted.class, c.settings().webhook().authenticate(
        new GitLabWebhookAuth.Presented(HOOK, null, null, null), new byte[0], Instant.now()));
    assertTrue(c.freezes().enabled());
    assertEquals(Duration.ofMinutes(5), c.freezes().refresh());
    assertEquals(Duration.ofDays(1), c.freezes().maxStale());
    assertEquals(Set.of(), c.freezes().environments(), "every environment");
    for (String shown : List.of(c.toString(), c.settings().toString())) {
      assertFalse(shown.contains(BOT) || shown.contains(HOOK), shown);
    }
  }

  @Test
  void readsEnvironmentVariablesPerTenantSecretsAndEveryOption() {
    GitLabConfig c = read("""
        gitlab:
          baseUrl: https://git.example.com/gitlab/
          botTokenEnv: GL_BOT
          signingSecretEnv: GL_SIGN
          dashboardUrl: https://tollgate.example.com/
          autoPlay: true
          freezes: {import: true, refresh: 1m, maxStale: 2h, environments: [production]}
          tenants:
            acme:
              groups: [acme]
              freezeProjects: [acme/ops/calendar]
            globex:
              groups: [globex]
              botTokenEnv: GLOBEX_BOT
              webhookTokenEnv: GLOBEX_HOOK
        """);
    assertEquals("https://git.example.com/gitlab", c.settings().baseUrl());
    assertEquals("https://git.example.com/gitlab/api/v4", c.settings().apiUrl());
    assertEquals("https://tollgate.example.com", c.settings().dashboardUrl());
    assertTrue(c.settings().autoPlay());
    assertEquals(BOT, c.settings().tenants().get("acme").botToken().value(), "the shared bot");
    assertEquals("glpat-globex", c.settings().tenants().get("globex").botToken().value(), "globex's own bot");
    assertTrue(c.settings().acceptsShared("acme"));
    assertFalse(c.settings().acceptsShared("globex"));
    assertEquals(new GitLabConfig.Freezes(true, Duration.ofMinutes(1), Duration.ofHours(2), Set.of("production"),
        Map.of("acme", List.of("acme/ops/calendar"), "globex", List.of())), c.freezes());
    var globex = c.settings().webhook().authenticate(new GitLabWebhookAuth.Presented("globex-hook", null, null, null), new byte[0],
        Instant.now());
    assertEquals("globex", ((GitLabWebhookAuth.Accepted) globex).tenant());
  }

  @Test
  void absentSectionMeansNoGitLab() {
    assertNull(read("tenants: [acme]\n"));
  }

  @Test
  void everyErrorNamesItsKey() {
    String ok = "  botTokenEnv: GL_BOT\n  webhookTokenEnv: GL_HOOK\n";
    String tenants = "  tenants: {acme: [acme]}\n";
    assertTrue(error("gitlab:\n" + ok + tenants + "  token: x\n").startsWith("gitlab.token: unknown key"));
    assertTrue(error("gitlab:\n" + ok).startsWith("gitlab.tenants: expected a mapping"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {initech: [initech]}\n").startsWith("gitlab.tenants.initech: expected a tenant"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {acme: {groups: [acme], botToken: x}}\n")
        .startsWith("gitlab.tenants.acme.botToken: unknown key"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {acme: {groups: []}}\n").startsWith("gitlab.tenants.acme.groups: expected"));
    assertTrue(error("gitlab:\n  webhookTokenEnv: GL_HOOK\n" + tenants).startsWith("gitlab.tenants.acme.botTokenFile: expected the bot"));
    assertTrue(error("gitlab:\n  botTokenEnv: GL_BOT\n" + tenants).startsWith("gitlab.tenants.acme.webhookTokenFile: expected a webhook"));
    assertEquals("gitlab.botTokenEnv: environment variable NOPE is not set",
        error("gitlab:\n  botTokenEnv: NOPE\n  webhookTokenEnv: GL_HOOK\n" + tenants));
    assertTrue(error("gitlab:\n  botTokenEnv: GL_BOT\n  botTokenFile: /x\n  webhookTokenEnv: GL_HOOK\n" + tenants).contains("got both"));
    assertTrue(error("gitlab:\n" + ok + tenants + "  baseUrl: http://gitlab.example.com\n").startsWith("gitlab.baseUrl: expected an https URL"));
    assertTrue(error("gitlab:\n" + ok + tenants + "  autoPlay: yes-please\n").startsWith("gitlab.autoPlay: expected true or false"));
    assertTrue(error("gitlab:\n" + ok + tenants + "  freezes: {environments: [qa]}\n")
        .startsWith("gitlab.freezes.environments: \"qa\" is not configured"));
    assertTrue(error("gitlab:\n" + ok + tenants + "  freezes: {refresh: soon}\n").startsWith("gitlab.freezes.refresh"));
    assertTrue(error("gitlab:\n" + ok + tenants + "  freezes: {refresh: 2h, maxStale: 1h}\n").startsWith("gitlab.freezes.maxStale"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {acme: {groups: [acme], freezeProjects: [globex/x]}}\n")
        .startsWith("gitlab.tenants.acme.freezeProjects: \"globex/x\" is not in this tenant's groups"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {acme: [acme], globex: [acme/globex]}\n").contains("nothing may be shared"));
    assertTrue(error("gitlab:\n  botTokenEnv: GL_BOT\n  tenants: {acme: {groups: [acme], webhookTokenEnv: GL_HOOK}, "
        + "globex: {groups: [globex], webhookTokenEnv: GL_HOOK}}\n").contains("two webhook tokens are the same"));
    assertTrue(error("gitlab:\n" + ok + "  tenants: {acme: {groups: [acme], webhookTokenEnv: GLOBEX_HOOK}}\n")
        .startsWith("gitlab.webhookTokenFile: every tenant has its own webhook secret"));
    assertTrue(error("gitlab:\n  botTokenEnv: GL_BOT\n  signingSecretEnv: GL_HOOK\n" + tenants).startsWith("gitlab.signingSecretFile:"));
  }

  @Test
  void anEmptyOrUnreadableSecretIsNamedWithoutQuotingIt() throws Exception {
    Path empty = privateFile("empty", "\n");
    assertEquals("gitlab.botTokenFile: the secret is empty",
        error("gitlab:\n  botTokenFile: " + empty + "\n  webhookTokenEnv: GL_HOOK\n  tenants: {acme: [acme]}\n"));
    Path spaced = privateFile("spaced", "glpat has spaces\n");
    String e = error("gitlab:\n  botTokenFile: " + spaced + "\n  webhookTokenEnv: GL_HOOK\n  tenants: {acme: [acme]}\n");
    assertTrue(e.startsWith("gitlab.tenants.acme.botToken: expected a non-empty token"), e);
    assertFalse(e.contains("has spaces"), e);
  }
}
