package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tollgate.contracts.Json;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.DashboardFixture;
import dev.tollgate.deploy.testing.EventStream;
import dev.tollgate.deploy.testing.TestInstallation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/openapi.json} against the running gate: every documented operation exists and answers a sample
 * request with a documented status and a body that validates against the documented schema; every operation that
 * documents 401 answers 401 without credentials; and every API route the router serves is documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardOpenApiIT {
  @TempDir
  static Path tmp;
  DashboardFixture f;
  JsonNode doc;

  @BeforeAll
  void start() throws Exception {
    f = new DashboardFixture(tmp);
    Api.Response r = new Api(f.port(), null).get("/api/v1/openapi.json");
    assertEquals(200, r.status(), "the document is public");
    doc = r.json();
  }

  @AfterAll
  void stop() {
    f.close();
  }

  /** A sample request for one operation and the status it must get. */
  record Sample(String path, String token, String body, int status) {}

  Map<String, Function<String, Sample>> samples() {
    Map<String, Function<String, Sample>> s = new LinkedHashMap<>();
    String noGo = f.tollgate.api(TestInstallation.REQUESTER).evaluate(f.request("production"), 30).json().path("id").asText();
    s.put("POST /api/v1/evaluations", p -> new Sample(p, TestInstallation.REQUESTER, f.request("staging"), 202));
    s.put("GET /api/v1/evaluations", p -> new Sample(p + "?environment=production&limit=5", TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/evaluations/{id}", p -> new Sample(p.replace("{id}", noGo), TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/evaluations/{id}/overrides", p -> new Sample(p.replace("{id}", noGo), TestInstallation.VIEWER, null, 200));
    s.put("POST /api/v1/evaluations/{id}/overrides", p -> new Sample(p.replace("{id}", noGo), TestInstallation.ALICE,
        "{\"decision\":\"reject\",\"reason\":\"the drop needs a backfill first\"}", 202));
    s.put("POST /api/v1/deployments", p -> new Sample(p, TestInstallation.REQUESTER, "{\"repository\":\"" + f.repo.dir()
        + "\",\"environment\":\"staging\",\"commit\":\"" + f.repo.baseline() + "\",\"status\":\"succeeded\"}", 202));
    s.put("GET /api/v1/deployments", p -> new Sample(p + "?repository=" + f.repo.dir() + "&environment=staging",
        TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/events", p -> new Sample(p, TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/environments", p -> new Sample(p, TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/environments/{name}/calendar", p -> new Sample(p.replace("{name}", "production") + "?days=30",
        TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/environments/{name}/lock", p -> new Sample(p.replace("{name}", "production"), TestInstallation.VIEWER,
        null, 200));
    s.put("POST /api/v1/environments/{name}/lock", p -> new Sample(p.replace("{name}", "production"), TestInstallation.ALICE,
        "{\"reason\":\"the sample of the lock operation\",\"for\":\"10m\"}", 201));
    s.put("DELETE /api/v1/environments/{name}/lock", p -> new Sample(p.replace("{name}", "production"), TestInstallation.ALICE,
        null, 200));
    s.put("GET /api/v1/environments/{name}/queue", p -> new Sample(p.replace("{name}", "production"), TestInstallation.VIEWER,
        null, 200));
    s.put("GET /api/v1/audit", p -> new Sample(p + "?limit=50", TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/metrics/delivery", p -> new Sample(p + "?days=30", TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/session", p -> new Sample(p, TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/openapi.json", p -> new Sample(p, null, null, 200));
    s.put("GET /api/v1/evaluations/{id}/attestation", p -> new Sample(p.replace("{id}", noGo) + "?waitSeconds=10",
        TestInstallation.VIEWER, null, 200));
    s.put("GET /api/v1/attestations/keys", p -> new Sample(p, null, null, 200));
    return s;
  }

  List<String> documented() {
    List<String> ops = new ArrayList<>();
    doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m ->
        ops.add(m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey())));
    return ops;
  }

  @Test
  void everyApiRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
    Set<String> routed = new TreeSet<>();
    for (String r : f.tollgate.gate().routes()) {
      String path = r.substring(r.indexOf(' ') + 1);
      if (path.startsWith("/api/")) {
        routed.add(r.substring(0, r.indexOf(' ')) + " " + path.replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    assertEquals(routed, new TreeSet<>(documented()));
  }

  @Test
  void everyDocumentedOperationAnswersItsSampleWithADocumentedStatusAndSchema() throws Exception {
    Map<String, Function<String, Sample>> samples = samples();
    List<String> failures = new ArrayList<>();
    for (String op : documented()) {
      Function<String, Sample> make = samples.get(op);
      if (make == null) {
        failures.add(op + ": no sample request in this test");
        continue;
      }
      String method = op.substring(0, op.indexOf(' '));
      Sample sample = make.apply(op.substring(op.indexOf(' ') + 1));
      JsonNode operation = doc.path("paths").path(op.substring(op.indexOf(' ') + 1)).path(method.toLowerCase(Locale.ROOT));
      if (op.equals("GET /api/v1/events")) {
        try (EventStream stream = new EventStream(f.port(), sample.path(), "Authorization", "Bearer " + sample.token())) {
          if (stream.status() != sample.status() || !operation.path("responses").has(String.valueOf(stream.status()))) {
            failures.add(op + ": " + stream.status());
          }
        }
        continue;
      }
      Api api = new Api(f.port(), sample.token());
      Api.Response r = switch (method) {
        case "GET" -> api.get(sample.path());
        case "DELETE" -> api.delete(sample.path(), sample.body());
        default -> api.post(sample.path(), sample.body());
      };
      JsonNode response = operation.path("responses").path(String.valueOf(r.status()));
      if (r.status() != sample.status() || response.isMissingNode()) {
        failures.add(op + ": expected documented " + sample.status() + ", got " + r.status() + " " + r.body());
        continue;
      }
      String type = r.header("Content-Type").split(";")[0].strip();
      JsonNode schema = response.path("content").path(type).path("schema");
      if (schema.isMissingNode()) {
        failures.add(op + ": " + r.status() + " answers " + type + ", which is not documented");
        continue;
      }
      Set<ValidationMessage> errors = validator(schema).validate(r.json());
      if (!errors.isEmpty()) {
        failures.add(op + ": body does not match the schema: " + errors + " in " + r.body());
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyOperationThatDocuments401AnswersItWithoutCredentials() throws Exception {
    List<String> failures = new ArrayList<>();
    for (String op : documented()) {
      String method = op.substring(0, op.indexOf(' '));
      String path = op.substring(op.indexOf(' ') + 1).replace("{id}", "x").replace("{name}", "production");
      JsonNode responses = doc.path("paths").path(op.substring(op.indexOf(' ') + 1)).path(method.toLowerCase(Locale.ROOT))
          .path("responses");
      if (!responses.has("401")) {
        continue;
      }
      Api anonymous = new Api(f.port(), null);
      int status = method.equals("GET") ? anonymous.get(path).status() : anonymous.post(path, "{}").status();
      if (status != 401) {
        failures.add(op + " -> " + status);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void problemAnswersMatchTheProblemSchema() {
    Api.Response r = new Api(f.port(), TestInstallation.VIEWER).get("/api/v1/audit?kind=NOPE");
    assertEquals(400, r.status());
    JsonNode schema = doc.path("paths").path("/api/v1/audit").path("get").path("responses").path("400").path("content")
        .path("application/problem+json").path("schema");
    assertTrue(validator(schema).validate(r.json()).isEmpty(), r.body());
    assertEquals("kind", r.json().path("field").asText());
  }

  @Test
  void theSchemaCheckRejectsBodiesThatDoNotMatch() {
    // Guards the check itself: were the $refs not resolved, every body would pass.
    JsonNode evaluation = doc.path("paths").path("/api/v1/evaluations/{id}").path("get").path("responses").path("200")
        .path("content").path("application/json").path("schema");
    assertTrue(!validator(evaluation).validate(Json.mapper().createObjectNode().put("id", 5)).isEmpty());
    ObjectNode almost = Json.mapper().valueToTree(java.util.Map.of("id", "x", "status", "COMPLETE", "tenant", "acme",
        "repository", "r", "environment", "e", "candidate", "c", "probes", List.of(), "overrides", List.of()));
    assertTrue(validator(evaluation).validate(almost).isEmpty(), "a minimal evaluation passes");
    almost.set("verdict", Json.mapper().createObjectNode().put("decision", "MAYBE"));
    assertTrue(!validator(evaluation).validate(almost).isEmpty(), "a verdict outside the documented enum fails");
  }

  /** A validator for one schema of the document: its $refs point into the document's components. */
  JsonSchema validator(JsonNode schema) {
    ObjectNode root = schema.deepCopy();
    root.set("components", doc.path("components"));
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.mapper().valueToTree(root));
  }
}
