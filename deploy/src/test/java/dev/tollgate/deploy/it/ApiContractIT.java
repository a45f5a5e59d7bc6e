package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API's promises: idempotency keys, clear 4xx for bad input (never a 500), deploy history and baselines. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractIT {
  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  FixtureRepo repo;

  @BeforeAll
  void start() throws Exception {
    String config = """
        tenants: [acme, globex]
        http: {bodyLimit: 4KB}
        environments:
          staging: {probes: {pass: {}, history: {required: false}}}
          production: {probes: {pass: {}, history: {required: false}}}
        """;
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.HISTORY), config);
    tollgate.startGate();
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1").deployed().commit("a.txt", "2");
  }

  @AfterAll
  void stop() throws Exception {
    tollgate.close();
  }

  String body(String environment, String candidate) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + candidate + "\"}";
  }

  @Test
  void theSameIdempotencyKeyGivesOneEvaluation() throws Exception {
    String key = "deploy-" + UUID.randomUUID();
    String body = body("staging", repo.head());
    Api.Response first = tollgate.api().post("/api/v1/evaluations", body, "application/json", "Idempotency-Key", key);
    Api.Response second = tollgate.api().post("/api/v1/evaluations", body, "application/json", "Idempotency-Key", key);
    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    String id = first.json().path("id").asText();
    assertEquals(id, second.json().path("id").asText());
    assertEquals("true", second.header("Idempotent-Replayed"));
    assertEquals("GO", tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=30").json().path("verdict")
        .path("decision").asText());
    // And a replay after the verdict still answers with the same evaluation, never a second one.
    Api.Response third = tollgate.api().post("/api/v1/evaluations", body, "application/json", "Idempotency-Key", key);
    assertEquals(id, third.json().path("id").asText());
    assertEquals(1, requestsOnTopic(id), "exactly one EvaluationRequested was published for the key");

    Api.Response conflicting = tollgate.api().post("/api/v1/evaluations", body("production", repo.head()),
        "application/json", "Idempotency-Key", key);
    assertEquals(422, conflicting.status(), "a key reused for another request is refused: " + conflicting.body());
  }

  long requestsOnTopic(String id) {
    Map<String, Object> props = new HashMap<>(tollgate.kafka());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      consumer.partitionsFor(tollgate.topics().evaluationsRequested()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long count = 0;
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (Json.read(r.value(), EvaluationRequested.class).evaluationId().equals(id)) {
            count++;
          }
        }
      }
      return count;
    }
  }

  static Stream<Arguments> badRequests() {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    return Stream.of(
        Arguments.of("not json", "{\"repository\":", null, 400),
        Arguments.of("not an object", "[1,2]", null, 400),
        Arguments.of("missing candidate", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\"}", "candidate", 400),
        Arguments.of("unknown environment", "{\"repository\":\"/tmp/x\",\"environment\":\"prod\",\"candidate\":\"" + sha + "\"}",
            "environment", 400),
        Arguments.of("short sha", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\",\"candidate\":\"0123abc\"}", "candidate", 400),
        Arguments.of("unknown field", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\",\"candidate\":\"" + sha
            + "\",\"enviroment\":\"x\"}", "enviroment", 400),
        Arguments.of("duplicate key", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\",\"environment\":\"production\","
            + "\"candidate\":\"" + sha + "\"}", null, 400),
        Arguments.of("wrong type", "{\"repository\":42,\"environment\":\"staging\",\"candidate\":\"" + sha + "\"}", "repository", 400),
        Arguments.of("credentials in url", "{\"repository\":\"https://u:p@github.com/a/b\",\"environment\":\"staging\","
            + "\"candidate\":\"" + sha + "\"}", "repository", 400),
        Arguments.of("repository not allowed", "{\"repository\":\"https://github.com/evil/x\",\"environment\":\"staging\","
            + "\"candidate\":\"" + sha + "\"}", "repository", 400),
        Arguments.of("unknown probe", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\",\"candidate\":\"" + sha
            + "\",\"probes\":[\"nope\"]}", "probes", 400),
        Arguments.of("unknown tenant", "{\"repository\":\"/tmp/x\",\"environment\":\"staging\",\"candidate\":\"" + sha
            + "\",\"tenant\":\"initech\"}", "tenant", 400),
        Arguments.of("too large", "{\"repository\":\"" + "x".repeat(5000) + "\"}", null, 413));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIsAClear4xxNamingTheField(String name, String body, String field, int status) {
    // The CI token belongs to one tenant, so the tenant need not be named.
    Api.Response r = tollgate.api(TestInstallation.REQUESTER).post("/api/v1/evaluations", body);
    assertEquals(status, r.status(), name + ": " + r.body());
    assertEquals("application/problem+json", r.header("Content-Type"));
    assertTrue(r.json().path("detail").isTextual() && r.json().path("requestId").isTextual(), r.body());
    if (field != null) {
      assertEquals(field, r.json().path("field").asText(), r.body());
    }
  }

  @Test
  void authAndRoutingErrorsAreProblemsToo() {
    assertEquals(401, new Api(tollgate.gate().httpPort(), null).get("/api/v1/evaluations").status());
    assertEquals(401, new Api(tollgate.gate().httpPort(), "tg_wrong").get("/api/v1/evaluations").status());
    assertEquals(404, tollgate.api().get("/api/v1/evaluations/00000000-0000-0000-0000-000000000000").status());
    assertEquals(404, tollgate.api().get("/api/v1/nothing").status());
    assertEquals(405, tollgate.api().post("/api/v1/evaluations/abc", "{}").status());
    assertEquals(415, tollgate.api().post("/api/v1/evaluations", "{}", "text/plain").status());
    assertEquals(400, tollgate.api().get("/api/v1/evaluations?limit=0").status());
    assertEquals(400, tollgate.api().get("/api/v1/evaluations?enviroment=x").status());
    Api.Response wait = tollgate.api().get("/api/v1/evaluations/abc?waitSeconds=600");
    assertEquals(400, wait.status());
    assertEquals("waitSeconds", wait.json().path("field").asText());
    Api.Response r = tollgate.api().get("/api/v1/evaluations/abc");
    assertEquals("application/problem+json", r.header("Content-Type"));
    assertEquals(r.json().path("requestId").asText(), r.header("X-Request-Id"));
  }

  @Test
  void aRecordedDeployBecomesTheBaselineAndTheHistoryProbesSee() {
    String deployed = repo.baseline();
    Api ci = tollgate.api(TestInstallation.REQUESTER);
    // Only a commit Tollgate decided GO for in the environment becomes a baseline (TrustedBaselineIT has the rest).
    // CI requested the GO it reports the deploy of: its report counts (another token's would be recorded, not vouched).
    assertEquals("GO", ci.evaluate(body("production", deployed), 30).json().path("verdict").path("decision").asText());
    Api.Response recorded = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"production\",\"commit\":\"" + deployed + "\",\"status\":\"succeeded\","
        + "\"deploymentId\":\"ci-77\",\"startedAt\":\"2026-11-25T10:00:00Z\",\"finishedAt\":\"2026-11-25T10:01:30Z\"}");
    assertEquals(202, recorded.status(), recorded.body());
    assertFalse(recorded.json().path("bypass").asBoolean(), recorded.body());
    assertTrue(recorded.json().path("vouched").asBoolean(), recorded.body());
    JsonNode history = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofSeconds(5)); System.nanoTime() < until; ) {
      // the gate's view reads the deploy back from Kafka
      history = ci.get("/api/v1/deployments?repository=" + repo.dir() + "&environment=production").json();
      if (history.path("deploys").size() > 0) {
        break;
      }
      sleep(50);
    }
    assertEquals(deployed, history.path("deploys").get(0).path("commit").asText());
    JsonNode v = tollgate.api().evaluate(body("production", repo.head()), 30).json();
    assertEquals(deployed, v.path("baseline").asText(), "without a baseline the last deploy decided GO is used");
    // The history probe is optional: the verdict does not wait for it, so its result may come a moment later.
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofSeconds(10));
        EvaluationRoundTripIT.findProbe(v, "history").path("findings").isEmpty() && System.nanoTime() < until; ) {
      sleep(50);
      v = tollgate.api().get("/api/v1/evaluations/" + v.path("id").asText()).json();
    }
    String reason = EvaluationRoundTripIT.findProbe(v, "history").path("findings").get(0).path("message").asText();
    assertEquals("baseline=" + deployed + " lastDeployed=" + deployed + " deploys=1", reason);

    Api.Response bad = ci.post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"production\",\"commit\":\"" + deployed + "\",\"status\":\"exploded\"}");
    assertEquals(400, bad.status());
    assertEquals("status", bad.json().path("field").asText());
  }

  @Test
  void noEndpointAnswers500ForGarbage() {
    for (String path : List.of("/api/v1/evaluations", "/api/v1/deployments")) {
      for (String body : List.of("", "{", "null", "\"x\"", "{\"a\":{\"b\":[1,2,{}]}}", "\u0000\u0001")) {
        Api.Response r = tollgate.api().post(path, body);
        assertNotEquals(500, r.status(), path + " " + body);
        assertFalse(r.status() < 400, path + " accepted garbage: " + body);
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
