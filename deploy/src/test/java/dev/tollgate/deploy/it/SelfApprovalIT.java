package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SessionClient;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19, item 1: votes are bound to the authenticated principal. An approver submitted an evaluation with
 * {@code "requestedBy": "mallory"}, got the NO_GO and approved it with their own token ({@code 202 overridden}); an
 * approver who voted reject could later approve and it counted. Now: whoever submitted the deploy cannot vote on it
 * through the API or the dashboard (Slack: {@code SlackApprovalIT}, GitHub's deployers: {@code GitHubProtectionRuleIT});
 * one standing vote per person per revision; a change of mind is an audited withdrawal, and a withdrawn approval leaves
 * the aggregator's count. Real broker, gate, worker and HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelfApprovalIT {
  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  FixtureRepo repo;

  @BeforeAll
  void start() throws Exception {
    String config = """
        tenants: [acme]
        environments:
          production:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], required: 2, expiresAfter: 2h}
        """;
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.FAIL), config);
    tollgate.startGate();
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
  }

  @AfterAll
  void stop() {
    tollgate.close();
  }

  /** A NO_GO submitted with {@code token}, with an optional requestedBy label. */
  String noGo(String token, String requestedBy) {
    repo.commit("a.txt", "change " + System.nanoTime());
    JsonNode v = tollgate.api(token).evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"production\","
        + "\"candidate\":\"" + repo.head() + "\"" + (requestedBy == null ? "" : ",\"requestedBy\":\"" + requestedBy + "\"")
        + "}", 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  Api.Response vote(String token, String id, String decision, String reason) {
    return tollgate.api(token).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"" + decision + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}");
  }

  JsonNode view(String id) {
    return tollgate.api().get("/api/v1/evaluations/" + id).json();
  }

  List<AuditRecorded> audit(String id, int atLeast) throws InterruptedException {
    List<AuditRecorded> audit = List.of();
    for (int i = 0; i < 200 && audit.size() < atLeast; i++) {
      audit = tollgate.gate().views().audit().list(a -> a.evaluationId().equals(id), 50);
      Thread.sleep(25);
    }
    return audit;
  }

  @Test
  void whoeverSubmittedTheDeployCannotApproveItWhateverRequestedBySays() throws Exception {
    String id = noGo(TestInstallation.ALICE, "mallory");
    Api.Response viaApi = vote(TestInstallation.ALICE, id, "approve", "I am sure my change is fine");
    assertEquals(403, viaApi.status(), "the attack of the review: " + viaApi.body());
    assertTrue(viaApi.json().path("detail").asText().contains("alice is an author of this deploy"), viaApi.body());
    assertEquals(403, vote(TestInstallation.ALICE, id, "reject", "rejecting my own deploy to block it").status(),
        "nor reject it");

    // The dashboard is the same API with a session: the signed-in principal votes, never a name in the body.
    SessionClient browser = SessionClient.signIn(tollgate.gate().httpPort(), TestInstallation.ALICE);
    Api.Response viaDashboard = browser.post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"approving from the dashboard instead\"}");
    assertEquals(403, viaDashboard.status(), viaDashboard.body());

    EvaluationRequested request = TopicReader.readAll(tollgate.kafka(), tollgate.topics().evaluationsRequested(),
        EvaluationRequested.class).stream().filter(r -> r.evaluationId().equals(id)).findFirst().orElseThrow();
    assertEquals("alice", request.submittedBy(), "the token, recorded by the gate");
    assertEquals("mallory (token alice)", request.requestedBy(), "the label stays a label");

    // The happy path beside it: another approver's vote counts.
    Api.Response bob = vote(TestInstallation.BOB, id, "approve", "hotfix for INC-4411, tested on staging");
    assertEquals(202, bob.status(), bob.body());
    assertEquals("counted", bob.json().path("status").asText());
    List<AuditRecorded> audit = audit(id, 4);
    assertEquals(3, audit.stream().filter(a -> a.kind() == AuditKind.OVERRIDE_DENIED && a.actor().equals("alice")).count(),
        "every refused attempt is audited: " + audit);
  }

  @Test
  void aRejectionIsFollowedByAnApprovalOnlyAfterAnAuditedWithdrawal() throws Exception {
    String id = noGo(TestInstallation.REQUESTER, null);
    Api.Response rejected = vote(TestInstallation.BOB, id, "reject", "the migration needs a second look first");
    assertEquals("rejected", rejected.json().path("status").asText(), rejected.body());
    Api.Response approve = vote(TestInstallation.BOB, id, "approve", "changed my mind, it is fine after all");
    assertEquals(409, approve.status(), "the attack of the review: a reject, then an approve that counted: " + approve.body());
    assertTrue(approve.json().path("detail").asText().contains("withdraw that vote first"), approve.body());

    Api.Response withdrawn = vote(TestInstallation.BOB, id, "withdraw", null);
    assertEquals(202, withdrawn.status(), withdrawn.body());
    assertEquals("withdrawn", withdrawn.json().path("status").asText());
    assertEquals("reject", withdrawn.json().path("withdrew").asText());
    assertEquals(409, vote(TestInstallation.BOB, id, "withdraw", null).status(), "nothing left to withdraw");
    Api.Response counted = vote(TestInstallation.BOB, id, "approve", "second look done, the migration is additive");
    assertEquals(202, counted.status(), counted.body());
    assertEquals(1, counted.json().path("votes").asInt());

    List<AuditRecorded> audit = new java.util.ArrayList<>(audit(id, 5));
    java.util.Collections.reverse(audit); // oldest first
    assertEquals(List.of(AuditKind.OVERRIDE_REJECTED, AuditKind.OVERRIDE_DENIED, AuditKind.OVERRIDE_WITHDRAWN,
        AuditKind.OVERRIDE_DENIED, AuditKind.OVERRIDE_APPROVED), audit.stream().map(AuditRecorded::kind).toList(),
        audit.toString());
    JsonNode votes = null;
    for (int i = 0; i < 100; i++) {
      votes = view(id).path("votes");
      if (votes.size() == 1 && votes.get(0).path("decision").asText().equals("APPROVE")) {
        break;
      }
      Thread.sleep(25);
    }
    assertEquals("bob", votes.get(0).path("voter").asText(), votes.toString());
    assertEquals(1, votes.get(0).path("revision").asInt());
  }

  @Test
  void aWithdrawnApprovalLeavesTheAggregatorsCount() throws Exception {
    String id = noGo(TestInstallation.REQUESTER, null);
    assertEquals(202, vote(TestInstallation.ALICE, id, "approve", "hotfix for INC-4411, tested on staging").status());
    Api.Response withdrawn = vote(TestInstallation.ALICE, id, "withdraw", "waiting for the DBA after all");
    assertEquals("approve", withdrawn.json().path("withdrew").asText(), withdrawn.body());
    Api.Response bob = vote(TestInstallation.BOB, id, "approve", "agreed, rollback plan in INC-4411");
    assertEquals("counted", bob.json().path("status").asText(), "1 of 2 once alice's is gone: " + bob.body());
    assertEquals(1, bob.json().path("votes").asInt());
    // Had the aggregator kept alice's withdrawn vote, bob's would have made two: OVERRIDDEN within milliseconds.
    Thread.sleep(2000);
    assertEquals("NO_GO", view(id).path("verdict").path("decision").asText(), view(id).toString());
    assertEquals(1, view(id).path("overrides").size());

    Api.Response again = vote(TestInstallation.ALICE, id, "approve", "DBA signed off, approving again");
    assertEquals("overridden", again.json().path("status").asText(), again.body());
    JsonNode v = null;
    for (int i = 0; i < 200; i++) {
      v = view(id);
      if ("OVERRIDDEN".equals(v.path("verdict").path("decision").asText())) {
        break;
      }
      Thread.sleep(25);
    }
    assertEquals("OVERRIDDEN", v.path("verdict").path("decision").asText(), v.toString());
    assertTrue(v.path("verdict").path("reasons").toString().contains("overridden by alice, bob"), v.toString());
    Api.Response late = vote(TestInstallation.BOB, id, "withdraw", null);
    assertEquals(409, late.status(), "the override took effect: " + late.body());
    assertTrue(audit(id, 6).stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_WITHDRAWN && a.actor().equals("alice")
        && a.detail().contains("waiting for the DBA")));
  }
}
