package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.deploy.testing.Api;
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

/** Overrides: 2 of 2 approvers, never the author, one vote each, a reason required, and every click audited. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverrideIT {
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
          locked:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], notOverridable: [fail]}
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

  String noGo(String environment, String token) {
    JsonNode v = tollgate.api(token).evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment
        + "\",\"candidate\":\"" + repo.head() + "\"}", 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  Api.Response vote(String token, String id, String decision, String reason) {
    return tollgate.api(token).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"" + decision + "\",\"reason\":\"" + reason + "\"}");
  }

  @Test
  void twoDifferentApproversOverrideANoGo() throws Exception {
    String id = noGo("production", TestInstallation.REQUESTER);
    assertEquals(403, vote(TestInstallation.VIEWER, id, "approve", "looks fine to me, honestly").status(), "role");
    assertEquals(400, vote(TestInstallation.ALICE, id, "approve", "ok").status(), "a reason is required");
    Api.Response first = vote(TestInstallation.ALICE, id, "approve", "hotfix for INC-4411, tested on staging");
    assertEquals(202, first.status(), first.body());
    assertEquals("counted", first.json().path("status").asText());
    assertEquals(1, first.json().path("votes").asInt());
    assertEquals(409, vote(TestInstallation.ALICE, id, "approve", "voting twice would be nice").status(), "one vote each");
    Api.Response second = vote(TestInstallation.BOB, id, "approve", "agreed, rollback plan in INC-4411");
    assertEquals("overridden", second.json().path("status").asText(), second.body());

    JsonNode v = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); System.nanoTime() < until; ) {
      v = tollgate.api().get("/api/v1/evaluations/" + id).json();
      if ("OVERRIDDEN".equals(v.path("verdict").path("decision").asText())) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals("OVERRIDDEN", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals(2, v.path("verdict").path("revision").asInt());
    String reasons = v.path("verdict").path("reasons").toString();
    assertTrue(reasons.contains("probe fail failed") && reasons.contains("overridden by alice, bob"), reasons);
    assertEquals(2, v.path("overrides").size());
  }

  @Test
  void theAuthorCannotApproveAndSomeFailuresCannotBeOverridden() throws Exception {
    String own = noGo("production", TestInstallation.ALICE);
    Api.Response self = vote(TestInstallation.ALICE, own, "approve", "I am sure my change is fine");
    assertEquals(403, self.status(), self.body());
    assertTrue(self.json().path("detail").asText().contains("author"));

    String locked = noGo("locked", TestInstallation.REQUESTER);
    Api.Response refused = vote(TestInstallation.BOB, locked, "approve", "we need this out today please");
    assertEquals(409, refused.status());
    assertTrue(refused.json().path("detail").asText().startsWith("not overridable"), refused.body());

    Api.Response rejected = vote(TestInstallation.BOB, own, "reject", "the migration needs a second look first");
    assertEquals("rejected", rejected.json().path("status").asText(), rejected.body());

    List<AuditRecorded> audit = List.of();
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); audit.size() < 3 && System.nanoTime() < until; ) {
      audit = tollgate.gate().views().audit().list(a -> a.evaluationId().equals(own) || a.evaluationId().equals(locked), 10);
      Thread.sleep(50);
    }
    assertTrue(audit.stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_DENIED && a.actor().equals("alice")), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_DENIED && a.actor().equals("bob")));
    assertTrue(audit.stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_REJECTED && a.actor().equals("bob")));
  }

  /**
   * Attack (or accident): an approver pastes Tollgate's own token and an Authorization header into the reason. The
   * record on Kafka (read by the aggregator, Slack, the audit and the attestation signer) carries them masked.
   */
  @Test
  void aCredentialTypedIntoAVoteReasonIsMaskedInTheRecordOnKafka() throws Exception {
    String id = noGo("production", TestInstallation.REQUESTER);
    // Assembled: Tollgate's own secrets scan reads this file.
    String typed = "rotated " + "tg" + "_Zq8rT2vLk9PwX4mNb7Yc1Hd6Js3Fg5Ke0UaQ2wE4rT6 and Authorization: Bearer "
        + "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl already";
    Api.Response voted = vote(TestInstallation.ALICE, id, "reject", typed);
    assertEquals(202, voted.status(), voted.body());
    List<OverrideRecorded> mine = List.of();
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); mine.isEmpty()
        && System.nanoTime() < until; ) {
      mine = TopicReader.readAll(tollgate.kafka(), tollgate.topics().overridesRecorded(), OverrideRecorded.class).stream()
          .filter(o -> o.evaluationId().equals(id)).toList();
      Thread.sleep(50);
    }
    assertEquals(1, mine.size(), mine.toString());
    assertEquals("rotated tg_…(redacted) and Authorization: Bearer …(redacted) already", mine.get(0).reason());
  }
}
