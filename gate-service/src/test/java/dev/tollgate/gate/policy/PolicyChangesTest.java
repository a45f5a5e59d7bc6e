package dev.tollgate.gate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.probe.ProbeId;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyChangesTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  static ServerPolicy policy(String environmentsYaml) throws Exception {
    JsonNode environments = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readTree(environmentsYaml);
    return ServerPolicy.from(MissingNode.getInstance(), environments, Set.of(ProbeId.CALENDAR, ProbeId.SECRETS));
  }

  @Test
  void theFirstPolicyIsRecordedForEveryTenantWithItsVersion() throws Exception {
    ServerPolicy p = policy("{production: {}, staging: {}}");
    AuditRecorded r = PolicyChanges.change(null, p, T0).orElseThrow();
    assertEquals(AuditKind.CONFIG_CHANGED, r.kind());
    assertEquals("config:" + p.version(), r.evaluationId());
    assertEquals("*", r.tenant());
    assertEquals(Source.SERVER, r.source());
    assertTrue(r.detail().startsWith("Policy " + p.version() + " in force (none recorded before); environments: production, staging."),
        r.detail());
    assertTrue(Json.writeString(r).contains("\"kind\":\"CONFIG_CHANGED\""), "a valid message");
  }

  @Test
  void theSamePolicyAgainRecordsNothing() throws Exception {
    ServerPolicy p = policy("{production: {}}");
    AuditRecorded first = PolicyChanges.change(null, p, T0).orElseThrow();
    assertTrue(PolicyChanges.change(first, policy("{production: {}}"), T0.plusSeconds(60)).isEmpty());
  }

  @Test
  void aChangedPolicyNamesBothVersionsAndGatesStartingTogetherWriteOneRecord() throws Exception {
    ServerPolicy before = policy("{production: {}}");
    ServerPolicy after = policy("{production: {warningsBlock: true}}");
    AuditRecorded first = PolicyChanges.change(null, before, T0).orElseThrow();
    AuditRecorded second = PolicyChanges.change(first, after, T0.plusSeconds(60)).orElseThrow();
    assertEquals("Policy changed from " + before.version() + " to " + after.version() + "; environments: production."
        + " Verdicts decided under it carry policy version server:" + after.version() + ".", second.detail());
    assertEquals(second.auditId(), PolicyChanges.change(first, after, T0.plusSeconds(61)).orElseThrow().auditId(),
        "the same transition, the same id: kept once");
    AuditRecorded back = PolicyChanges.change(second, before, T0.plusSeconds(120)).orElseThrow();
    assertNotEquals(first.auditId(), back.auditId(), "a return to an earlier policy is a new record");
  }
}
