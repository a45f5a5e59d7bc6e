package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.AllInOne;
import dev.tollgate.deploy.ServerConfigFile;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.GitHubDeliveries;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.deploy.testing.TestProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root as {@code serve --config} runs it: a {@code github:} section in tollgate.yml gives the gate its
 * webhook and reporter (and the workers their credentials), through {@code ServerConfigFile} and {@code AllInOne}.
 */
class GitHubAllInOneIT {
  @TempDir
  Path tmp;

  @Test
  void aGithubSectionInTollgateYmlServesTheSignedWebhook() throws Exception {
    Path key = Files.createFile(tmp.resolve("app.pem"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, TestKeys.pkcs1Pem(TestKeys.pair()));
    Path hook = Files.createFile(tmp.resolve("hook"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(hook, "all-in-one-secret\n");
    Path config = Files.writeString(tmp.resolve("tollgate.yml"), """
        tenants: [acme]
        http: {port: 0}
        kafka: {topicNamespace: it-%s, replicationFactor: 1, partitions: 2}
        environments:
          staging: {probes: {pass: {}}}
        repositories:
          allowed: ["https://github.com/acme/"]
        github:
          appId: 99
          privateKeyFile: %s
          webhookSecretFile: %s
          installations: {1234: acme}
        """.formatted(UUID.randomUUID().toString().substring(0, 8), key, hook));
    try (AllInOne app = AllInOne.start(new AllInOne.Options(ServerConfigFile.load(config), tmp.resolve("data"), 0,
        SharedKafka.bootstrap(), AllInOne.Role.ALL, TestProbes.registry(TestProbes.PASS), Clock.systemUTC()))) {
      assertTrue(app.awaitReady(Duration.ofSeconds(60)), "ready, the GitHub reporter included");
      Api anonymous = new Api(app.httpPort(), null);
      assertEquals("UP", anonymous.get("/health/ready").json().path("checks").path("githubReporter").asText());
      GitHubDeliveries signed = new GitHubDeliveries("all-in-one-secret");
      assertEquals(200, signed.send(anonymous, "ping", UUID.randomUUID().toString(), GitHubDeliveries.fixture("ping.with-app_id"))
          .status());
      assertEquals(401, new GitHubDeliveries("another-secret").send(anonymous, "ping", UUID.randomUUID().toString(),
          GitHubDeliveries.fixture("ping.with-app_id")).status());
    }
  }
}
