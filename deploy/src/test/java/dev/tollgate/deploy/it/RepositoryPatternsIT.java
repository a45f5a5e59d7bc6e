package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.AllInOne;
import dev.tollgate.deploy.ServerConfigFile;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 7, end to end. The review's attack: {@code promotion: {hotfix: '^(a+)+\1$'}} in one tenant's
 * {@code .tollgate.yml} and a commit subject of 30 {@code a}s and {@code !} spun both probe threads, and another
 * tenant's evaluation timed out. Now the pattern is refused (RE2 cannot run a backreference in linear time) and the
 * other tenant gets its verdict. And a check that ignores the interrupt at the end of its budget (any cause) has its
 * thread replaced, shows in {@code /health/ready} and {@code /metrics}, and no longer starves the other tenant.
 */
class RepositoryPatternsIT {
  @TempDir
  Path tmp;

  static String body(FixtureRepo repo, String tenant) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\",\"tenant\":\"" + tenant + "\","
        + "\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}";
  }

  @Test
  void aCatastrophicHotfixPatternIsRefusedAndAnotherTenantIsNotStalled() throws Exception {
    String config = """
        tenants: [acme, globex]
        worker: {concurrency: 2}
        environments:
          production: {probes: {parity: {deadline: 20s}}}
          staging: {}
        """;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        ProbeRegistry.production(), config)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      String attack = "environments:\n  production:\n    promotesFrom: staging\n    promotion: {hotfix: '%s'}\n";
      FixtureRepo evil = FixtureRepo.create(tmp.resolve("evil")).commit("README.md", "x\n").deployed()
          .commit(java.util.Map.of(".tollgate.yml", attack.formatted("^(a+)+\\1$")), "a".repeat(30) + "!");
      FixtureRepo linear = FixtureRepo.create(tmp.resolve("linear")).commit("README.md", "x\n").deployed()
          .commit(java.util.Map.of(".tollgate.yml", attack.formatted("^(a+)+$")), "a".repeat(30) + "!");
      FixtureRepo other = FixtureRepo.create(tmp.resolve("other")).commit("README.md", "x\n").deployed()
          .commit("notes.txt", "y\n");
      Api acme = tollgate.api(TestInstallation.ADMIN);
      CompletableFuture<JsonNode> attacks = CompletableFuture.supplyAsync(() -> acme.evaluate(body(evil, "acme"), 60).json());
      CompletableFuture<JsonNode> linearRun = CompletableFuture.supplyAsync(() -> acme.evaluate(body(linear, "acme"), 60).json());
      JsonNode globex = tollgate.api(TestInstallation.OTHER_TENANT).evaluate(body(other, "globex"), 60).json();
      assertEquals("GO", globex.path("verdict").path("decision").asText(), "the other tenant decided in time: " + globex);

      JsonNode refused = attacks.get();
      assertEquals("NO_GO", refused.path("verdict").path("decision").asText(), refused.toString());
      String findings = refused.path("probes").get(0).path("findings").toString();
      assertTrue(findings.contains("environments.production.promotion.hotfix: not a regular expression Tollgate can run "
          + "in linear time"), findings);
      // A pattern RE2 accepts runs in linear time on the same subject: no bypass (the subject does not match), no stall.
      JsonNode ran = linearRun.get();
      assertEquals("NO_GO", ran.path("verdict").path("decision").asText(), ran.toString());
      assertTrue(ran.path("probes").get(0).path("findings").toString().contains("parity/promotion-proof"), ran.toString());
      assertTrue(ran.path("probes").get(0).path("durationMs").asLong() < 20_000, ran.toString());
    }
  }

  @Test
  void aThreadStuckPastItsBudgetIsReplacedAndShowsInReadinessAndMetrics() throws Exception {
    TestProbes.Spin spin = new TestProbes.Spin();
    Path config = Files.writeString(tmp.resolve("tollgate.yml"), """
        tenants: [acme, globex]
        http: {port: 0}
        kafka: {topicNamespace: it-%s, replicationFactor: 1, partitions: 2}
        worker: {concurrency: 1}
        repositories: {allowLocalPaths: true}
        environments:
          spinning: {probes: {spin: {deadline: 1s}}}
          production: {probes: {pass: {deadline: 30s}}}
        """.formatted(UUID.randomUUID().toString().substring(0, 8)));
    try (AllInOne app = AllInOne.start(new AllInOne.Options(ServerConfigFile.load(config), tmp.resolve("data"), 0,
        SharedKafka.bootstrap(), AllInOne.Role.ALL, TestProbes.registry(spin.probe(), TestProbes.PASS), Clock.systemUTC()))) {
      assertTrue(app.awaitReady(Duration.ofSeconds(60)));
      Api admin = new Api(app.httpPort(), Files.readString(app.adminTokenFile()).strip());
      Api anonymous = new Api(app.httpPort(), null);
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1\n");
      String spinning = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"spinning\",\"tenant\":\"acme\","
          + "\"candidate\":\"" + repo.head() + "\"}";
      JsonNode stuck = admin.evaluate(spinning, 30).json();
      assertEquals("NO_GO", stuck.path("verdict").path("decision").asText(), stuck.toString());
      assertTrue(spin.awaitEntered(10));
      await(() -> app.workers().stuckThreads() == 1);
      // The one probe thread is stuck: it was replaced, so the other tenant still gets its verdict...
      String other = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\",\"tenant\":\"globex\","
          + "\"candidate\":\"" + repo.head() + "\"}";
      JsonNode globex = admin.evaluate(other, 30).json();
      assertEquals("GO", globex.path("verdict").path("decision").asText(), globex.toString());
      // ...and the saturation shows: no replacement is left for a pool of one.
      JsonNode ready = anonymous.get("/health/ready").json();
      assertEquals("DOWN", ready.path("checks").path("probe-pool").asText(), ready.toString());
      String metrics = anonymous.get("/metrics").body();
      assertTrue(metrics.contains("tollgate_probe_pool_stuck 1.0"), "stuck gauge");
      assertTrue(metrics.contains("tollgate_probe_pool_replaced_total 1.0"), "replaced counter");
      // The stuck check ends at last: ready again.
      spin.release();
      await(() -> "UP".equals(anonymous.get("/health/ready").json().path("checks").path("probe-pool").asText()));
    } finally {
      spin.release();
    }
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 30 s");
      Thread.sleep(50);
    }
  }
}
