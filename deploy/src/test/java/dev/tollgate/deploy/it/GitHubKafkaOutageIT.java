package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.github.GitHubAppAuth;
import dev.tollgate.deploy.github.GitHubConfig;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.FakeGitHub;
import dev.tollgate.deploy.testing.GitHubDeliveries;
import dev.tollgate.deploy.testing.GitHubDeliveries.Repo;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.github.GitHubIntegration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub does not retry a failed delivery by itself: with Kafka down the webhook must answer 503 within GitHub's 10 s
 * (so the delivery shows as failed and can be redelivered), never 2xx for an event that was not stored. Uses its own
 * broker, as {@link KafkaOutageIT} does.
 */
class GitHubKafkaOutageIT {
  static final String SECRET = "outage-secret";
  static final String SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

  @TempDir
  Path tmp;

  @Test
  void withKafkaDownAGitHubDeliveryGets503AndCanBeRedelivered() throws Exception {
    EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    boolean brokerUp = true;
    try (FakeGitHub github = new FakeGitHub(77, TestKeys.pair().getPublic()).install("acme/shop", 5)) {
      String config = """
          tenants: [acme]
          environments:
            staging: {probes: {pass: {}}}
          repositories:
            allowed: ["https://github.example.com/acme/"]
          github:
            appId: 77
            privateKeyEnv: KEY
            webhookSecretEnv: HOOK
            apiUrl: %s
            webUrl: https://github.example.com
            installations: {5: acme}
          """.formatted(github.apiUrl());
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.PASS),
          config);
      GitHubConfig c = GitHubConfig.from(tollgate.config().path("github"), Set.of("acme"),
          Map.of("KEY", TestKeys.pkcs8Pem(TestKeys.pair()), "HOOK", SECRET)::get);
      GitHubAppAuth auth = new GitHubAppAuth(c, Clock.systemUTC(), new SimpleMeterRegistry());
      tollgate.withGitHub(new GitHubIntegration(auth.gateSettings(), auth), auth);
      try {
        tollgate.startGate();
        GitHubDeliveries deliveries = new GitHubDeliveries(SECRET);
        Repo repo = new Repo("acme/shop", "https://github.example.com/acme/shop.git");
        ObjectNode rule = GitHubDeliveries.protectionRule(repo, "staging", SHA, 11, 12, github.apiUrl(), 5);
        Api.Response up = deliveries.send(tollgate.api(null), "deployment_protection_rule", UUID.randomUUID().toString(), rule);
        assertEquals(202, up.status(), "with Kafka up the delivery is accepted: " + up.body());

        broker.close();
        brokerUp = false;
        String delivery = UUID.randomUUID().toString();
        long started = System.nanoTime();
        // Another deployment: the same one again would be the evaluation Kafka already has (keyed by deployment and commit).
        ObjectNode next = GitHubDeliveries.protectionRule(repo, "staging", SHA, 13, 14, github.apiUrl(), 5);
        Api.Response down = deliveries.send(tollgate.api(null), "deployment_protection_rule", delivery, next);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, down.status(), down.body());
        assertEquals("Kafka unavailable", down.json().path("title").asText());
        assertEquals("5", down.header("Retry-After"));
        assertEquals(delivery, down.json().path("requestId").asText(), "the delivery id is the request id");
        assertTrue(down.json().path("detail").asText().contains("Redeliver"), down.body());
        assertTrue(ms < 9_000, "answered within GitHub's 10 s: " + ms + " ms");

        ObjectNode status = GitHubDeliveries.deploymentStatus(repo, "staging", SHA, 11, "success", github.apiUrl(), 5);
        Api.Response history = deliveries.send(tollgate.api(null), "deployment_status", UUID.randomUUID().toString(), status);
        assertEquals(503, history.status(), "a deploy that cannot be recorded is not acknowledged either: " + history.body());
      } finally {
        tollgate.close();
      }
    } finally {
      if (brokerUp) {
        broker.close();
      }
    }
  }
}
