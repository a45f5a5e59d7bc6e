package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.gate.GateService;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy locks and the deploy queue on the real broker: a lock holds every evaluation of its environment as NO_GO
 * {@code LOCKED} until it goes (unlock, expiry, an administrator's break), then they are decided again; a queue admits
 * one GO at a time and releases the next as deployment records arrive; two gates racing for one slot or one lock never
 * both win; a restarted gate keeps the lock and the queue.
 */
class LocksAndQueueIT {
  private static final String CONFIG = """
      tenants: [acme]
      environments:
        production: {probes: {pass: {}}}
        staging: {probes: {pass: {}}, queue: {maxInFlight: 1}}
        qa: {probes: {pass: {}}, locks: {maxWaiting: 2}}
      """;

  @TempDir
  Path tmp;

  @Test
  void aLockHoldsEvaluationsUntilItsHolderUnlocksThenTheyAreDecidedAgain() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");

      Api.Response viewerLock = tollgate.api(TestInstallation.VIEWER).post("/api/v1/environments/production/lock",
          "{\"reason\":\"viewers may not lock anything\"}");
      assertEquals(403, viewerLock.status(), viewerLock.body());
      Api.Response shortReason = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"short\"}");
      assertEquals(400, shortReason.status(), shortReason.body());

      Api.Response locked = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"debugging the payment outage\",\"for\":\"2h\"}");
      assertEquals(201, locked.status(), locked.body());
      assertEquals("alice", locked.json().path("lock").path("holder").asText(), locked.body());
      Api.Response second = tollgate.api(TestInstallation.BOB).post("/api/v1/environments/production/lock",
          "{\"reason\":\"bob wants it as well, refused\"}");
      assertEquals(409, second.status(), second.body());
      assertTrue(second.json().path("detail").asText().contains("already locked by alice"), second.body());

      JsonNode held = tollgate.api().evaluate(body(repo, "production"), 60).json();
      JsonNode verdict = held.path("verdict");
      assertEquals("NO_GO", verdict.path("decision").asText(), held.toString());
      assertTrue(verdict.path("held").asBoolean(), held.toString());
      assertEquals("LOCKED", verdict.path("reasons").get(0).path("code").asText(), held.toString());
      assertTrue(verdict.path("reasons").get(0).path("message").asText().startsWith("locked by alice: debugging the payment outage, until "),
          held.toString());
      String id = held.path("id").asText();
      JsonNode queue = awaitJson(tollgate.api(), "/api/v1/environments/production/queue",
          q -> q.path("locked").size() == 1);
      assertEquals(id, queue.path("locked").get(0).path("evaluationId").asText(), queue.toString());

      Api.Response notHers = tollgate.api(TestInstallation.BOB).delete("/api/v1/environments/production/lock", null);
      assertEquals(403, notHers.status(), notHers.body());
      Api.Response unlocked = tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/production/lock", null);
      assertEquals(200, unlocked.status(), unlocked.body());

      JsonNode again = awaitJson(tollgate.api(), "/api/v1/evaluations/" + id, e -> e.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", again.path("verdict").path("decision").asText(), again.toString());
      assertEquals(2, again.path("verdict").path("revision").asInt(), again.toString());
      assertEquals(0, tollgate.api().get("/api/v1/environments/production/lock").json().path("locks").size());

      assertAudited(tollgate, "production", AuditKind.LOCK_TAKEN, AuditKind.LOCK_REFUSED, AuditKind.LOCK_RELEASED);
    }
  }

  @Test
  void aLockEndsAtItsExpiryOrWhenAnAdministratorBreaksItAndADeployLockLetsItsHolderPass() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");

      // A deploy lock: alice's own deploy passes, the CI token's waits.
      Api.Response deployLock = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"alice deploys the schema change\",\"kind\":\"deploy\",\"for\":\"30s\"}");
      assertEquals(201, deployLock.status(), deployLock.body());
      String expiredLockId = deployLock.json().path("lock").path("lockId").asText();
      assertEquals("TOKEN", deployLock.json().path("lock").path("holderId").path("kind").asText(), deployLock.body());
      JsonNode own = tollgate.api(TestInstallation.ALICE).evaluate(body(repo, "production"), 60).json();
      assertEquals("GO", own.path("verdict").path("decision").asText(), own.toString());
      repo.commit("b.txt", "2");
      JsonNode ci = tollgate.api(TestInstallation.REQUESTER).evaluate(body(repo, "production"), 60).json();
      assertEquals("LOCKED", ci.path("verdict").path("reasons").get(0).path("code").asText(), ci.toString());
      // ... until the lock expires by itself.
      JsonNode expired = awaitJson(tollgate.api(), "/api/v1/evaluations/" + ci.path("id").asText(),
          e -> e.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", expired.path("verdict").path("decision").asText(), expired.toString());

      // A freeze lock broken by an administrator, who must say why.
      assertEquals(201, tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"nobody deploys during the audit\"}").status());
      repo.commit("c.txt", "3");
      JsonNode frozen = tollgate.api(TestInstallation.ALICE).evaluate(body(repo, "production"), 60).json();
      assertEquals("LOCKED", frozen.path("verdict").path("reasons").get(0).path("code").asText(), frozen.toString());
      String lockId = tollgate.api().get("/api/v1/environments/production/lock").json().path("locks").get(0)
          .path("lockId").asText();
      Api.Response noId = tollgate.api().delete("/api/v1/environments/production/lock",
          "{\"reason\":\"alice is on leave, hotfix must ship\"}");
      assertEquals(400, noId.status(), "a break names the lock it breaks: " + noId.body());
      Api.Response stale = tollgate.api().delete("/api/v1/environments/production/lock",
          "{\"lockId\":\"" + expiredLockId + "\",\"reason\":\"alice is on leave, hotfix must ship\"}");
      assertEquals(409, stale.status(), "a break typed against the expired lock never ends the new one: " + stale.body());
      Api.Response noReason = tollgate.api().delete("/api/v1/environments/production/lock",
          "{\"lockId\":\"" + lockId + "\"}");
      assertEquals(400, noReason.status(), noReason.body());
      Api.Response broken = tollgate.api().delete("/api/v1/environments/production/lock",
          "{\"lockId\":\"" + lockId + "\",\"reason\":\"alice is on leave, hotfix must ship\"}");
      assertEquals(200, broken.status(), broken.body());
      assertEquals("BREAK", broken.json().path("action").asText(), broken.body());
      JsonNode released = awaitJson(tollgate.api(), "/api/v1/evaluations/" + frozen.path("id").asText(),
          e -> e.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", released.path("verdict").path("decision").asText(), released.toString());

      assertAudited(tollgate, "production", AuditKind.LOCK_TAKEN, AuditKind.LOCK_EXPIRED, AuditKind.LOCK_BROKEN);
    }
  }

  @Test
  void aQueueOfThreeGoDeploysIsReleasedOneAtATimeAsDeploymentRecordsArrive() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      List<FixtureRepo> repos = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        repos.add(FixtureRepo.create(tmp.resolve("repo" + i)).commit("a.txt", "" + i));
      }
      Api ci = tollgate.api(TestInstallation.REQUESTER);
      List<String> ids = submitConcurrently(List.of(ci, ci, ci), repos, "staging");
      // Each end reported by someone who may vouch for it: the CD system's deployReporter token, an admin, the requester.
      List<String> reporters = List.of(TestInstallation.DEPLOY_REPORTER, TestInstallation.ADMIN, TestInstallation.REQUESTER);

      List<String> order = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        int waiting = 2 - order.size();
        JsonNode q = awaitJson(tollgate.api(), "/api/v1/environments/staging/queue",
            x -> x.path("inFlight").size() == 1 && x.path("queue").size() == waiting);
        String running = q.path("inFlight").get(0).path("evaluationId").asText();
        assertFalse(order.contains(running), q.toString());
        order.add(running);
        JsonNode e = awaitJson(tollgate.api(), "/api/v1/evaluations/" + running, x -> "GO".equals(x.path("verdict").path("decision").asText()));
        for (String other : ids) {
          if (!order.contains(other)) {
            JsonNode other2 = tollgate.api().get("/api/v1/evaluations/" + other).json();
            assertEquals("QUEUED", other2.path("verdict").path("reasons").get(0).path("code").asText(), other2.toString());
          }
        }
        Api.Response done = tollgate.api(reporters.get(round)).post("/api/v1/deployments", "{\"repository\":\""
            + e.path("repository").asText() + "\",\"environment\":\"staging\",\"commit\":\"" + e.path("candidate").asText()
            + "\",\"status\":\"succeeded\"}");
        assertEquals(202, done.status(), done.body());
        assertTrue(done.json().path("vouched").asBoolean(), done.body());
        awaitJson(tollgate.api(), "/api/v1/environments/staging/queue",
            x -> x.path("inFlight").size() == 0 || !x.path("inFlight").get(0).path("evaluationId").asText().equals(running));
      }
      assertEquals(Set.copyOf(ids), Set.copyOf(order));
      assertAudited(tollgate, "staging", AuditKind.QUEUE_ENTERED, AuditKind.QUEUE_RELEASED);
      // Each release names who reported the end.
      assertEquals(Set.of("token:argo", "token:admin", "token:ci"), awaitAudits(tollgate, AuditKind.QUEUE_RELEASED, 3).stream()
          .map(AuditRecorded::actor).collect(Collectors.toSet()));
    }
  }

  /**
   * Attack: the queue jump. ci's GO of X holds staging's one slot while it deploys; bob's evaluation of Y waits QUEUED.
   * Bob reports X's deploy as succeeded (any requester token could): it is recorded, answered {@code vouched: false},
   * and frees nothing (the refusal is audited naming bob and ci's slot). ci's own report ends it, and Y's GO is the very
   * next revision of Y.
   */
  @Test
  void aDeployEndReportedBySomeoneElseFreesNoSlotAndTheOwnersReportAdmitsTheNextGo() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo x = FixtureRepo.create(tmp.resolve("x")).commit("a.txt", "x");
      FixtureRepo y = FixtureRepo.create(tmp.resolve("y")).commit("a.txt", "y");
      Api ci = tollgate.api(TestInstallation.REQUESTER);
      Api bob = tollgate.api(TestInstallation.BOB);
      JsonNode deploying = ci.evaluate(body(x, "staging"), 60).json();
      assertEquals("GO", deploying.path("verdict").path("decision").asText(), deploying.toString());
      JsonNode waiting = bob.evaluate(body(y, "staging"), 60).json();
      assertEquals("QUEUED", waiting.path("verdict").path("reasons").get(0).path("code").asText(), waiting.toString());
      String xId = deploying.path("id").asText();
      String yId = waiting.path("id").asText();
      String xDeployed = "{\"repository\":\"" + x.dir() + "\",\"environment\":\"staging\",\"commit\":\"" + x.head()
          + "\",\"status\":\"succeeded\"}";

      Api.Response forged = bob.post("/api/v1/deployments", xDeployed);
      assertEquals(202, forged.status(), forged.body());
      assertFalse(forged.json().path("vouched").asBoolean(), forged.body());
      assertFalse(forged.json().path("bypass").asBoolean(), "X had its GO: " + forged.body());
      assertTrue(forged.json().path("reason").asText().contains("deployReporter"), forged.body());
      // The gate read the false end and kept the slot: the refusal is on Kafka, naming who reported and whose slot.
      AuditRecorded refused = awaitAudits(tollgate, AuditKind.QUEUE_RELEASE_REFUSED, 1).get(0);
      assertEquals("token:bob", refused.actor(), refused.toString());
      assertEquals(xId, refused.evaluationId(), refused.toString());
      assertTrue(refused.detail().contains("of ci kept"), refused.detail());
      JsonNode queue = tollgate.api().get("/api/v1/environments/staging/queue").json();
      assertEquals(xId, queue.path("inFlight").get(0).path("evaluationId").asText(), queue.toString());
      JsonNode still = bob.get("/api/v1/evaluations/" + yId).json();
      assertEquals("QUEUED", still.path("verdict").path("reasons").get(0).path("code").asText(), still.toString());

      Api.Response own = ci.post("/api/v1/deployments", xDeployed);
      assertEquals(202, own.status(), own.body());
      assertTrue(own.json().path("vouched").asBoolean(), own.body());
      JsonNode admitted = awaitJson(bob, "/api/v1/evaluations/" + yId, v -> v.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", admitted.path("verdict").path("decision").asText(), admitted.toString());
      // Nothing came between the QUEUED revision and the GO: bob's report admitted nothing.
      List<String> revisions = TopicReader.readAll(tollgate.kafka(), tollgate.topics().verdictsReached(), VerdictReached.class)
          .stream().filter(v -> v.evaluationId().equals(yId)).map(v -> v.revision() + " " + v.decision()).toList();
      assertEquals(List.of("1 NO_GO", "2 GO"), revisions);
      assertEquals(List.of("token:ci"), awaitAudits(tollgate, AuditKind.QUEUE_RELEASED, 1).stream()
          .map(AuditRecorded::actor).toList(), "the release names who reported the end");
      JsonNode history = bob.get("/api/v1/deployments?repository=" + x.dir() + "&environment=staging").json().path("deploys");
      assertEquals(List.of("token:ci true", "token:bob false"), java.util.stream.StreamSupport.stream(history.spliterator(), false)
          .map(d -> d.path("reportedBy").path("kind").asText().toLowerCase(java.util.Locale.ROOT) + ":"
              + d.path("reportedBy").path("id").asText() + " " + d.path("vouched").asBoolean()).toList(),
          "both recorded, newest first, each saying who reported it and whether it counts: " + history);
    }
  }

  @Test
  void twoGatesRacingForOneSlotOrOneLockNeverBothWin() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      GateService other = tollgate.startAnotherGate(tmp.resolve("data2"));
      tollgate.startWorker("w1");
      Api first = tollgate.api();
      Api second = new Api(other.httpPort(), TestInstallation.ADMIN);
      List<FixtureRepo> repos = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        repos.add(FixtureRepo.create(tmp.resolve("repo" + i)).commit("a.txt", "" + i));
      }
      List<String> ids = submitConcurrently(List.of(first, second, first, second, first, second), repos, "staging");
      for (String id : ids) {
        awaitJson(first, "/api/v1/evaluations/" + id, x -> x.path("verdict").has("decision"));
      }
      // Every verdict published, whichever gate decided it: exactly one GO while no deploy has ended.
      List<VerdictReached> verdicts = TopicReader.readAll(tollgate.kafka(), tollgate.topics().verdictsReached(), VerdictReached.class)
          .stream().filter(v -> ids.contains(v.evaluationId())).toList();
      long go = verdicts.stream().filter(v -> v.decision().permitsDeploy()).count();
      assertEquals(1, go, verdicts.stream().map(v -> v.evaluationId() + " " + v.decision() + " r" + v.revision()).toList().toString());
      assertEquals(5, verdicts.stream().filter(v -> v.held() && v.reasons().get(0).code().name().equals("QUEUED")).count());

      // Two approvers lock the same environment at once through different gates: one wins, the other is told who did.
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Api.Response> a = pool.submit(() -> new Api(tollgate.gate().httpPort(), TestInstallation.ALICE)
            .post("/api/v1/environments/production/lock", "{\"reason\":\"alice's maintenance window\"}"));
        Future<Api.Response> b = pool.submit(() -> new Api(other.httpPort(), TestInstallation.BOB)
            .post("/api/v1/environments/production/lock", "{\"reason\":\"bob's maintenance window\"}"));
        List<Integer> statuses = List.of(a.get().status(), b.get().status());
        assertEquals(Set.of(201, 409), Set.copyOf(statuses), a.get().body() + " / " + b.get().body());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aRestartedGateKeepsTheLockAndTheQueue() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      assertEquals(201, tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"held across the restart\"}").status());
      String locked = tollgate.api().evaluate(body(repo, "production"), 60).json().path("id").asText();
      List<FixtureRepo> repos = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        repos.add(FixtureRepo.create(tmp.resolve("q" + i)).commit("a.txt", "" + i));
      }
      List<String> queued = submitConcurrently(List.of(tollgate.api(), tollgate.api()), repos, "staging");
      JsonNode before = awaitJson(tollgate.api(), "/api/v1/environments/staging/queue",
          x -> x.path("inFlight").size() == 1 && x.path("queue").size() == 1);

      tollgate.stopGate();
      tollgate.startGate();

      JsonNode lock = awaitJson(tollgate.api(), "/api/v1/environments/production/lock", x -> x.path("locks").size() == 1);
      assertEquals("alice", lock.path("locks").get(0).path("holder").asText(), lock.toString());
      JsonNode after = awaitJson(tollgate.api(), "/api/v1/environments/staging/queue",
          x -> x.path("inFlight").size() == 1 && x.path("queue").size() == 1);
      assertEquals(before.path("inFlight"), after.path("inFlight"));
      assertEquals(200, tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/production/lock", null).status());
      JsonNode go = awaitJson(tollgate.api(), "/api/v1/evaluations/" + locked, e -> e.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", go.path("verdict").path("decision").asText(), go.toString());

      String running = after.path("inFlight").get(0).path("evaluationId").asText();
      JsonNode e = tollgate.api().get("/api/v1/evaluations/" + running).json();
      assertEquals(202, tollgate.api().post("/api/v1/deployments", "{\"repository\":\"" + e.path("repository").asText()
          + "\",\"environment\":\"staging\",\"commit\":\"" + e.path("candidate").asText() + "\",\"status\":\"failed\"}").status());
      String next = queued.stream().filter(id -> !id.equals(running)).findFirst().orElseThrow();
      JsonNode released = awaitJson(tollgate.api(), "/api/v1/evaluations/" + next, x -> x.path("verdict").path("revision").asInt() >= 2);
      assertEquals("GO", released.path("verdict").path("decision").asText(), released.toString());
    }
  }

  /**
   * A long freeze on a busy environment: past {@code locks.maxWaiting} a GO is a NO_GO {@code QUEUE_FULL} (refused, not
   * held, audited), never lost and never grown into a state too large for its record; the two waiting are released.
   */
  @Test
  void aGoPastTheWaitingCapIsANoGoQueueFullAndTheWaitingOnesAreReleasedWhenTheLockGoes() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      Api.Response locked = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/qa/lock",
          "{\"reason\":\"release freeze for the quarter close\"}");
      assertEquals(201, locked.status(), locked.body());
      List<String> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo" + i)).commit("a.txt", "" + i);
        JsonNode e = tollgate.api().evaluate(body(repo, "qa"), 60).json();
        assertEquals("LOCKED", e.path("verdict").path("reasons").get(0).path("code").asText(), e.toString());
        held.add(e.path("id").asText());
      }
      FixtureRepo third = FixtureRepo.create(tmp.resolve("repo-third")).commit("a.txt", "3");
      JsonNode refused = tollgate.api().evaluate(body(third, "qa"), 60).json();
      JsonNode verdict = refused.path("verdict");
      assertEquals("NO_GO", verdict.path("decision").asText(), refused.toString());
      assertFalse(verdict.path("held").asBoolean(), refused.toString());
      assertEquals("QUEUE_FULL", verdict.path("reasons").get(0).path("code").asText(), refused.toString());
      assertTrue(verdict.path("reasons").get(0).path("message").asText().startsWith("queue full: 2 evaluations already wait"),
          refused.toString());
      assertEquals(2, tollgate.api().get("/api/v1/environments/qa/queue").json().path("locked").size());

      String lockId = locked.json().path("lock").path("lockId").asText();
      Api.Response unlocked = tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/qa/lock",
          "{\"lockId\":\"" + lockId + "\"}");
      assertEquals(200, unlocked.status(), unlocked.body());
      for (String id : held) {
        JsonNode again = awaitJson(tollgate.api(), "/api/v1/evaluations/" + id, x -> x.path("verdict").path("revision").asInt() >= 2);
        assertEquals("GO", again.path("verdict").path("decision").asText(), again.toString());
      }
      assertAudited(tollgate, "qa", AuditKind.LOCK_TAKEN, AuditKind.QUEUE_REFUSED, AuditKind.LOCK_RELEASED);
    }
  }

  /**
   * Attack (or accident): a credential typed into a lock reason. It must not come back from the API, reach the
   * evaluations it holds, or be written to any Kafka record (the command, the environment's state, the audit).
   */
  @Test
  void aCredentialTypedIntoALockReasonIsMaskedInTheAnswersTheHeldVerdictAndEveryRecord() throws Exception {
    // Assembled at run time: Tollgate's own secrets scan reads this file.
    String secretPart = "Zq8rT2vLk9PwX4mN";
    String token = "xox" + "b-1234567890-" + secretPart;
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      Api.Response locked = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"rotating the leaked bot token " + token + "\",\"for\":\"1h\"}");
      assertEquals(201, locked.status(), locked.body());
      assertFalse(locked.body().contains(secretPart), locked.body());
      String lockId = locked.json().path("lock").path("lockId").asText();
      Api.Response shown = tollgate.api().get("/api/v1/environments/production/lock");
      assertTrue(shown.body().contains("xoxb-…(redacted)"), shown.body());
      assertFalse(shown.body().contains(secretPart), shown.body());
      JsonNode held = tollgate.api().evaluate(body(repo, "production"), 60).json();
      assertEquals("LOCKED", held.path("verdict").path("reasons").get(0).path("code").asText(), held.toString());
      assertFalse(held.toString().contains(secretPart), held.toString());
      assertEquals(200, tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/production/lock",
          "{\"lockId\":\"" + lockId + "\"}").status());
      assertAudited(tollgate, "production", AuditKind.LOCK_TAKEN, AuditKind.LOCK_RELEASED);
      for (String topic : List.of(tollgate.topics().locksRequested(), tollgate.topics().environmentGatesChanged(),
          tollgate.topics().auditRecorded(), tollgate.topics().verdictsReached())) {
        for (JsonNode record : TopicReader.readAll(tollgate.kafka(), topic, JsonNode.class)) {
          assertFalse(record.toString().contains(secretPart), topic + ": " + record);
        }
      }
    }
  }

  /**
   * A repository lock taken under one spelling (its .git directory) is the lock of every spelling: someone else's
   * unlock under another spelling is refused (403), its holder's is accepted without a lockId, and the evaluation it
   * held under the plain path is decided again as GO.
   */
  @Test
  void aRepositoryLockIsUnlockedByItsHolderUnderAnotherSpellingAndByNobodyElse() throws Exception {
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), CONFIG)) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("a.txt", "1");
      Api.Response locked = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"repository\":\"" + repo.dir() + "/.git\",\"reason\":\"rebuilding the shop's database\",\"for\":\"1h\"}");
      assertEquals(201, locked.status(), locked.body());
      JsonNode held = tollgate.api().evaluate(body(repo, "production"), 60).json();
      assertEquals("LOCKED", held.path("verdict").path("reasons").get(0).path("code").asText(), held.toString());
      String plain = "{\"repository\":\"" + repo.dir() + "\"}";
      Api.Response bob = tollgate.api(TestInstallation.BOB).delete("/api/v1/environments/production/lock", plain);
      assertEquals(403, bob.status(), bob.body());
      Api.Response alice = tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/production/lock", plain);
      assertEquals(200, alice.status(), alice.body());
      String id = held.path("id").asText();
      JsonNode again = held;
      for (long until = Waits.deadline(Duration.ofSeconds(30));
          !"GO".equals(again.path("verdict").path("decision").asText()) && System.nanoTime() < until; ) {
        Thread.sleep(100);
        again = tollgate.api().get("/api/v1/evaluations/" + id).json();
      }
      assertEquals("GO", again.path("verdict").path("decision").asText(), "decided again once the lock went: " + again);
      assertEquals(404, tollgate.api(TestInstallation.ALICE).delete("/api/v1/environments/production/lock", plain).status(),
          "no lock of either spelling is left");
      assertAudited(tollgate, "production", AuditKind.LOCK_TAKEN, AuditKind.LOCK_RELEASED);
    }
  }

  /**
   * Attack: a token of another tenant (an administrator there) reads, takes, breaks or unlocks this tenant's lock, or
   * names the environment in another case. Locks are per tenant; the lock's reason is not shown to the other tenant.
   */
  @Test
  void anotherTenantsTokenNeitherSeesNorTakesNorBreaksTheLockAndAnotherCaseIsNoEnvironment() throws Exception {
    String twoTenants = CONFIG.replace("tenants: [acme]", "tenants: [acme, globex]");
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), twoTenants)) {
      tollgate.startGate();
      Api.Response locked = tollgate.api(TestInstallation.ALICE).post("/api/v1/environments/production/lock",
          "{\"reason\":\"acme's secret incident 4711\",\"for\":\"1h\"}");
      assertEquals(201, locked.status(), locked.body());
      String lockId = locked.json().path("lock").path("lockId").asText();
      Api other = tollgate.api(TestInstallation.OTHER_TENANT);
      assertEquals(403, other.get("/api/v1/environments/production/lock?tenant=acme").status());
      assertEquals(403, other.get("/api/v1/environments/production/queue?tenant=acme").status());
      Api.Response own = other.get("/api/v1/environments/production/lock");
      assertEquals(200, own.status(), own.body());
      assertEquals("globex", own.json().path("tenant").asText(), own.body());
      assertEquals(0, own.json().path("locks").size(), own.body());
      assertFalse(own.body().contains("4711"), own.body());
      Api.Response broken = other.delete("/api/v1/environments/production/lock",
          "{\"tenant\":\"acme\",\"lockId\":\"" + lockId + "\",\"reason\":\"an admin of another tenant\"}");
      assertEquals(403, broken.status(), broken.body());
      Api.Response taken = other.post("/api/v1/environments/production/lock",
          "{\"tenant\":\"acme\",\"reason\":\"lock the other tenant out\"}");
      assertEquals(403, taken.status(), taken.body());
      // The environment in another case is no environment: neither a second lock nor a way past this one.
      assertEquals(404, tollgate.api(TestInstallation.BOB).post("/api/v1/environments/Production/lock",
          "{\"reason\":\"a lock of another spelling\"}").status());
      Api.Response upper = tollgate.api(TestInstallation.BOB).post("/api/v1/evaluations", "{\"repository\":\"/tmp/x\","
          + "\"environment\":\"PRODUCTION\",\"candidate\":\"" + "a".repeat(40) + "\"}");
      assertEquals(400, upper.status(), upper.body());
      assertEquals("environment", upper.json().path("field").asText(), upper.body());
      Api.Response still = tollgate.api().get("/api/v1/environments/production/lock?tenant=acme");
      assertEquals(1, still.json().path("locks").size(), still.body());
      assertEquals(lockId, still.json().path("locks").get(0).path("lockId").asText(), still.body());
    }
  }

  private static String body(FixtureRepo repo, String environment) {
    return "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"candidate\":\"" + repo.head() + "\"}";
  }

  /** Submits one evaluation per repository at the same time, each through its API; returns their ids in order. */
  private static List<String> submitConcurrently(List<Api> apis, List<FixtureRepo> repos, String environment) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(repos.size());
    try {
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < repos.size(); i++) {
        Api api = apis.get(i);
        FixtureRepo repo = repos.get(i);
        Callable<String> submit = () -> {
          Api.Response r = api.post("/api/v1/evaluations", body(repo, environment));
          assertEquals(202, r.status(), r.body());
          return r.json().path("id").asText();
        };
        ids.add(pool.submit(submit));
      }
      List<String> out = new ArrayList<>();
      for (Future<String> f : ids) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits until the audit topic holds at least {@code count} records of {@code kind}; returns them. */
  private static List<AuditRecorded> awaitAudits(TestInstallation tollgate, AuditKind kind, int count)
      throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(30));
    List<AuditRecorded> found = List.of();
    while (System.nanoTime() < deadline) {
      found = TopicReader.readAll(tollgate.kafka(), tollgate.topics().auditRecorded(), AuditRecorded.class).stream()
          .filter(a -> a.kind() == kind).toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("expected " + count + " " + kind + " audit records, found " + found);
  }

  private static JsonNode awaitJson(Api api, String path, Predicate<JsonNode> done) throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(60));
    Api.Response r = api.get(path);
    while (!(r.status() == 200 && done.test(r.json())) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      r = api.get(path);
    }
    assertTrue(r.status() == 200 && done.test(r.json()), path + ": " + r.body());
    return r.json();
  }

  /**
   * Waits until the audit topic holds every one of {@code expected} for {@code environment}, and fails with what it
   * holds otherwise. (Waiting for a count of kinds instead ran to its deadline whenever the count exceeded what the test
   * can produce.)
   */
  private static void assertAudited(TestInstallation tollgate, String environment, AuditKind... expected)
      throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(30));
    Set<AuditKind> kinds = Set.of();
    while (System.nanoTime() < deadline) {
      kinds = TopicReader.readAll(tollgate.kafka(), tollgate.topics().auditRecorded(), AuditRecorded.class).stream()
          .filter(a -> a.environment().equals(environment)).map(AuditRecorded::kind).collect(Collectors.toSet());
      if (kinds.containsAll(Set.of(expected))) {
        return;
      }
      Thread.sleep(200);
    }
    assertTrue(kinds.containsAll(Set.of(expected)), kinds.toString());
  }
}
