package dev.tollgate.deploy.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.deploy.testing.GitHubDeliveries;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The deployment_protection_rule payload the tests send has no published example: it is built from the event's
 * schema and the deployment example. Check it against the schema's top level (additionalProperties is false).
 */
class GitHubFixturesTest {
  @Test
  void theProtectionRulePayloadFollowsItsSchema() throws Exception {
    JsonNode schema;
    try (InputStream in = GitHubFixturesTest.class.getResourceAsStream("/github/deployment_protection_rule.requested.schema.json")) {
      schema = Json.mapper().readTree(in);
    }
    ObjectNode payload = GitHubDeliveries.fixture("deployment_protection_rule.requested");
    Set<String> allowed = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(allowed::add);
    payload.fieldNames().forEachRemaining(k -> assertTrue(allowed.contains(k), "not in the schema: " + k));
    schema.path("required").forEach(r -> assertTrue(payload.has(r.asText()), "required: " + r.asText()));
    assertEquals("requested", payload.path("action").asText());
    assertTrue(payload.path("deployment_callback_url").asText().endsWith("/deployment_protection_rule"));
    assertTrue(payload.path("installation").path("id").canConvertToLong(), "App events carry the installation");
    assertTrue(payload.path("deployment").path("sha").asText().matches("[0-9a-f]{40}"));
  }
}
