package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.deploy.EmbeddedKafka;
import dev.tollgate.deploy.gitlab.GitLabCloneCredentials;
import dev.tollgate.deploy.gitlab.GitLabConfig;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.GitLabDeliveries;
import dev.tollgate.deploy.testing.GitLabDeliveries.Project;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.gate.gitlab.GitLabIntegration;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Kafka down a GitLab delivery must get 503 within GitLab's 10 s webhook timeout, never a 2xx for an event that
 * was not stored, so it shows as failed in the hook's Recent events and can be resent (the same deployment is the same
 * evaluation). Uses its own broker, as {@link KafkaOutageIT} does.
 */
class GitLabKafkaOutageIT {
  static final String TOKEN = "outage-token";
  static final String SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

  @TempDir
  Path tmp;

  @Test
  void withKafkaDownAGitLabDeliveryGets503AndCanBeResent() throws Exception {
    EmbeddedKafka broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0);
    boolean brokerUp = true;
    try {
      String config = """
          tenants: [acme]
          environments:
            staging: {probes: {pass: {}}}
          repositories:
            allowed: ["https://gitlab.example.com/acme/"]
          gitlab:
            baseUrl: https://gitlab.example.com
            botTokenEnv: BOT
            webhookTokenEnv: HOOK
            tenants: {acme: [acme]}
          """;
      TestInstallation tollgate = new TestInstallation(broker.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.PASS),
          config);
      GitLabConfig c = GitLabConfig.from(tollgate.config().path("gitlab"), Set.of("acme"), Set.of("staging"),
          Map.of("BOT", "glpat-outage", "HOOK", TOKEN)::get);
      tollgate.withGitLab(new GitLabIntegration(c.settings()), new GitLabCloneCredentials(c.settings()));
      try {
        tollgate.startGate();
        GitLabDeliveries deliveries = new GitLabDeliveries(TOKEN, null);
        Project shop = new Project(30, "acme/shop", "https://gitlab.example.com");
        var blocked = GitLabDeliveries.deployment(shop, "blocked", 15, 796, "staging", SHA, "jsmith");
        Api.Response up = deliveries.send(tollgate.api(null), "Deployment Hook", blocked);
        assertEquals(202, up.status(), "with Kafka up the delivery is accepted: " + up.body());

        broker.close();
        brokerUp = false;
        String key = UUID.randomUUID().toString();
        long started = System.nanoTime();
        Api.Response down = deliveries.send(tollgate.api(null), "Deployment Hook", key,
            GitLabDeliveries.deployment(shop, "blocked", 16, 797, "staging", SHA, "jsmith"));
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(503, down.status(), down.body());
        assertEquals("Kafka unavailable", down.json().path("title").asText());
        assertEquals("5", down.header("Retry-After"));
        assertEquals(key, down.json().path("requestId").asText(), "the Idempotency-Key is the request id");
        assertTrue(down.json().path("detail").asText().contains("Resend"), down.body());
        assertTrue(ms < 9_000, "answered within GitLab's 10 s: " + ms + " ms");

        Api.Response history = deliveries.send(tollgate.api(null), "Deployment Hook",
            GitLabDeliveries.deployment(shop, "success", 15, 796, "staging", SHA, "jsmith"));
        assertEquals(503, history.status(), "a deploy that cannot be recorded is not acknowledged either: " + history.body());
        Api.Response pipeline = deliveries.send(tollgate.api(null), "Pipeline Hook",
            GitLabDeliveries.pipeline(shop, 5, SHA, 798, "staging", "manual"));
        assertEquals(503, pipeline.status(), pipeline.body());
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
