package dev.tollgate.deploy.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.ServerConfigFileAccess;
import dev.tollgate.deploy.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The github: section: strict, secrets only from files or the environment, errors name the key and never a secret. */
class GitHubConfigTest {
  static final Set<String> TENANTS = Set.of("acme", "globex");
  static final String SECRET = "whsec-very-secret-value-1234";
  static final String PEM = TestKeys.pkcs1Pem(TestKeys.pair());
  static final Map<String, String> ENV = Map.of("GH_KEY", PEM, "GH_HOOK", SECRET + "\n");

  @TempDir
  Path tmp;

  Path privateFile(String name, String content) throws java.io.IOException {
    Path file = Files.createFile(tmp.resolve(name), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  static GitHubConfig read(String yaml) {
    JsonNode root = ServerConfigFileAccess.parse(yaml);
    return GitHubConfig.from(root.path("github"), TENANTS, ENV::get);
  }

  static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void readsSecretsFromFilesWithDefaultsForGitHubCom() throws Exception {
    Path key = privateFile("app.pem", PEM);
    Path hook = privateFile("hook", SECRET + "\n");
    GitHubConfig c = read("""
        github:
          appId: 4242
          privateKeyFile: %s
          webhookSecretFile: %s
          installations: {12345678: acme, 87654321: globex}
        """.formatted(key, hook));
    assertEquals(4242, c.appId());
    assertEquals("https://api.github.com", c.apiUrl());
    assertEquals("https://github.com", c.webUrl());
    assertNull(c.dashboardUrl());
    assertEquals(Map.of(12345678L, "acme", 87654321L, "globex"), c.installations());
    assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), c.webhookSecret(), "trailing newline of the file dropped");
    assertFalse(c.toString().contains(SECRET), c.toString());
    assertFalse(c.toString().contains(c.privateKey().getPrivateExponent().toString()), "the JDK key's toString shows d: never use it");
  }

  @Test
  void readsSecretsFromTheEnvironmentAndSupportsGitHubEnterpriseServer() {
    GitHubConfig c = read("""
        github:
          appId: 7
          privateKeyEnv: GH_KEY
          webhookSecretEnv: GH_HOOK
          apiUrl: https://ghe.example.com/api/v3/
          dashboardUrl: https://tollgate.example.com/
          installations: {"5": acme}
        """);
    assertEquals("https://ghe.example.com/api/v3", c.apiUrl());
    assertEquals("https://ghe.example.com", c.webUrl());
    assertEquals("https://tollgate.example.com", c.dashboardUrl());
    assertEquals(Map.of(5L, "acme"), c.installations());
  }

  @Test
  void absentSectionMeansNoGitHub() {
    assertNull(read("tenants: [acme]\n"));
  }

  @Test
  void everyErrorNamesItsKey() {
    String ok = "  privateKeyEnv: GH_KEY\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n";
    assertTrue(error("github:\n  appId: abc\n" + ok).startsWith("github.appId: expected the App's numeric id"), error("github:\n  appId: abc\n" + ok));
    assertTrue(error("github:\n  appId: 1\n  secret: x\n" + ok).startsWith("github.secret: unknown key"));
    assertTrue(error("github:\n  appId: 1\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n")
        .startsWith("github.privateKeyFile: expected exactly one of privateKeyFile"));
    assertTrue(error("github:\n  appId: 1\n  privateKeyEnv: GH_KEY\n  privateKeyFile: /x\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n")
        .contains("got both"));
    assertTrue(error("github:\n  appId: 1\n  privateKeyEnv: NOPE\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n")
        .equals("github.privateKeyEnv: environment variable NOPE is not set"));
    assertTrue(error("github:\n  appId: 1\n  privateKeyFile: /nonexistent/key.pem\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n")
        .startsWith("github.privateKeyFile: /nonexistent/key.pem is not a readable file"));
    assertTrue(error("github:\n  appId: 1\n" + ok.replace("{1: acme}", "{1: initech}"))
        .startsWith("github.installations.1: expected a tenant from tenants"));
    assertTrue(error("github:\n  appId: 1\n" + ok.replace("{1: acme}", "{abc: acme}")).startsWith("github.installations.abc:"));
    assertTrue(error("github:\n  appId: 1\n" + ok.replace("  installations: {1: acme}\n", "")).startsWith("github.installations:"));
    assertTrue(error("github:\n  appId: 1\n  apiUrl: http://api.github.com\n" + ok).startsWith("github.apiUrl: expected an https URL"));
    assertTrue(error("github:\n  appId: 1\n  apiUrl: https://user:pw@api.example.com\n" + ok).startsWith("github.apiUrl:"));
    assertTrue(error("github:\n  appId: 1\n  apiUrl: https://git.example.com/rest\n" + ok).startsWith("github.webUrl: cannot be derived"));
    assertEquals("http://127.0.0.1:8123", read("github:\n  appId: 1\n  apiUrl: http://127.0.0.1:8123\n  webUrl: http://localhost:9\n" + ok)
        .apiUrl(), "plain http only for loopback (tests, local tools)");
  }

  @Test
  void aBadKeyOrAnEmptySecretIsNamedWithoutQuotingIt() throws Exception {
    Path key = privateFile("bad.pem", PEM.substring(0, PEM.length() / 2));
    String e = error("github:\n  appId: 1\n  privateKeyFile: " + key + "\n  webhookSecretEnv: GH_HOOK\n  installations: {1: acme}\n");
    assertTrue(e.startsWith("github.privateKeyFile (" + key + "): "), e);
    assertFalse(e.contains(PEM.split("\n")[1].substring(0, 16)), e);
    Path empty = privateFile("empty", "\n");
    assertEquals("github.webhookSecretFile: the secret is empty",
        error("github:\n  appId: 1\n  privateKeyEnv: GH_KEY\n  webhookSecretFile: " + empty + "\n  installations: {1: acme}\n"));
  }
}
