package dev.tollgate.deploy.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.ServerConfigFileAccess;
import dev.tollgate.gate.slack.SlackSettings;
import dev.tollgate.gate.slack.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slack: section: strict keys, secrets only from files or the environment, ids not names, errors without secrets. */
class SlackConfigTest {
  static final Set<String> ENVIRONMENTS = Set.of("staging", "production");
  static final String TOKEN = "xoxb-1234-5678-verysecrettokenvalue";
  static final String SIGNING = "signing-secret-value-0123456789";
  static final Map<String, String> ENV = Map.of("SLACK_TOKEN", TOKEN + "\n", "SLACK_SIGNING", SIGNING, "USER_TOKEN", "xoxp-1-2-3");

  @TempDir
  Path tmp;

  Path privateFile(String name, String content) throws java.io.IOException {
    Path file = Files.createFile(tmp.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  static SlackSettings read(String yaml) {
    JsonNode root = ServerConfigFileAccess.parse(yaml);
    return SlackConfig.from(root.path("slack"), ENVIRONMENTS, ENV::get, Clock.systemUTC());
  }

  static String error(String yaml) {
    String message = assertThrows(IllegalArgumentException.class, () -> read(yaml)).getMessage();
    assertFalse(message.contains(TOKEN) || message.contains(SIGNING), "an error showed a secret: " + message);
    return message;
  }

  static final String ENV_SECRETS = "slack:\n  botTokenEnv: SLACK_TOKEN\n  signingSecretEnv: SLACK_SIGNING\n";

  @Test
  void readsSecretsFromFilesWithSlacksApiAsTheDefault() throws Exception {
    Path token = privateFile("token", TOKEN + "\n");
    Path signing = privateFile("signing", SIGNING);
    SlackSettings s = read("""
        slack:
          botTokenFile: %s
          signingSecretFile: %s
          dashboardUrl: https://tollgate.example.com/
          channels: {production: C0123ABCD}
          users: {U0123ABCD: alice, W0456EFGH: bob}
        """.formatted(token, signing));
    assertEquals(TOKEN, s.botToken());
    assertEquals("https://slack.com/api", s.apiUrl());
    assertEquals(Optional.of("C0123ABCD"), s.channelFor("production"));
    assertEquals(Optional.empty(), s.channelFor("staging"));
    assertEquals(Optional.of("alice"), s.identityOf("U0123ABCD"));
    assertEquals("https://tollgate.example.com/evaluations/ev-1", s.evaluationLink("ev-1"));
    assertNull(s.teamId());
    // The signing secret is the one configured: a request it signs verifies.
    byte[] body = "payload=%7B%7D".getBytes(StandardCharsets.UTF_8);
    String ts = Long.toString(Instant.now().getEpochSecond());
    assertEquals(SlackSignature.Check.VALID, s.signature().verify(ts, body, SlackSignature.of(SIGNING, Clock.systemUTC()).sign(ts, body)));
    assertFalse(s.toString().contains(TOKEN) || s.toString().contains(SIGNING), s.toString());
  }

  @Test
  void readsSecretsFromTheEnvironmentAndIsAbsentWithoutASection() {
    SlackSettings s = read(ENV_SECRETS + "  apiUrl: http://127.0.0.1:8089/api\n  teamId: T0ACME0001\n  channels: {staging: G0123ABCD}\n");
    assertEquals(TOKEN, s.botToken(), "stripped");
    assertEquals("http://127.0.0.1:8089/api", s.apiUrl());
    assertEquals("T0ACME0001", s.teamId());
    assertEquals(Map.of(), s.users(), "messages only: nobody votes from Slack");
    assertNull(read("tenants: [acme]\n"));
  }

  @Test
  void everyMistakeNamesItsKey() throws Exception {
    assertEquals("slack.botTokenFile: expected exactly one of botTokenFile (a file) or botTokenEnv (an environment variable's name)",
        error("slack:\n  signingSecretEnv: SLACK_SIGNING\n  channels: {production: C0123ABCD}\n"));
    assertTrue(error("slack:\n  botTokenEnv: USER_TOKEN\n  signingSecretEnv: SLACK_SIGNING\n  channels: {production: C0123ABCD}\n")
        .startsWith("slack.botTokenEnv: expected a bot token (xoxb-"), "a user token would post as a person");
    assertEquals("slack.signingSecretEnv: environment variable NOPE is not set",
        error("slack:\n  botTokenEnv: SLACK_TOKEN\n  signingSecretEnv: NOPE\n  channels: {production: C0123ABCD}\n"));
    assertTrue(error(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  token: xoxb-inline\n").startsWith("slack.token: unknown key"));
    assertTrue(error(ENV_SECRETS + "  channels: {production: \"#deploys\"}\n").startsWith("slack.channels.production: expected a channel id"));
    assertTrue(error(ENV_SECRETS + "  channels: {qa: C0123ABCD}\n").startsWith("slack.channels.qa: not a configured environment"));
    assertTrue(error(ENV_SECRETS).startsWith("slack.channels: expected a mapping"));
    assertTrue(error(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  users: {alice: alice}\n")
        .startsWith("slack.users.alice: expected a Slack user id"));
    assertTrue(error(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  apiUrl: http://slack.example.com/api\n")
        .startsWith("slack.apiUrl: expected an https URL"), "the token never travels in clear text");
    assertTrue(error(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  teamId: acme\n").startsWith("slack.teamId:"));
    Path empty = privateFile("empty", "\n");
    assertEquals("slack.botTokenFile: the secret is empty", error("slack:\n  botTokenFile: " + empty
        + "\n  signingSecretEnv: SLACK_SIGNING\n  channels: {production: C0123ABCD}\n"));
  }

  @Test
  void aWorkspaceServesTheTenantsItNamesOrEveryTenant() {
    SlackSettings all = read(ENV_SECRETS + "  channels: {production: C0123ABCD}\n");
    assertTrue(all.serves("acme") && all.serves("globex"), "no tenants: every tenant");
    JsonNode root = ServerConfigFileAccess.parse(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  tenants: [acme]\n");
    SlackSettings acme = SlackConfig.from(root.path("slack"), ENVIRONMENTS, Set.of("acme", "globex"), ENV::get, Clock.systemUTC());
    assertTrue(acme.serves("acme"));
    assertFalse(acme.serves("globex"), "another tenant's evaluations are neither posted nor shown nor voted on here");
    String unknown = assertThrows(IllegalArgumentException.class, () -> SlackConfig.from(
        ServerConfigFileAccess.parse(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  tenants: [initech]\n").path("slack"),
        ENVIRONMENTS, Set.of("acme", "globex"), ENV::get, Clock.systemUTC())).getMessage();
    assertEquals("slack.tenants: initech is not a configured tenant (tenants: [acme, globex])", unknown);
    assertTrue(error(ENV_SECRETS + "  channels: {production: C0123ABCD}\n  tenants: []\n").startsWith("slack.tenants: expected a non-empty list"));
  }
}
