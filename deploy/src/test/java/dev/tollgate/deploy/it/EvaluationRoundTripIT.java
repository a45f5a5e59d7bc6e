package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** GO and NO_GO end to end: HTTP in, Kafka fan-out, real workers on a real repository, verdict out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationRoundTripIT {
  static final String CONFIG = """
      tenants: [acme, globex]
      defaults: {deadline: 20s}
      environments:
        staging:
          probes: {pass: {}, warn: {}}
        production:
          warningsBlock: true
          probes: {pass: {}, warn: {}}
        broken:
          probes: {pass: {}, fail: {}, throw: {}}
      """;

  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  FixtureRepo repo;

  @BeforeAll
  void start() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.FAIL, TestProbes.WARN, TestProbes.THROW), CONFIG);
    tollgate.startGate();
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("repo")).commit("app.txt", "v1").deployed().commit("app.txt", "v2");
  }

  @AfterAll
  void stop() throws Exception {
    tollgate.close();
  }

  String request(String environment) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}";
  }

  @Test
  void goWithWarningsWhenRequiredProbesPassOrWarn() {
    Api.Response r = tollgate.api().evaluate(request("staging"), 30);
    assertEquals(200, r.status(), r.body());
    JsonNode v = r.json();
    assertEquals("COMPLETE", v.path("status").asText());
    assertEquals("GO", v.path("verdict").path("decision").asText());
    assertEquals("WARNING", v.path("verdict").path("reasons").get(0).path("code").asText());
    assertEquals(2, v.path("probes").size());
    assertEquals(repo.head(), v.path("candidate").asText());
    assertEquals("w1", v.path("probes").get(0).path("worker").asText());
  }

  @Test
  void warningsBlockWhereThePolicySaysSo() {
    JsonNode v = tollgate.api().evaluate(request("production"), 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText());
    assertEquals("WARNINGS_BLOCK", v.path("verdict").path("reasons").get(0).path("code").asText());
  }

  @Test
  void noGoListsEveryFailingAndErroringProbeWithoutLeakingExceptionText() {
    Api.Response r = tollgate.api().evaluate(request("broken"), 30);
    JsonNode v = r.json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), r.body());
    String reasons = v.path("verdict").path("reasons").toString();
    assertTrue(reasons.contains("PROBE_FAILED") && reasons.contains("probe fail failed"), reasons);
    assertTrue(reasons.contains("PROBE_ERRORED") && reasons.contains("IllegalStateException"), reasons);
    assertTrue(!r.body().contains("hunter2"), "exception messages must not reach the API: " + r.body());
    JsonNode failing = findProbe(v, "fail");
    assertEquals("FAIL", failing.path("status").asText());
    assertEquals("test/fail", failing.path("findings").get(0).path("ruleId").asText());
    assertEquals("app.txt", failing.path("findings").get(0).path("file").asText());
  }

  @Test
  void getWaitsForTheVerdictAndListFiltersByEnvironmentAndVerdict() {
    Api.Response accepted = tollgate.api().post("/api/v1/evaluations", request("staging"));
    assertEquals(202, accepted.status(), accepted.body());
    String id = accepted.json().path("id").asText();
    assertEquals("/api/v1/evaluations/" + id, accepted.header("Location"));
    JsonNode v = tollgate.api().get("/api/v1/evaluations/" + id + "?waitSeconds=30").json();
    assertEquals("COMPLETE", v.path("status").asText());
    JsonNode list = tollgate.api().get("/api/v1/evaluations?environment=staging&verdict=GO&limit=50").json();
    assertTrue(list.path("count").asInt() >= 1);
    for (JsonNode item : list.path("items")) {
      assertEquals("staging", item.path("environment").asText());
      assertEquals("GO", item.path("verdict").path("decision").asText());
    }
  }

  @Test
  void tokensOnlySeeTheirTenants() {
    String id = tollgate.api().evaluate(request("staging"), 30).json().path("id").asText();
    assertEquals(200, tollgate.api(TestInstallation.VIEWER).get("/api/v1/evaluations/" + id).status());
    Api.Response other = tollgate.api(TestInstallation.OTHER_TENANT).get("/api/v1/evaluations/" + id);
    assertEquals(404, other.status(), "another tenant's evaluation must look absent");
    JsonNode list = tollgate.api(TestInstallation.OTHER_TENANT).get("/api/v1/evaluations?limit=500").json();
    for (JsonNode item : list.path("items")) {
      assertEquals("globex", item.path("tenant").asText());
    }
    assertEquals(403, tollgate.api(TestInstallation.VIEWER).post("/api/v1/evaluations", request("staging")).status(),
        "a viewer may not request evaluations");
  }

  @Test
  void metricsCountVerdictsAndServePrometheusText() {
    tollgate.api().evaluate(request("staging"), 30);
    Api.Response metrics = tollgate.api(null).get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("tollgate_verdicts_total{decision=\"GO\"}"), "verdict counter missing");
    assertTrue(metrics.body().contains("tollgate_evaluation_latency_seconds"), "latency histogram missing");
    assertNotNull(tollgate.api(null).get("/health/ready").json());
  }

  static JsonNode findProbe(JsonNode view, String probe) {
    for (JsonNode p : view.path("probes")) {
      if (p.path("probe").asText().equals(probe)) {
        return p;
      }
    }
    throw new AssertionError("no probe " + probe + " in " + view);
  }
}
