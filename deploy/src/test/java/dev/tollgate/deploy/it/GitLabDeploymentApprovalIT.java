package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.deploy.gitlab.GitLabCloneCredentials;
import dev.tollgate.deploy.gitlab.GitLabConfig;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.FakeGitLab;
import dev.tollgate.deploy.testing.GitLabDeliveries;
import dev.tollgate.deploy.testing.GitLabDeliveries.Project;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.gate.gitlab.GitLabIntegration;
import dev.tollgate.gate.gitlab.GitLabWebhookAuth;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tollgate as a GitLab deployment approver (issue #9), end to end: Deployment and Pipeline Hooks in (token-checked,
 * some signed), a real broker, real workers cloning a private project from a real smart-HTTP git server with the
 * tenant's bot token, and a fake GitLab API on the same host that checks the bot's {@code PRIVATE-TOKEN} on every call,
 * keeps deployments and jobs, and records what Tollgate told it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitLabDeploymentApprovalIT {
  static final String ACME_BOT = "glpat-acme-" + UUID.randomUUID();
  static final String GLOBEX_BOT = "glpat-globex-" + UUID.randomUUID();
  static final String HOOK_TOKEN = "hook-token-" + UUID.randomUUID();
  static final String GLOBEX_HOOK_TOKEN = "globex-hook-" + UUID.randomUUID();
  static final byte[] GLOBEX_SIGNING = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  static final String DASHBOARD = "https://tollgate.example.com";
  static final long SHOP = 30;
  static final long SITE = 31;
  static final AtomicLong IDS = new AtomicLong(1000);

  @TempDir
  static Path tmp;
  FakeGitLab gitlab;
  GitServer git;
  TestInstallation tollgate;
  LogCapture logs;
  GitLabDeliveries deliveries;
  FixtureRepo shop;
  Project shopProject;
  Project siteProject;
  final AtomicReference<java.util.function.Supplier<Instant>> window = new AtomicReference<>(() -> Instant.MAX);

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture("dev.tollgate");
    gitlab = new FakeGitLab().bot("acme", ACME_BOT, true, "acme").bot("globex", GLOBEX_BOT, true, "globex")
        .project(SHOP, "acme/platform/shop").project(SITE, "globex/site");
    // GitLab clones with any user name and an access token as the password; a bot reads only its own groups.
    git = new GitServer((repo, user, password) -> password.equals(ACME_BOT) && repo.startsWith("acme/")
        || password.equals(GLOBEX_BOT) && repo.startsWith("globex/"), Map.of("/api/v4/*", gitlab));
    shop = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "v1");
    git.serve("acme/platform/shop", shop.dir(), true);
    shopProject = new Project(SHOP, "acme/platform/shop", git.webUrl());
    siteProject = new Project(SITE, "globex/site", git.webUrl());
    Path bot = secretFile("bot", ACME_BOT + "\n");
    Path hook = secretFile("hook", HOOK_TOKEN + "\n");
    String config = """
        tenants: [acme, globex]
        defaults: {deadline: 30s}
        environments:
          staging: {probes: {pass: {}}}
          qa: {probes: {pass: {}}}
          production: {probes: {pass: {}, fail: {}}}
          guarded: {probes: {pass: {}, fail: {}}, overrides: {approvers: [alice, bob]}}
          frozen: {probes: {window: {}}}
          queued: {probes: {pass: {}}, queue: {maxInFlight: 1}}
        repositories:
          allowed: ["%1$s/acme/", "%1$s/globex/"]
        gitlab:
          baseUrl: %1$s
          botTokenFile: %2$s
          webhookTokenFile: %3$s
          dashboardUrl: %4$s
          autoPlay: true
          tenants:
            acme: [acme]
            globex:
              groups: [globex]
              botTokenEnv: GLOBEX_BOT
              webhookTokenEnv: GLOBEX_HOOK
              signingSecretEnv: GLOBEX_SIGNING
        """.formatted(git.webUrl(), bot, hook, DASHBOARD);
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.FAIL, TestProbes.window(() -> window.get().get())), config);
    // The real configuration path: the gitlab: section read as the server reads it.
    GitLabConfig c = GitLabConfig.from(tollgate.config().path("gitlab"), Set.of("acme", "globex"),
        Set.of("staging", "qa", "production", "frozen", "queued"), Map.of("GLOBEX_BOT", GLOBEX_BOT, "GLOBEX_HOOK", GLOBEX_HOOK_TOKEN,
            "GLOBEX_SIGNING", "whsec_" + Base64.getEncoder().encodeToString(GLOBEX_SIGNING))::get);
    tollgate.withGitLab(new GitLabIntegration(c.settings()), new GitLabCloneCredentials(c.settings()));
    tollgate.startGate();
    tollgate.startWorker("w1");
    assertTrue(tollgate.gate().gitlabReporter().awaitAssignment(Duration.ofSeconds(30)), "reporter joined its group");
    deliveries = new GitLabDeliveries(HOOK_TOKEN, null);
  }

  static Path secretFile(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  @AfterAll
  void stop() {
    tollgate.close();
    git.close();
    logs.close();
  }

  /** A blocked deployment of {@code sha} with its manual job, known to the fake GitLab. */
  record Held(long deploymentId, long jobId, String sha, String key) {}

  Held held(String environment, String sha) {
    Held h = new Held(IDS.incrementAndGet(), IDS.incrementAndGet(), sha, UUID.randomUUID().toString());
    gitlab.deployment(h.deploymentId(), SHOP, environment, sha, "blocked", h.jobId(), "manual");
    return h;
  }

  Api webhook() {
    return tollgate.api(null);
  }

  Api.Response blocked(Held h, String environment) {
    return deliveries.send(webhook(), "Deployment Hook", h.key(),
        GitLabDeliveries.deployment(shopProject, "blocked", h.deploymentId(), h.jobId(), environment, h.sha(), "jsmith"));
  }

  Api.Response event(String status, long deploymentId, long jobId, String environment, String sha) {
    return deliveries.send(webhook(), "Deployment Hook",
        GitLabDeliveries.deployment(shopProject, status, deploymentId, jobId, environment, sha, "jsmith"));
  }

  FakeGitLab.Call awaitApproval(Held h) throws InterruptedException {
    return gitlab.await(c -> c.path().endsWith("/deployments/" + h.deploymentId() + "/approval") && c.status() == 201,
        Duration.ofSeconds(60));
  }

  FakeGitLab.Call awaitStatus(String sha, String state) throws InterruptedException {
    return gitlab.await(c -> c.path().endsWith("/statuses/" + sha) && state.equals(c.field("state")), Duration.ofSeconds(60));
  }

  List<EvaluationRequested> requestsFor(String delivery) {
    return TopicReader.readAll(tollgate.kafka(), tollgate.topics().evaluationsRequested(), EvaluationRequested.class).stream()
        .filter(r -> delivery.equals(r.deliveryId())).toList();
  }

  @Test
  void aBlockedDeploymentIsEvaluatedApprovedPlayedAndGetsACommitStatusWithAPrivateClone() throws Exception {
    String sha = shop.commit("app.txt", "v-approved").head();
    Held h = held("staging", sha);
    Api.Response accepted = blocked(h, "staging");
    assertEquals(202, accepted.status(), accepted.body());
    String id = accepted.json().path("evaluationId").asText();
    assertFalse(accepted.json().path("replayed").asBoolean());

    FakeGitLab.Call approval = awaitApproval(h);
    assertEquals("approved", approval.field("status"), gitlab.describe());
    assertEquals("acme", approval.bot(), "as acme's bot user");
    assertTrue(approval.field("comment").startsWith("Tollgate GO for staging at " + sha.substring(0, 12)), approval.field("comment"));
    assertTrue(approval.field("comment").endsWith(DASHBOARD + "/evaluations/" + id + " Attestation: " + DASHBOARD
        + "/api/v1/evaluations/" + id + "/attestation?revision=1"), "an approval names its signed attestation: "
        + approval.field("comment"));
    assertTrue(gitlab.calls().stream().anyMatch(c -> c.method().equals("GET") && c.path().endsWith("/deployments/" + h.deploymentId())),
        "the deployment was read back before it was approved");

    FakeGitLab.Call success = awaitStatus(sha, "success");
    assertEquals("tollgate/staging", success.field("name"));
    assertEquals(DASHBOARD + "/evaluations/" + id, success.field("target_url"));
    assertEquals("pending", gitlab.statuses(sha).get(0).field("state"), "pending first");
    // autoPlay: an approval does not start the job in GitLab, so Tollgate plays it.
    gitlab.await(c -> c.path().endsWith("/jobs/" + h.jobId() + "/play") && c.status() == 200, Duration.ofSeconds(10));
    assertEquals("pending", gitlab.jobStatus(h.jobId()));

    JsonNode evaluation = tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals("GITLAB", evaluation.path("source").asText());
    assertEquals("jsmith (GitLab)", evaluation.path("requestedBy").asText());
    assertEquals(git.webUrl() + "/acme/platform/shop.git", evaluation.path("repository").asText());
    assertEquals("acme", evaluation.path("tenant").asText());

    // The private project was cloned with the bot token as a basic-auth password, never in a URL or a mirror's config.
    assertTrue(git.requests().stream().anyMatch(r -> r.authenticated() && "oauth2".equals(r.user())
        && r.uri().startsWith("/acme/platform/shop.git/")), "cloned with the bot token: " + git.requests());
    for (GitServer.Request r : git.requests()) {
      assertFalse(r.uri().contains(ACME_BOT) || r.query() != null && r.query().contains(ACME_BOT), "token in a URL: " + r);
    }
    try (Stream<Path> files = Files.walk(tmp.resolve("data").resolve("repos"))) {
      for (Path f : files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().equals("config")).toList()) {
        assertFalse(Files.readString(f).contains(ACME_BOT), "the mirror's config keeps no credentials");
      }
    }
    for (String line : logs.lines()) {
      for (String secret : List.of(ACME_BOT, GLOBEX_BOT, HOOK_TOKEN, GLOBEX_HOOK_TOKEN)) {
        assertFalse(line.contains(secret), "a secret reached the logs: " + line);
      }
    }
    List<String> problems = logs.lines().stream().filter(l -> (l.startsWith("WARN") || l.startsWith("ERROR"))
        && (l.contains(h.key()) || l.contains(id))).toList();
    assertEquals(List.of(), problems, "the happy path logs nothing above INFO");

    // The approved deploy goes out: recorded, not a bypass.
    Api.Response deployed = event("success", h.deploymentId(), h.jobId(), "staging", sha);
    assertEquals(202, deployed.status(), deployed.body());
    assertFalse(deployed.json().path("bypass").asBoolean(), deployed.body());
    assertEquals(id, deployed.json().path("evaluationId").asText());
  }

  @Test
  void anOverridableNoGoWaitsForItsApproversAndTheirRejectionRejectsTheDeployment() throws Exception {
    String sha = shop.commit("app.txt", "v-guarded").head();
    Held h = held("guarded", sha);
    Api.Response accepted = blocked(h, "guarded");
    assertEquals(202, accepted.status(), accepted.body());
    FakeGitLab.Call failed = awaitStatus(sha, "failed");
    assertTrue(failed.field("description").startsWith("NO_GO: probe fail failed"), failed.body().toString());
    assertEquals(List.of(), gitlab.approvals(h.deploymentId()), "not rejected while approvers may override (final in GitLab)");

    // GitLab's status and the API's views are written by two consumers of the verdicts: vote once the views have it
    // (before, a vote gets 409 "still running", which a user would retry).
    String id = accepted.json().path("evaluationId").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode view = tollgate.api().get("/api/v1/evaluations/" + id).json();
    while (!"NO_GO".equals(view.path("verdict").path("decision").asText()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      view = tollgate.api().get("/api/v1/evaluations/" + id).json();
    }
    assertEquals("NO_GO", view.path("verdict").path("decision").asText(), view.toString());
    Api.Response vote = tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"reject\",\"reason\":\"not this week, INC-4411 is open\"}");
    assertEquals("rejected", vote.json().path("status").asText(), vote.body());
    assertEquals("rejected", awaitApproval(h).field("status"), gitlab.describe());
    assertEquals(1, gitlab.approvals(h.deploymentId()).size(), gitlab.describe());
  }

  @Test
  void aRiskyDeploymentIsRejectedWithItsReasonsAndAFailedStatusAndIsNotPlayed() throws Exception {
    String sha = shop.commit("app.txt", "v-risky").head();
    Held h = held("production", sha);
    assertEquals(202, blocked(h, "production").status());
    FakeGitLab.Call rejection = awaitApproval(h);
    assertEquals("rejected", rejection.field("status"), gitlab.describe());
    String comment = rejection.field("comment");
    assertTrue(comment.startsWith("Tollgate NO_GO for production at " + sha.substring(0, 12) + ": Why: probe fail failed"), comment);
    assertTrue(comment.contains("Failing: test/fail app.txt:1."), comment);
    assertTrue(comment.length() <= 255, "GitLab's limit: " + comment.length());
    FakeGitLab.Call failed = awaitStatus(sha, "failed");
    assertEquals("tollgate/production", failed.field("name"));
    assertTrue(failed.field("description").startsWith("NO_GO: probe fail failed"), failed.body().toString());
    Thread.sleep(500);
    assertTrue(gitlab.calls().stream().noneMatch(c -> c.path().endsWith("/jobs/" + h.jobId() + "/play")), "a NO_GO is never played");
  }

  @Test
  void aWrongOrMissingTokenIs401AndNothingIsPublished() throws Exception {
    Held h = held("staging", shop.head());
    ObjectNode payload = GitLabDeliveries.deployment(shopProject, "blocked", h.deploymentId(), h.jobId(), "staging", h.sha(), "jsmith");
    List<Api.Response> refused = List.of(
        new GitLabDeliveries("not-the-token", null).send(webhook(), "Deployment Hook", h.key(), payload),
        new GitLabDeliveries(HOOK_TOKEN + "x", null).send(webhook(), "Deployment Hook", h.key(), payload),
        new GitLabDeliveries(null, null).send(webhook(), "Deployment Hook", h.key(), payload),
        // globex's token needs globex's signature too
        new GitLabDeliveries(GLOBEX_HOOK_TOKEN, null).send(webhook(), "Deployment Hook", h.key(), payload),
        new GitLabDeliveries(null, "another-signing-key!".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .send(webhook(), "Deployment Hook", h.key(), payload));
    for (Api.Response r : refused) {
      assertEquals(401, r.status(), r.body());
      assertEquals("application/problem+json", r.header("Content-Type"));
    }
    // Authenticated, but as globex: acme's project is not globex's to act on.
    Api.Response crossTenant = new GitLabDeliveries(GLOBEX_HOOK_TOKEN, GLOBEX_SIGNING).send(webhook(), "Deployment Hook", h.key(),
        payload);
    assertEquals(403, crossTenant.status(), crossTenant.body());
    Thread.sleep(3000); // "no EvaluationRequested within 3 s" (STYLE §8)
    assertEquals(List.of(), requestsFor(h.key()));
    assertEquals(List.of(), gitlab.approvals(h.deploymentId()));
    assertTrue(logs.containing("gitlab.webhook.unauthenticated").size() >= 5, "each refusal is logged");
  }

  @Test
  void theSameIdempotencyKeyTwiceIsOneEvaluationAndOneApproval() throws Exception {
    Held h = held("staging", shop.commit("app.txt", "v-redelivered").head());
    Api.Response first = blocked(h, "staging");
    Api.Response second = blocked(h, "staging");
    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    String id = first.json().path("evaluationId").asText();
    assertEquals(id, second.json().path("evaluationId").asText());
    assertTrue(second.json().path("replayed").asBoolean(), second.body());
    awaitApproval(h);
    // Resent later from GitLab's Recent events, even under a new key: still the same deployment, the same evaluation.
    Api.Response resent = deliveries.send(webhook(), "Deployment Hook",
        GitLabDeliveries.deployment(shopProject, "blocked", h.deploymentId(), h.jobId(), "staging", h.sha(), "jsmith"));
    assertEquals(id, resent.json().path("evaluationId").asText());
    Thread.sleep(1500);
    List<EvaluationRequested> requests = requestsFor(h.key());
    assertEquals(1, requests.size(), "one EvaluationRequested for the delivery");
    assertEquals("gitlab:deployment:" + h.deploymentId(), requests.get(0).idempotencyKey());
    assertEquals(h.deploymentId(), requests.get(0).gitlab().deploymentId());
    assertEquals(1, gitlab.approvals(h.deploymentId()).size(), gitlab.describe());
  }

  @Test
  void deploymentEventsBecomeDeployHistoryAndOnlyAGoneCommitTheNextEvaluationsBaseline() throws Exception {
    String deployedSha = shop.commit("app.txt", "v-qa-1").head();
    Held first = held("qa", deployedSha);
    String firstId = blocked(first, "qa").json().path("evaluationId").asText();
    awaitApproval(first);
    for (int i = 0; i < 200 && !tollgate.gate().views().commitStatus("acme", git.webUrl() + "/acme/platform/shop.git", "qa",
        deployedSha).go(); i++) {
      Thread.sleep(50);
    }
    long deploymentId = first.deploymentId();
    Api.Response started = event("running", deploymentId, first.jobId(), "qa", deployedSha);
    assertEquals(202, started.status(), started.body());
    assertEquals("STARTED", started.json().path("status").asText());
    assertTrue(event("created", deploymentId, first.jobId(), "qa", deployedSha).json().path("ignored").asBoolean());
    Api.Response succeeded = event("success", deploymentId, first.jobId(), "qa", deployedSha);
    assertEquals("SUCCEEDED", succeeded.json().path("status").asText(), succeeded.body());
    assertFalse(succeeded.json().path("bypass").asBoolean(), "Tollgate decided GO for this commit: not a bypass");
    assertEquals(firstId, succeeded.json().path("evaluationId").asText());
    assertTrue(event("success", IDS.incrementAndGet(), 0, "review-42", deployedSha).json().path("ignored").asBoolean(),
        "an environment Tollgate does not gate is ignored, not refused (GitLab disables failing hooks)");

    JsonNode deploys = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); System.nanoTime() < until; ) {
      deploys = tollgate.api().get("/api/v1/deployments?tenant=acme&environment=qa&repository=" + git.webUrl()
          + "/acme/platform/shop.git").json().path("deploys");
      if (deploys.size() > 0 && deploys.get(0).path("status").asText().equals("SUCCEEDED")) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(1, deploys.size(), String.valueOf(deploys));
    assertEquals(deployedSha, deploys.get(0).path("commit").asText());
    assertEquals("gitlab:" + deploymentId, deploys.get(0).path("deploymentId").asText());

    // Issue #19: a deployment Tollgate was never asked about is recorded (it happened) as a bypass, and never becomes
    // the baseline: the next evaluation checks what it shipped again.
    String unchecked = shop.commit("app.txt", "v-qa-unchecked").head();
    Api.Response bypassed = event("success", IDS.incrementAndGet(), 0, "qa", unchecked);
    assertTrue(bypassed.json().path("bypass").asBoolean(), bypassed.body());
    for (int i = 0; i < 100 && !tollgate.gate().views().lastDeployed("acme", git.webUrl() + "/acme/platform/shop.git", "qa")
        .orElse("").equals(unchecked); i++) {
      Thread.sleep(50);
    }
    Held next = held("qa", shop.commit("app.txt", "v-qa-2").head());
    String id = blocked(next, "qa").json().path("evaluationId").asText();
    awaitApproval(next);
    JsonNode v = tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals(deployedSha, v.path("baseline").asText(), "the last deploy Tollgate decided GO for is the baseline");
    assertEquals(unchecked, v.path("untrustedBaseline").asText());
  }

  /**
   * A GitLab deployment event of the deployment Tollgate approved is the platform's word that its deploy ended: it
   * frees that queue slot and the next GO goes. Attack first: a deployment of the same commit Tollgate never evaluated
   * (anyone who may run a pipeline can make one), its success sent by someone who is not the slot's party: its
   * sender is judged like a token, the report proves nothing and the slot stays.
   */
  @Test
  void aDeploymentEventEndsTheQueueSlotOfTheDeploymentTollgateApprovedAndNoOtherDeployment() throws Exception {
    String first = shop.commit("app.txt", "v-queued-1").head();
    Held h = held("queued", first);
    String firstId = blocked(h, "queued").json().path("evaluationId").asText();
    assertEquals("approved", awaitApproval(h).field("status"));
    String second = shop.commit("app.txt", "v-queued-2").head();
    String repository = git.webUrl() + "/acme/platform/shop.git";
    JsonNode waiting = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + repository
        + "\",\"environment\":\"queued\",\"candidate\":\"" + second + "\"}", 30).json();
    assertEquals("QUEUED", waiting.path("verdict").path("reasons").get(0).path("code").asText(), waiting.toString());

    long ungated = IDS.incrementAndGet();
    Api.Response forged = deliveries.send(webhook(), "Deployment Hook",
        GitLabDeliveries.deployment(shopProject, "success", ungated, 0, "queued", first, "mallory"));
    assertEquals(202, forged.status(), forged.body());
    JsonNode refused = tollgate.api().awaitAudit("QUEUE_RELEASE_REFUSED", firstId);
    assertEquals("gitlab:mallory", refused.path("actor").asText(), refused.toString());
    assertEquals("QUEUED", tollgate.api().get("/api/v1/evaluations/" + waiting.path("id").asText()).json().path("verdict")
        .path("reasons").get(0).path("code").asText(), "the slot is still taken");

    Api.Response ended = event("success", h.deploymentId(), h.jobId(), "queued", first);
    assertEquals(202, ended.status(), ended.body());
    JsonNode admitted = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(30)); System.nanoTime() < until; ) {
      admitted = tollgate.api().get("/api/v1/evaluations/" + waiting.path("id").asText()).json();
      if (admitted.path("verdict").path("revision").asInt() >= 2) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals("GO", admitted.path("verdict").path("decision").asText(), String.valueOf(admitted));
    JsonNode recorded = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(30)); System.nanoTime() < until; ) {
      recorded = tollgate.api().get("/api/v1/deployments?tenant=acme&environment=queued&repository=" + repository).json()
          .path("deploys");
      if (recorded.size() >= 2) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(List.of("gitlab:" + h.deploymentId() + " PLATFORM", "gitlab:" + ungated + " NONE"),
        java.util.stream.StreamSupport.stream(recorded.spliterator(), false)
            .map(d -> d.path("deploymentId").asText() + " " + d.path("standing").asText()).toList(), recorded.toString());
  }

  @Test
  void aDeployThatSucceededDespiteARejectionIsRecordedAndAudited() throws Exception {
    String sha = shop.commit("app.txt", "v-bypassed").head();
    Held h = held("production", sha);
    String id = blocked(h, "production").json().path("evaluationId").asText();
    assertEquals("rejected", awaitApproval(h).field("status"));
    Api.Response bypassed = event("success", h.deploymentId(), h.jobId(), "production", sha);
    assertTrue(bypassed.json().path("bypass").asBoolean(), bypassed.body());
    assertEquals(id, bypassed.json().path("evaluationId").asText());
    List<AuditRecorded> audit = TopicReader.readAll(tollgate.kafka(), tollgate.topics().auditRecorded(), AuditRecorded.class)
        .stream().filter(a -> a.evaluationId().equals(id)).toList();
    assertEquals(1, audit.size(), String.valueOf(audit));
    assertEquals(AuditKind.GATE_BYPASSED, audit.get(0).kind());
    assertEquals("jsmith", audit.get(0).actor());
    assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("event=gitlab.bypass") && l.contains(id)));
  }

  @Test
  void aHeldNoGoIsAPendingStatusNotARejectionAndTheLaterRevisionDecides() throws Exception {
    window.set(new TestProbes.LazyWindow(Duration.ofSeconds(4))); // open at the first check, whenever that runs
    String sha = shop.commit("app.txt", "v-frozen").head();
    Held h = held("frozen", sha);
    assertEquals(202, blocked(h, "frozen").status());
    FakeGitLab.Call pending = gitlab.await(c -> c.path().endsWith("/statuses/" + sha) && "pending".equals(c.field("state"))
        && c.field("description").startsWith("NO_GO for now, held until"), Duration.ofSeconds(30));
    assertNotNull(pending);
    assertEquals(List.of(), gitlab.approvals(h.deploymentId()), "no rejection while held: GitLab's rejection is final");
    FakeGitLab.Call approval = awaitApproval(h);
    assertEquals("approved", approval.field("status"));
    assertTrue(approval.field("comment").contains("(re-evaluation 2)"), approval.field("comment"));
  }

  @Test
  void aDeploymentInALockedEnvironmentIsAPendingStatusNamingTheLockAndTheUnlockApprovesIt() throws Exception {
    Api.Response locked = tollgate.api().post("/api/v1/environments/qa/lock", "{\"reason\":\"qa database restore @jsmith\",\"tenant\":\"acme\"}");
    assertEquals(201, locked.status(), locked.body());
    try {
      String sha = shop.commit("app.txt", "v-locked").head();
      Held h = held("qa", sha);
      assertEquals(202, blocked(h, "qa").status());
      FakeGitLab.Call pending = gitlab.await(c -> c.path().endsWith("/statuses/" + sha) && "pending".equals(c.field("state"))
          && c.field("description").startsWith("NO_GO for now: locked by admin: qa database restore"), Duration.ofSeconds(60));
      assertFalse(pending.field("description").contains("@jsmith"), "no mention reaches GitLab: " + pending.field("description"));
      assertEquals(List.of(), gitlab.approvals(h.deploymentId()), "no rejection while locked: GitLab's rejection is final");
      assertEquals(200, tollgate.api().delete("/api/v1/environments/qa/lock", "{\"tenant\":\"acme\"}").status());
      FakeGitLab.Call approval = awaitApproval(h);
      assertEquals("approved", approval.field("status"));
    } finally {
      tollgate.api().delete("/api/v1/environments/qa/lock", "{\"tenant\":\"acme\"}");
    }
  }

  @Test
  void aDeploymentThatIsNotWhatWasEvaluatedIsNeverApproved() throws Exception {
    // The hook claims one commit; GitLab's deployment (read back by Tollgate) deploys another: forged or changed.
    String claimed = shop.commit("app.txt", "v-claimed").head();
    String actual = shop.commit("app.txt", "v-actual").head();
    Held h = held("staging", actual);
    Api.Response r = deliveries.send(webhook(), "Deployment Hook", h.key(),
        GitLabDeliveries.deployment(shopProject, "blocked", h.deploymentId(), h.jobId(), "staging", claimed, "jsmith"));
    assertEquals(202, r.status(), r.body());
    awaitStatus(claimed, "success");
    Thread.sleep(500);
    assertEquals(List.of(), gitlab.approvals(h.deploymentId()), gitlab.describe());
    assertTrue(logs.lines().stream().anyMatch(l -> l.contains("event=gitlab.deployment.mismatch") && l.contains(h.key())));
    assertEquals("manual", gitlab.jobStatus(h.jobId()), "not played either");
  }

  @Test
  void aManualDeployJobInAPipelineHookIsEvaluatedOnceGetsAStatusAndIsPlayed() throws Exception {
    // A project without deployment approvals: the Pipeline Hook is the trigger, the commit status the answer.
    String sha = shop.commit("app.txt", "v-pipeline").head();
    long job = IDS.incrementAndGet();
    gitlab.job(job, "manual");
    ObjectNode payload = GitLabDeliveries.pipeline(shopProject, IDS.incrementAndGet(), sha, job, "staging", "manual");
    Api.Response first = deliveries.send(webhook(), "Pipeline Hook", payload);
    assertEquals(202, first.status(), first.body());
    String id = first.json().path("evaluations").get(0).path("evaluationId").asText();
    awaitStatus(sha, "success");
    gitlab.await(c -> c.path().endsWith("/jobs/" + job + "/play") && c.status() == 200, Duration.ofSeconds(10));
    // GitLab sends a Pipeline Hook on every pipeline change: the same job is the same evaluation.
    Api.Response again = deliveries.send(webhook(), "Pipeline Hook", payload);
    assertEquals(id, again.json().path("evaluations").get(0).path("evaluationId").asText());
    assertTrue(again.json().path("evaluations").get(0).path("replayed").asBoolean());
    assertTrue(gitlab.calls().stream().noneMatch(c -> c.path().contains("/approval") && c.body() != null
        && c.body().toString().contains(sha.substring(0, 12))), "no deployment to approve");
    ObjectNode running = GitLabDeliveries.pipeline(shopProject, IDS.incrementAndGet(), sha, IDS.incrementAndGet(), "staging", "running");
    assertTrue(deliveries.send(webhook(), "Pipeline Hook", running).json().path("ignored").asBoolean(), "a running job is past deciding");
  }

  @Test
  void gitlabHavingABadMomentIsRetried() throws Exception {
    Held h = held("staging", shop.commit("app.txt", "v-retried").head());
    gitlab.failNextApprovals(2);
    assertEquals(202, blocked(h, "staging").status());
    assertEquals("approved", awaitApproval(h).field("status"));
    assertEquals(2, gitlab.approvals(h.deploymentId()).stream().filter(c -> c.status() == 502).count(), gitlab.describe());
  }

  @Test
  void anApiEvaluationOfAGitLabProjectGetsACommitStatus() throws Exception {
    String sha = shop.commit("app.txt", "v-api").head();
    String body = "{\"repository\":\"" + git.webUrl() + "/acme/platform/shop.git\",\"environment\":\"staging\",\"candidate\":\""
        + sha + "\"}";
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    FakeGitLab.Call status = awaitStatus(sha, "success");
    assertEquals("/projects/acme%2Fplatform%2Fshop/statuses/" + sha, status.path(), "the project named by its encoded path");
    assertEquals("acme", status.bot());
  }

  @Test
  void anotherTenantCannotReadAPrivateProjectThroughAcmesBot() {
    // globex may name acme's project (the allow-list is server-wide), but only acme's bot may read it.
    String body = "{\"repository\":\"" + git.webUrl() + "/acme/platform/shop.git\",\"environment\":\"staging\",\"tenant\":\"globex\","
        + "\"candidate\":\"" + shop.head() + "\"}";
    JsonNode v = tollgate.api(TestInstallation.OTHER_TENANT).evaluate(body, 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals("PROBE_ERRORED", v.path("verdict").path("reasons").get(0).path("code").asText(), v.toString());
  }

  @Test
  void aSignedDeliveryOfTheOtherTenantIsAcceptedAndEventsTollgateDoesNotGateAreIgnored() {
    GitLabDeliveries globex = new GitLabDeliveries(GLOBEX_HOOK_TOKEN, GLOBEX_SIGNING);
    Api.Response signed = globex.send(webhook(), "Deployment Hook",
        GitLabDeliveries.deployment(siteProject, "running", IDS.incrementAndGet(), 0, "staging", shop.head(), "gsmith"));
    assertEquals(202, signed.status(), signed.body());
    assertEquals("STARTED", signed.json().path("status").asText());
    Api.Response push = deliveries.send(webhook(), "Push Hook", dev.tollgate.contracts.Json.mapper().createObjectNode()
        .put("object_kind", "push"));
    assertEquals(202, push.status(), push.body());
    assertTrue(push.json().path("ignored").asBoolean());
    Api.Response noKey = deliveries.send(webhook(), "Deployment Hook", null, GitLabDeliveries.deployment(shopProject, "running",
        IDS.incrementAndGet(), 0, "staging", shop.head(), "jsmith"));
    assertEquals(202, noKey.status(), "X-Gitlab-Event-UUID names the delivery when Idempotency-Key is absent: " + noKey.body());
    String metrics = tollgate.api(null).get("/metrics").body();
    assertTrue(metrics.contains("tollgate_gitlab_webhooks_total{event=\"push\",outcome=\"ignored\"}"), "ignored events are counted");
  }
}
