package dev.tollgate.deploy.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.ServerConfigFileAccess;
import dev.tollgate.deploy.testing.FakeGitHub;
import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.probes.repo.GitCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Installation tokens against a fake GitHub that checks the JWT: exchanged, cached until shortly before expiry, per tenant. */
class GitHubAppAuthTest {
  static final long APP = 4242;
  FakeGitHub github;
  AtomicLong nanos = new AtomicLong();
  GitHubAppAuth auth;

  @BeforeEach
  void start() throws Exception {
    github = new FakeGitHub(APP, TestKeys.pair().getPublic()).install("acme/shop", 9001).install("globex/site", 9002);
    auth = auth(TestKeys.pkcs1Pem(TestKeys.pair()));
  }

  GitHubAppAuth auth(String pem) {
    var root = ServerConfigFileAccess.parse("""
        github:
          appId: %d
          privateKeyEnv: KEY
          webhookSecretEnv: HOOK
          apiUrl: %s
          webUrl: https://github.example.com
          installations: {9001: acme, 9002: globex}
        """.formatted(APP, github.apiUrl()));
    GitHubConfig config = GitHubConfig.from(root.path("github"), Set.of("acme", "globex"), Map.of("KEY", pem, "HOOK", "s")::get);
    return new GitHubAppAuth(config, Clock.systemUTC(), nanos::get, HttpClient.newHttpClient(), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    github.close();
  }

  long tokenCalls() {
    return github.calls().stream().filter(c -> c.path().endsWith("/access_tokens")).count();
  }

  @Test
  void exchangesAJwtForATokenAndReusesItUntilFiveMinutesBeforeItExpires() {
    String first = auth.token(9001);
    assertTrue(github.validToken(first, 9001), "a token the fake issued for installation 9001");
    assertEquals("jwt", github.calls().get(0).auth(), "the fake verified the App JWT");
    assertEquals(first, auth.token(9001));
    assertEquals(1, tokenCalls());
    nanos.addAndGet(Duration.ofMinutes(54).toNanos());
    assertEquals(first, auth.token(9001), "still an hour-long token's first 55 minutes");
    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    String second = auth.token(9001);
    assertNotEquals(first, second, "renewed 5 minutes before expiry");
    assertEquals(2, tokenCalls());
  }

  @Test
  void aTokenCloseToExpiryIsNeverCachedAndARefusedOneIsForgotten() {
    github.tokenLifetime(Duration.ofMinutes(4));
    auth.token(9001);
    auth.token(9001);
    assertEquals(2, tokenCalls(), "a token with under 5 minutes left is used once, not kept");
    github.tokenLifetime(Duration.ofHours(1));
    String kept = auth.token(9001);
    auth.invalidate(9001);
    assertNotEquals(kept, auth.token(9001));
  }

  @Test
  void tokensAreOnlyForConfiguredInstallationsAndAWrongKeyIsRefusedByGitHub() {
    var unknown = assertThrows(IllegalStateException.class, () -> auth.token(1234));
    assertTrue(unknown.getMessage().contains("not listed in github.installations"), unknown.getMessage());
    GitHubAppAuth wrongKey = auth(TestKeys.pkcs1Pem(TestKeys.pair(2048)));
    var refused = assertThrows(IllegalStateException.class, () -> wrongKey.token(9001));
    assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());
    assertFalse(refused.getMessage().contains("eyJ"), "no JWT in the message: " + refused.getMessage());
  }

  @Test
  void credentialsAreForTheRepositorysInstallationAndOnlyForItsTenant() {
    Optional<GitCredentials.Credentials> acme = auth.lookup("acme", "https://github.example.com/acme/shop.git");
    assertTrue(acme.isPresent());
    assertEquals("x-access-token", acme.get().username());
    assertTrue(github.validToken(acme.get().password(), 9001));
    assertFalse(acme.get().toString().contains(acme.get().password()), acme.get().toString());
    assertTrue(auth.lookup("globex", "https://github.example.com/acme/shop").isEmpty(), "acme's repository is not globex's");
    assertEquals(Optional.of(9002L), auth.installationFor("globex", "https://github.example.com/globex/site"));
    assertTrue(auth.lookup("acme", "https://github.example.com/acme/not-installed").isEmpty(), "404: the App is not installed there");
    long before = github.calls().size();
    assertTrue(auth.lookup("acme", "https://gitlab.example.com/acme/shop").isEmpty(), "another host");
    assertTrue(auth.lookup("acme", "/srv/git/shop").isEmpty(), "a local path");
    assertEquals(before, github.calls().size(), "no call for repositories that are not on the GitHub host");
    auth.lookup("acme", "https://github.example.com/acme/shop");
    assertEquals(1, github.calls().stream().filter(c -> c.path().equals("/repos/acme/shop/installation")).count(),
        "the repository's installation is looked up once and cached");
    assertFalse(auth.toString().contains("BEGIN"), auth.toString());
  }
}
