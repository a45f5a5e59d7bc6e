package dev.tollgate.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final DeployTarget TARGET = new DeployTarget("acme", "https://github.com/acme/shop.git", "production", SHA, null);
  static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");

  @Test
  void everyMessageRoundTripsThroughTheSharedMapper() {
    var requested = EvaluationRequested.of("ev-1", "req-1", TARGET, Source.API, "ci", null, "key-1", "fp", List.of(ProbeId.SECRETS), AT, null);
    var check = CheckRequested.of("ev-1", "req-1", TARGET, ProbeId.MIGRATIONS, AT.plusSeconds(30), AT, null);
    var finding = new Finding("migration/drop-column", Severity.BLOCK, "db/V2.sql", 3, "drops a column", "expand/contract",
        "db/V2.sql:migration/drop-column:3", SHA);
    var policy = new RepoPolicy(".tollgate.yml@" + SHA, List.of(ProbeId.SECRETS), Map.of(ProbeId.SECRETS, Duration.ofSeconds(5)), true, null);
    var completed = ProbeCompleted.of("ev-1", check.checkId(), "req-1", ProbeId.MIGRATIONS, ProbeStatus.FAIL, "1 blocking",
        List.of(finding), false, policy, "w1", AT, AT.plusMillis(250), null);
    var verdict = VerdictReached.of("ev-1", "req-1", TARGET, Decision.GO, List.of(), List.of(), "server:1", AT, AT.plusSeconds(1), 1, null, false);
    for (Object message : List.of(requested, check, completed, verdict)) {
      assertEquals(message, Json.read(Json.write(message), message.getClass()));
    }
    assertEquals("ev-1/migrations", check.checkId());
  }

  @Test
  void aRetainedReadIsEqualToARegularOneAndSharesEqualStrings() {
    var finding = new Finding("migration/drop-column", Severity.BLOCK, "db/V2.sql", 3, "drops a column", "expand/contract",
        "db/V2.sql:migration/drop-column:3", SHA);
    var completed = ProbeCompleted.of("ev-1", "ev-1/migrations", "req-1", ProbeId.MIGRATIONS, ProbeStatus.FAIL, "1 blocking",
        List.of(finding, finding), false, RepoPolicy.none(), "w1", AT, AT.plusMillis(250), null);
    byte[] bytes = Json.write(completed);
    ProbeCompleted a = Json.readRetained(bytes, ProbeCompleted.class);
    ProbeCompleted b = Json.readRetained(bytes, ProbeCompleted.class);
    assertEquals(completed, a);
    assertSame(a.evaluationId(), b.evaluationId(), "two records of one evaluation share its id");
    assertSame(a.findings().get(0).message(), a.findings().get(1).message());
    assertNotSame(Json.read(bytes, ProbeCompleted.class).evaluationId(), Json.read(bytes, ProbeCompleted.class).evaluationId(),
        "a regular read does not intern (messages passed on are not kept)");
    assertThrows(Json.MalformedMessageException.class, () -> Json.readRetained("{\"schemaVersion\":1}".getBytes(
        java.nio.charset.StandardCharsets.UTF_8), ProbeCompleted.class), "a retained read fails as a regular one does");
  }

  @Test
  void unknownFieldsAreToleratedAndUnknownEnumValuesReadAsUnknown() throws Exception {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(MessagesTest.class.getResourceAsStream("/golden/v1/ProbeCompleted.json"));
    node.put("addedInAFutureVersion", "ignored");
    node.put("status", "SKIPPED_BY_FUTURE_WORKER");
    ((ObjectNode) node.get("findings").get(0)).put("severity", "CRITICAL");
    ProbeCompleted read = Json.read(Json.mapper().writeValueAsBytes(node), ProbeCompleted.class);
    assertEquals(ProbeStatus.UNKNOWN, read.status());
    assertEquals(Severity.UNKNOWN, read.findings().get(0).severity());
    assertTrue(read.status().blocks(), "an unknown status must fail closed");
  }

  @Test
  void unreadableRecordsRaiseMalformedMessageNamingTheProblem() {
    var notJson = assertThrows(Json.MalformedMessageException.class,
        () -> Json.read("{not json".getBytes(StandardCharsets.UTF_8), CheckRequested.class));
    assertTrue(notJson.getMessage().startsWith("CheckRequested: "), notJson.getMessage());

    var missing = assertThrows(Json.MalformedMessageException.class,
        () -> Json.read("{\"schemaVersion\":1,\"evaluationId\":\"e\"}".getBytes(StandardCharsets.UTF_8), CheckRequested.class));
    assertTrue(missing.getMessage().contains("checkId"), missing.getMessage());

    var future = assertThrows(Json.MalformedMessageException.class,
        () -> Json.read("{\"schemaVersion\":7}".getBytes(StandardCharsets.UTF_8), VerdictReached.class));
    assertTrue(future.getMessage().contains("schemaVersion: expected 1..1, got 7"), future.getMessage());
  }

  @Test
  void deployTargetRequiresFullCommitIds() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new DeployTarget("t", "r", "prod", "main", null));
    assertEquals("candidate: expected a full commit id (40 or 64 lower-case hex characters), got \"main\"", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DeployTarget("t", "r", "prod", SHA, "abc"));
    assertTrue(new DeployTarget("t", "r", "prod", SHA, null).firstDeploy());
  }

  @Test
  void probeIdsAreValidatedAndSerializeAsPlainStrings() {
    assertEquals("\"secrets\"", Json.writeString(ProbeId.SECRETS));
    assertThrows(IllegalArgumentException.class, () -> ProbeId.of("Secrets"));
    assertThrows(IllegalArgumentException.class, () -> ProbeId.of("9lives"));
    assertFalse(ProbeId.KNOWN.isEmpty());
  }

  @Test
  void topicsAreNamespacedAndKnownOnlyOnce() {
    assertEquals("tollgate.checks.requested", Topics.standard().checksRequested());
    assertEquals("it-42.tollgate.checks.requested", Topics.namespaced("it-42").checksRequested());
    assertEquals(Topics.ALL.size(), Topics.ALL.stream().distinct().count());
    assertThrows(IllegalArgumentException.class, () -> Topics.namespaced("bad name"));
    assertThrows(IllegalArgumentException.class, () -> Topics.standard().name("tollgate.unknown"));
  }

  @Test
  void aGitHubOriginTravelsWithTheRequestAndOlderRecordsReadWithoutIt() {
    var origin = new dev.tollgate.contracts.evaluation.GitHubOrigin(42, "acme/shop", 7, "https://api.github.com/repos/acme/shop/"
        + "actions/runs/9/deployment_protection_rule", "production", "push");
    var requested = EvaluationRequested.of("ev-1", "req-1", TARGET, Source.GITHUB, "octocat", "d-1", "github:1:d-1", "fp",
        List.of(), AT, null).withGitHub(origin);
    EvaluationRequested read = Json.read(Json.write(requested), EvaluationRequested.class);
    assertEquals(origin, read.github());
    assertTrue(read.github().hasCallback());
    var without = EvaluationRequested.of("ev-1", "req-1", TARGET, Source.API, "ci", null, null, null, List.of(), AT, null);
    assertFalse(new String(Json.write(without), StandardCharsets.UTF_8).contains("\"github\""), "absent origin is omitted");
    assertEquals(null, Json.read(Json.write(without), EvaluationRequested.class).github());
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitHubOrigin(0, "acme/shop", 0, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitHubOrigin(1, "acme", 0, null, null, null));
  }

  @Test
  void aGitLabOriginTravelsWithTheRequestAndIsValidated() throws Exception {
    var origin = new dev.tollgate.contracts.evaluation.GitLabOrigin(30, "acme/platform/shop", 15, 796, 12, "production",
        "Deployment");
    assertEquals("deployment", origin.trigger(), "normalized");
    assertTrue(origin.hasDeployment());
    var requested = EvaluationRequested.of("ev-1", "req-1", TARGET, Source.GITLAB, "jsmith (GitLab)", "d-1", "gitlab:job:30:796",
        "fp", List.of(), AT, null).withGitLab(origin);
    byte[] bytes = Json.write(requested);
    EvaluationRequested read = Json.read(bytes, EvaluationRequested.class);
    assertEquals(origin, read.gitlab());
    assertEquals(null, read.github());
    var errors = GoldenFilesTest.schema("EvaluationRequested", 1).validate(Json.mapper().readTree(bytes));
    assertTrue(errors.isEmpty(), "a request with a GitLab origin fits the v1 schema: " + errors);
    var pipelineOnly = new dev.tollgate.contracts.evaluation.GitLabOrigin(30, "acme/shop", 0, 797, 12, "staging", "pipeline");
    assertFalse(pipelineOnly.hasDeployment(), "a manual job seen in a Pipeline Hook has no deployment yet");
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitLabOrigin(0, "acme/shop", 1, 0, 0,
        "production", "deployment"));
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitLabOrigin(1, "shop", 1, 0, 0,
        "production", "deployment"), "a project path has a namespace");
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitLabOrigin(1, "acme/../x", 1, 0, 0,
        "production", "deployment"));
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitLabOrigin(1, "acme/shop", 0, 0, 0,
        "production", "deployment"), "nothing to answer");
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.evaluation.GitLabOrigin(1, "acme/shop", 1, 0, 0,
        "production", "push"));
  }

  @Test
  void auditRecordsRoundTripAndRequireAKindAndADetail() {
    var audit = new dev.tollgate.contracts.audit.AuditRecorded(1, "ev-1", "req-1", "github-bypass:1:d-1",
        dev.tollgate.contracts.audit.AuditKind.GATE_BYPASSED, "acme", "https://github.com/acme/shop", "production", SHA,
        Source.GITHUB, "octocat", "github:7", "deploy succeeded while the verdict was NO_GO", AT, AT);
    assertEquals(audit, Json.read(Json.write(audit), dev.tollgate.contracts.audit.AuditRecorded.class));
    assertThrows(IllegalArgumentException.class, () -> new dev.tollgate.contracts.audit.AuditRecorded(1, "ev-1", "req-1", "a",
        null, "acme", "r", "production", SHA, Source.GITHUB, null, null, "d", AT, AT));
    assertEquals("tollgate.audit.recorded", Topics.standard().auditRecorded());
    assertTrue(Topics.HISTORY.contains(Topics.AUDIT_RECORDED), "the audit log is kept");
    for (String command : List.of(Topics.LOCKS_REQUESTED, Topics.ADMISSIONS_REQUESTED, Topics.DEPLOYMENTS_ROUTED)) {
      assertFalse(Topics.HISTORY.contains(command) || Topics.COMPACTED.contains(command),
          command + ": nothing is rebuilt from it, so it is not kept for ever");
    }
  }

  @Test
  void aVerdictWrittenBeforeRuleIdsVotesAndArtifactsReadsWithEmptyLists() throws Exception {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(MessagesTest.class.getResourceAsStream("/golden/v1/VerdictReached.json"));
    node.remove("overrides");
    node.remove("artifactDigests");
    node.get("probes").forEach(p -> ((ObjectNode) p).remove(List.of("ruleIds", "findingsTruncated")));
    VerdictReached old = Json.read(Json.mapper().writeValueAsBytes(node), VerdictReached.class);
    assertEquals(List.of(), old.overrides());
    assertEquals(List.of(), old.artifactDigests());
    assertEquals(List.of(), old.probes().get(0).ruleIds());
    VerdictReached revised = old.withArtifactDigests(List.of("sha256:" + "a".repeat(64))).revised(2, false);
    assertEquals(List.of("sha256:" + "a".repeat(64)), revised.artifactDigests(), "a later revision keeps what it carried");
  }

  @Test
  void anAttestationRecordIsKeyedPerRevisionAndChecksItsDigestsForm() {
    var signed = dev.tollgate.contracts.attestation.AttestationSigned.of("ev-1", "req-1", 2, "acme", Decision.GO, "k1", "{}",
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertEquals("ev-1/2", signed.key());
    assertEquals(signed, Json.read(Json.write(signed), dev.tollgate.contracts.attestation.AttestationSigned.class));
    assertFalse(Json.writeString(signed).contains("\"key\""), "the key is the record's Kafka key, not a field");
    assertThrows(IllegalArgumentException.class, () -> dev.tollgate.contracts.attestation.AttestationSigned.of("ev-1", "req-1", 0,
        "acme", Decision.GO, "k1", "{}", "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
    assertThrows(IllegalArgumentException.class, () -> dev.tollgate.contracts.attestation.AttestationSigned.of("ev-1", "req-1", 1,
        "acme", Decision.GO, "k1", "{}", "not-a-digest"));
  }
}
