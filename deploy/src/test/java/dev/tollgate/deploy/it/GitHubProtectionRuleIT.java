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
import dev.tollgate.deploy.github.GitHubAppAuth;
import dev.tollgate.deploy.github.GitHubConfig;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.FakeGitHub;
import dev.tollgate.deploy.testing.GitHubDeliveries;
import dev.tollgate.deploy.testing.GitHubDeliveries.Repo;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.gate.github.GitHubIntegration;
import dev.tollgate.probes.testing.FixtureRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Tollgate as a GitHub App and custom deployment protection rule (issue #8), end to end: signed deliveries in, a real
 * broker, real workers cloning a private repository from a real smart-HTTP git server with the installation token,
 * and a fake GitHub API that checks the App JWT and the installation token on every call and records what Tollgate
 * told it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitHubProtectionRuleIT {
  static final long APP_ID = 4242;
  static final long ACME = 9001;
  static final long GLOBEX = 9002;
  static final String SECRET = "webhook-secret-" + UUID.randomUUID();
  static final String DASHBOARD = "https://tollgate.example.com";
  static final AtomicLong IDS = new AtomicLong(100);

  @TempDir
  static Path tmp;
  FakeGitHub github;
  GitServer git;
  TestInstallation tollgate;
  LogCapture logs;
  GitHubDeliveries deliveries;
  FixtureRepo shop;
  Repo shopRepo;
  final AtomicReference<java.util.function.Supplier<Instant>> window = new AtomicReference<>(() -> Instant.MAX);

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture("dev.tollgate");
    github = new FakeGitHub(APP_ID, TestKeys.pair().getPublic()).install("acme/shop", ACME).install("acme/outsider", ACME)
        .install("globex/site", GLOBEX);
    git = new GitServer(github);
    shop = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "v1");
    shopRepo = new Repo("acme/shop", git.serve("acme/shop", shop.dir(), true));
    Path key = secretFile("app.pem", TestKeys.pkcs1Pem(TestKeys.pair()));
    Path hook = secretFile("webhook", SECRET + "\n");
    String config = """
        tenants: [acme, globex]
        defaults: {deadline: 30s}
        environments:
          staging: {probes: {pass: {}}}
          qa: {probes: {pass: {}}}
          production: {probes: {pass: {}, fail: {}}}
          reviewed: {probes: {fail: {}}, overrides: {approvers: [alice, bob], required: 1}}
          frozen: {probes: {window: {}}}
          queued: {probes: {pass: {}}, queue: {maxInFlight: 1}}
        repositories:
          allowed: ["%s/acme/"]
        github:
          appId: %d
          privateKeyFile: %s
          webhookSecretFile: %s
          apiUrl: %s
          webUrl: %s
          dashboardUrl: %s
          installations: {%d: acme, %d: globex}
        """.formatted(git.webUrl(), APP_ID, key, hook, github.apiUrl(), git.webUrl(), DASHBOARD, ACME, GLOBEX);
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.FAIL, TestProbes.window(() -> window.get().get())), config);
    // The real configuration path: the github: section read as the server reads it, the one auth object for both sides.
    GitHubConfig gitHubConfig = GitHubConfig.from(tollgate.config().path("github"), Set.of("acme", "globex"), name -> null);
    GitHubAppAuth auth = new GitHubAppAuth(gitHubConfig, Clock.systemUTC(), new SimpleMeterRegistry());
    tollgate.withGitHub(new GitHubIntegration(auth.gateSettings(), auth), auth);
    tollgate.startGate();
    tollgate.startWorker("w1");
    assertTrue(tollgate.gate().githubReporter().awaitAssignment(Duration.ofSeconds(30)), "reporter joined its group");
    deliveries = new GitHubDeliveries(SECRET);
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
    github.close();
    logs.close();
  }

  /** A deployment protection rule run: ids unique per test. */
  record Run(long runId, long deploymentId, String delivery, String sha) {}

  Run run(String sha) {
    return new Run(IDS.incrementAndGet(), IDS.incrementAndGet(), UUID.randomUUID().toString(), sha);
  }

  Api webhook() {
    return tollgate.api(null);
  }

  Api.Response requestRule(Run run, String environment) {
    ObjectNode payload = GitHubDeliveries.protectionRule(shopRepo, environment, run.sha(), run.deploymentId(), run.runId(),
        github.apiUrl(), ACME);
    return deliveries.send(webhook(), "deployment_protection_rule", run.delivery(), payload);
  }

  Api.Response deploymentStatus(String environment, String sha, long deploymentId, String state) {
    ObjectNode payload = GitHubDeliveries.deploymentStatus(shopRepo, environment, sha, deploymentId, state, github.apiUrl(), ACME);
    return deliveries.send(webhook(), "deployment_status", UUID.randomUUID().toString(), payload);
  }

  FakeGitHub.Call awaitVerdict(Run run) throws InterruptedException {
    return github.await(c -> c.path().endsWith("/runs/" + run.runId() + "/deployment_protection_rule") && c.status() == 204
        && c.state() != null, Duration.ofSeconds(60));
  }

  List<EvaluationRequested> requestsFor(String delivery) {
    return TopicReader.readAll(tollgate.kafka(), tollgate.topics().evaluationsRequested(), EvaluationRequested.class).stream()
        .filter(r -> delivery.equals(r.deliveryId())).toList();
  }

  @Test
  void aSignedProtectionRuleIsApprovedAfterProgressNotesWithACommitStatusAndAPrivateClone() throws Exception {
    String sha = shop.commit("app.txt", "v-approved").head();
    Run run = run(sha);
    Api.Response accepted = requestRule(run, "staging");
    assertEquals(202, accepted.status(), accepted.body());
    String id = accepted.json().path("evaluationId").asText();
    assertFalse(accepted.json().path("replayed").asBoolean());

    FakeGitHub.Call verdict = awaitVerdict(run);
    assertEquals("approved", verdict.state(), github.describe());
    assertEquals("staging", verdict.body().path("environment_name").asText());
    assertTrue(verdict.comment().startsWith("### ✅ Tollgate: GO for `staging`"), verdict.comment());
    assertTrue(verdict.comment().contains("(" + DASHBOARD + "/evaluations/" + id + ")"), verdict.comment());

    List<FakeGitHub.Call> reviews = github.reviews(run.runId());
    List<FakeGitHub.Call> notes = reviews.subList(0, reviews.indexOf(verdict));
    assertTrue(notes.size() >= 2 && notes.size() <= 10, "progress notes, then the verdict: " + github.describe());
    assertTrue(notes.stream().allMatch(n -> n.state() == null && n.status() == 204), github.describe());
    assertTrue(notes.get(0).comment().startsWith("Tollgate is checking `" + sha.substring(0, 12) + "` for `staging`"), notes.get(0).comment());
    assertTrue(notes.stream().anyMatch(n -> n.comment().startsWith("Tollgate: probe `pass` passed")), github.describe());
    assertEquals(1, reviews.stream().filter(c -> c.state() != null).count(), "one verdict");

    FakeGitHub.Call success = github.await(c -> c.path().endsWith("/statuses/" + sha) && "success".equals(c.body().path("state").asText()),
        Duration.ofSeconds(10));
    assertEquals("tollgate/staging", success.body().path("context").asText());
    assertEquals(DASHBOARD + "/evaluations/" + id, success.body().path("target_url").asText());
    assertEquals("pending", github.statuses(sha).get(0).body().path("state").asText(), "pending first");

    JsonNode evaluation = tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals("GITHUB", evaluation.path("source").asText());
    assertEquals("Codertocat (GitHub)", evaluation.path("requestedBy").asText());
    assertEquals(shopRepo.cloneUrl(), evaluation.path("repository").asText());
    assertEquals("acme", evaluation.path("tenant").asText());

    // The private repository was cloned with the installation token as a basic-auth password, never in a URL.
    assertTrue(git.requests().stream().anyMatch(r -> r.authenticated() && "x-access-token".equals(r.user())
        && r.uri().startsWith("/acme/shop.git/")), "cloned with the installation token: " + git.requests());
    List<String> tokens = github.issuedTokens();
    assertFalse(tokens.isEmpty());
    for (GitServer.Request r : git.requests()) {
      for (String token : tokens) {
        assertFalse(r.uri().contains(token) || (r.query() != null && r.query().contains(token)), "token in a URL: " + r);
      }
    }
    try (Stream<Path> files = Files.walk(tmp.resolve("data").resolve("repos"))) {
      for (Path f : files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().equals("config")).toList()) {
        String mirrorConfig = Files.readString(f);
        assertFalse(mirrorConfig.contains("x-access-token") || tokens.stream().anyMatch(mirrorConfig::contains),
            "the mirror's config keeps no credentials: " + mirrorConfig);
      }
    }
    for (String line : logs.lines()) {
      for (String token : tokens) {
        assertFalse(line.contains(token), "a token reached the logs: " + line);
      }
      assertFalse(line.contains(SECRET), "the webhook secret reached the logs: " + line);
      assertFalse(line.contains("BEGIN RSA PRIVATE KEY"), line);
    }

    List<String> problems = logs.lines().stream().filter(l -> (l.startsWith("WARN") || l.startsWith("ERROR"))
        && (l.contains(run.delivery()) || l.contains(id))).toList();
    assertEquals(List.of(), problems, "the happy path logs nothing above INFO");

    // The approved deploy goes out: recorded, not a bypass.
    Api.Response deployed = deploymentStatus("staging", sha, run.deploymentId(), "success");
    assertEquals(202, deployed.status(), deployed.body());
    assertFalse(deployed.json().path("bypass").asBoolean(), deployed.body());
    assertEquals(id, deployed.json().path("evaluationId").asText());
  }

  @Test
  void aRiskyCandidateIsRejectedWithItsReasonsAndAFailureStatus() throws Exception {
    String sha = shop.commit("app.txt", "v-risky").head();
    Run run = run(sha);
    assertEquals(202, requestRule(run, "production").status());
    FakeGitHub.Call verdict = awaitVerdict(run);
    assertEquals("rejected", verdict.state(), github.describe());
    String comment = verdict.comment();
    assertTrue(comment.startsWith("### ⛔ Tollgate: NO_GO for `production`"), comment);
    assertTrue(comment.contains("probe fail failed"), comment);
    assertTrue(comment.contains("- `test/fail` `app.txt:1`: test rule always fails"), comment);
    assertTrue(comment.length() <= 1024, "GitHub's limit: " + comment.length());
    FakeGitHub.Call failure = github.await(c -> c.path().endsWith("/statuses/" + sha) && "failure".equals(c.body().path("state").asText()),
        Duration.ofSeconds(10));
    assertEquals("tollgate/production", failure.body().path("context").asText());
    assertTrue(failure.body().path("description").asText().startsWith("NO_GO: probe fail failed"), failure.body().toString());

    // The same verdict as a check run: the finding is an annotation on its file and line.
    FakeGitHub.Call check = github.await(c -> c.path().endsWith("/check-runs") && c.status() == 201
        && sha.equals(c.body().path("head_sha").asText()), Duration.ofSeconds(10));
    assertEquals("tollgate/production", check.body().path("name").asText());
    assertEquals("failure", check.body().path("conclusion").asText());
    JsonNode annotation = check.body().path("output").path("annotations").get(0);
    assertEquals("app.txt", annotation.path("path").asText(), check.body().toString());
    assertEquals(1, annotation.path("start_line").asInt());
    assertEquals("failure", annotation.path("annotation_level").asText());
    assertEquals("test/fail", annotation.path("title").asText());
    assertTrue(annotation.path("message").asText().startsWith("test rule always fails"), annotation.toString());
    assertTrue(check.body().path("output").path("summary").asText().startsWith("### ⛔ Tollgate: NO_GO for `production`"));
    assertTrue(check.body().path("output").path("summary").asText().contains("**Signed attestation** of this verdict"
        + " (in-toto, DSSE; `tollgate verify` checks it): " + DASHBOARD + "/api/v1/evaluations/"), check.body().toString());
  }

  @Test
  void anAppWithoutTheChecksPermissionStillGetsStatusesAndIsNotAskedAgainForAnHour() throws Exception {
    // A repository of its own: the reporter remembers the refusal per repository for an hour.
    FixtureRepo store = FixtureRepo.create(tmp.resolve("store")).commit("app.txt", "v1");
    github.install("acme/store", ACME);
    Repo storeRepo = new Repo("acme/store", git.serve("acme/store", store.dir(), true));
    github.refuseChecks("acme/store");
    String first = store.commit("app.txt", "v-nochecks-1").head();
    Run run = run(first);
    assertEquals(202, deliveries.send(webhook(), "deployment_protection_rule", run.delivery(), GitHubDeliveries.protectionRule(
        storeRepo, "staging", first, run.deploymentId(), run.runId(), github.apiUrl(), ACME)).status());
    assertEquals("approved", awaitVerdict(run).state(), github.describe());
    github.await(c -> c.path().endsWith("/statuses/" + first) && "success".equals(c.body().path("state").asText()),
        Duration.ofSeconds(10));
    github.await(c -> c.path().endsWith("/check-runs") && c.status() == 403, Duration.ofSeconds(10));
    String second = store.commit("app.txt", "v-nochecks-2").head();
    Run again = run(second);
    assertEquals(202, deliveries.send(webhook(), "deployment_protection_rule", again.delivery(), GitHubDeliveries.protectionRule(
        storeRepo, "staging", second, again.deploymentId(), again.runId(), github.apiUrl(), ACME)).status());
    assertEquals("approved", awaitVerdict(again).state(), github.describe());
    github.await(c -> c.path().endsWith("/statuses/" + second) && "success".equals(c.body().path("state").asText()),
        Duration.ofSeconds(10));
    Thread.sleep(500); // the check run would follow the status at once
    assertEquals(List.of(), github.checkRuns(second), "not asked again: " + github.describe());
    assertTrue(logs.lines().stream().anyMatch(l -> l.contains("github.checks.refused")), "one warning says what to grant");
  }

  @Test
  void aForgedOrMissingSignatureIs401AndNothingIsPublished() throws Exception {
    Run run = run(shop.head());
    ObjectNode payload = GitHubDeliveries.protectionRule(shopRepo, "staging", run.sha(), run.deploymentId(), run.runId(),
        github.apiUrl(), ACME);
    String body = payload.toString();
    String forged = new GitHubDeliveries("not-the-secret").send(webhook(), "deployment_protection_rule", run.delivery(), payload)
        .body();
    Api.Response wrong = GitHubDeliveries.send(webhook(), "deployment_protection_rule", run.delivery(), body,
        new dev.tollgate.gate.github.WebhookSignature(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .sign((body + " ").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Api.Response missing = GitHubDeliveries.send(webhook(), "deployment_protection_rule", run.delivery(), body, null);
    Api.Response malformed = GitHubDeliveries.send(webhook(), "deployment_protection_rule", run.delivery(), body, "sha256=zz");
    assertTrue(forged.contains("Invalid signature"), forged);
    for (Api.Response r : List.of(wrong, missing, malformed)) {
      assertEquals(401, r.status(), r.body());
      assertEquals("application/problem+json", r.header("Content-Type"));
    }
    Thread.sleep(3000); // "no EvaluationRequested within 3 s" (STYLE §8)
    assertEquals(List.of(), requestsFor(run.delivery()));
    assertEquals(List.of(), github.reviews(run.runId()));
    assertTrue(logs.containing("github.signature.invalid").size() >= 4, "each refusal is logged");
  }

  @Test
  void theSameDeliveryTwiceIsOneEvaluationAndOneVerdict() throws Exception {
    Run run = run(shop.commit("app.txt", "v-redelivered").head());
    Api.Response first = requestRule(run, "staging");
    Api.Response second = requestRule(run, "staging");
    assertEquals(202, first.status(), first.body());
    assertEquals(202, second.status(), second.body());
    String id = first.json().path("evaluationId").asText();
    assertEquals(id, second.json().path("evaluationId").asText());
    assertTrue(second.json().path("replayed").asBoolean(), second.body());
    awaitVerdict(run);
    Api.Response afterVerdict = requestRule(run, "staging");
    assertEquals(id, afterVerdict.json().path("evaluationId").asText(), "a redelivery days later: still the same evaluation");
    Thread.sleep(1500);
    assertEquals(1, requestsFor(run.delivery()).size(), "one EvaluationRequested for the delivery");
    assertEquals("github:" + APP_ID + ":deployment:" + run.deploymentId() + ":" + run.sha(),
        requestsFor(run.delivery()).get(0).idempotencyKey(), "keyed by what GitHub signs, not by the delivery header");
    assertEquals(1, github.reviews(run.runId()).stream().filter(c -> c.state() != null).count(), github.describe());
  }

  @Test
  void aThousandDuplicateDeliveriesAreOneEvaluation() throws Exception {
    // Issue #13: redeliveries (manual, by script, or a proxy retrying) arrive concurrently; exactly one evaluation.
    Run run = run(shop.commit("app.txt", "v-storm").head());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    java.util.List<java.util.concurrent.Future<Api.Response>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(pool.submit(() -> requestRule(run, "staging")));
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (var f : sent) {
      Api.Response r = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(202, r.status(), r.body());
      ids.add(r.json().path("evaluationId").asText());
    }
    pool.shutdown();
    assertEquals(1, ids.size(), "every delivery answered with the same evaluation");
    awaitVerdict(run);
    Thread.sleep(1500);
    assertEquals(1, requestsFor(run.delivery()).size(), "one EvaluationRequested on the topic for 1,000 deliveries");
  }

  /** The evaluation as the views show it once decided. */
  JsonNode decided(String id) throws InterruptedException {
    JsonNode v = null;
    for (int i = 0; i < 400; i++) {
      v = tollgate.api().get("/api/v1/evaluations/" + id).json();
      if (v != null && "COMPLETE".equals(v.path("status").asText())) {
        return v;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not decided: " + v);
  }

  @Test
  void deploymentStatusesBecomeDeployHistoryAndOnlyAGoneCommitTheNextEvaluationsBaseline() throws Exception {
    String deployedSha = shop.commit("app.txt", "v-qa-1").head();
    Run first = run(deployedSha);
    String firstId = requestRule(first, "qa").json().path("evaluationId").asText();
    assertEquals("approved", awaitVerdict(first).state());
    assertEquals("GO", decided(firstId).path("verdict").path("decision").asText());
    long deploymentId = first.deploymentId();
    Api.Response started = deploymentStatus("qa", deployedSha, deploymentId, "in_progress");
    assertEquals(202, started.status(), started.body());
    assertEquals("STARTED", started.json().path("status").asText());
    Api.Response waiting = deploymentStatus("qa", deployedSha, deploymentId, "waiting");
    assertTrue(waiting.json().path("ignored").asBoolean(), waiting.body());
    Api.Response succeeded = deploymentStatus("qa", deployedSha, deploymentId, "success");
    assertEquals("SUCCEEDED", succeeded.json().path("status").asText(), succeeded.body());
    assertFalse(succeeded.json().path("bypass").asBoolean(), "Tollgate decided GO for this commit: not a bypass");
    assertEquals(firstId, succeeded.json().path("evaluationId").asText());

    JsonNode deploys = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); System.nanoTime() < until; ) {
      deploys = tollgate.api().get("/api/v1/deployments?tenant=acme&environment=qa&repository=" + shopRepo.cloneUrl()).json()
          .path("deploys");
      if (deploys.size() > 0 && deploys.get(0).path("status").asText().equals("SUCCEEDED")) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(1, deploys.size(), String.valueOf(deploys));
    JsonNode d = deploys.get(0);
    assertEquals(deployedSha, d.path("commit").asText());
    assertEquals("github:" + deploymentId, d.path("deploymentId").asText());
    assertTrue(d.hasNonNull("startedAt") && d.hasNonNull("finishedAt"), "start and end times: " + d);

    // Issue #19: a deploy of a commit Tollgate never decided GO for (an environment without the rule, an admin's
    // bypass) is recorded, since it happened, as a bypass; and it never becomes the baseline, so the next evaluation
    // checks what it shipped again.
    String unchecked = shop.commit("app.txt", "v-qa-unchecked").head();
    Api.Response bypassed = deploymentStatus("qa", unchecked, IDS.incrementAndGet(), "success");
    assertTrue(bypassed.json().path("bypass").asBoolean(), bypassed.body());
    for (int i = 0; i < 100 && !tollgate.gate().views().lastDeployed("acme", shopRepo.cloneUrl(), "qa").orElse("")
        .equals(unchecked); i++) {
      Thread.sleep(50);
    }
    Run next = run(shop.commit("app.txt", "v-qa-2").head());
    String id = requestRule(next, "qa").json().path("evaluationId").asText();
    awaitVerdict(next);
    JsonNode v = decided(id);
    assertEquals(deployedSha, v.path("baseline").asText(), "the last deploy Tollgate decided GO for is the baseline");
    assertEquals(unchecked, v.path("untrustedBaseline").asText(), "and the verdict names the one it did not trust");
    assertTrue(v.path("verdict").path("reasons").toString().contains("baseline " + unchecked.substring(0, 12) + " is not trusted"),
        v.path("verdict").toString());
  }

  @Test
  void aSignedBodyReplayedUnderANewDeliveryIdIsTheSameEvaluation() throws Exception {
    // Issue #19: X-GitHub-Delivery is not signed; a captured delivery sent again with a fresh header was a new
    // evaluation (and another approval to hope for). Keyed by deployment and commit, it is the same one.
    Run run = run(shop.commit("app.txt", "v-replayed").head());
    Api.Response first = requestRule(run, "staging");
    String id = first.json().path("evaluationId").asText();
    Api.Response replayed = requestRule(new Run(run.runId(), run.deploymentId(), UUID.randomUUID().toString(), run.sha()),
        "staging");
    assertEquals(202, replayed.status(), replayed.body());
    assertEquals(id, replayed.json().path("evaluationId").asText());
    assertTrue(replayed.json().path("replayed").asBoolean(), replayed.body());
    awaitVerdict(run);
    Thread.sleep(1500);
    String key = "github:" + APP_ID + ":deployment:" + run.deploymentId() + ":" + run.sha();
    assertEquals(1, TopicReader.readAll(tollgate.kafka(), tollgate.topics().evaluationsRequested(), EvaluationRequested.class)
        .stream().filter(r -> key.equals(r.idempotencyKey())).count(), "one EvaluationRequested for both deliveries");
    assertEquals(1, github.reviews(run.runId()).stream().filter(c -> c.state() != null).count(), github.describe());

    // The happy path beside it: GitHub's next deployment of the same commit (a re-run) is a new evaluation.
    Run rerun = new Run(IDS.incrementAndGet(), IDS.incrementAndGet(), UUID.randomUUID().toString(), run.sha());
    Api.Response again = requestRule(rerun, "staging");
    assertFalse(again.json().path("replayed").asBoolean(), again.body());
    assertFalse(id.equals(again.json().path("evaluationId").asText()));
    awaitVerdict(rerun);
  }

  @Test
  void neitherTheSenderNorTheDeploymentsCreatorMayVoteOnTheirDeploy() throws Exception {
    // Issue #19: the platform's identities of who deployed are bound to the request; an approver token of the same
    // name cannot approve (or reject) it, whatever the request's requestedBy label says.
    Run run = run(shop.commit("app.txt", "v-self-approved").head());
    ObjectNode payload = GitHubDeliveries.protectionRule(shopRepo, "reviewed", run.sha(), run.deploymentId(), run.runId(),
        github.apiUrl(), ACME);
    ((ObjectNode) payload.path("sender")).put("login", "alice");
    ((ObjectNode) payload.path("deployment").path("creator")).put("login", "bob");
    String id = deliveries.send(webhook(), "deployment_protection_rule", run.delivery(), payload).json().path("evaluationId")
        .asText();
    assertEquals("NO_GO", decided(id).path("verdict").path("decision").asText());
    for (String approver : List.of(TestInstallation.ALICE, TestInstallation.BOB)) {
      Api.Response vote = tollgate.api(approver).post("/api/v1/evaluations/" + id + "/overrides",
          "{\"decision\":\"approve\",\"reason\":\"I am sure this one is fine, trust me\"}");
      assertEquals(403, vote.status(), vote.body());
      assertTrue(vote.json().path("detail").asText().contains("author"), vote.body());
    }
    EvaluationRequested request = requestsFor(run.delivery()).get(0);
    assertEquals("alice", request.submittedBy());
    assertEquals(List.of("bob"), request.deployers());
  }

  @Test
  void aDeployThatWentOutDespiteARejectionIsRecordedAndAudited() throws Exception {
    String sha = shop.commit("app.txt", "v-bypassed").head();
    Run run = run(sha);
    String id = requestRule(run, "production").json().path("evaluationId").asText();
    assertEquals("rejected", awaitVerdict(run).state());

    Api.Response bypassed = deploymentStatus("production", sha, run.deploymentId(), "success");
    assertEquals(202, bypassed.status(), bypassed.body());
    assertTrue(bypassed.json().path("bypass").asBoolean(), bypassed.body());
    assertEquals(id, bypassed.json().path("evaluationId").asText());

    List<AuditRecorded> audit = TopicReader.readAll(tollgate.kafka(), tollgate.topics().auditRecorded(), AuditRecorded.class)
        .stream().filter(a -> a.evaluationId().equals(id)).toList();
    assertEquals(1, audit.size(), String.valueOf(audit));
    assertEquals(AuditKind.GATE_BYPASSED, audit.get(0).kind());
    assertEquals("Codertocat", audit.get(0).actor());
    assertEquals(sha, audit.get(0).commit());
    assertTrue(audit.get(0).detail().contains("NO_GO"), audit.get(0).detail());
    assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("event=github.bypass") && l.contains(id)),
        "a WARN github.bypass line");
    JsonNode deploys = tollgate.api().get("/api/v1/deployments?tenant=acme&environment=production&repository=" + shopRepo.cloneUrl())
        .json().path("deploys");
    assertTrue(deploys.toString().contains(sha), "the deploy is in the history anyway: " + deploys);
  }

  @Test
  void aHeldNoGoIsAProgressNoteAndTheLaterRevisionDecides() throws Exception {
    window.set(new TestProbes.LazyWindow(Duration.ofSeconds(4))); // open at the first check, whenever that runs
    Run run = run(shop.commit("app.txt", "v-frozen").head());
    assertEquals(202, requestRule(run, "frozen").status());
    FakeGitHub.Call held = github.await(c -> c.path().contains("/runs/" + run.runId() + "/") && c.state() == null
        && c.comment().startsWith("Tollgate: NO_GO for now, held until"), Duration.ofSeconds(30));
    assertNotNull(held);
    assertEquals(0, github.reviews(run.runId()).stream().filter(c -> c.state() != null).count(), "no rejection while held");
    FakeGitHub.Call verdict = awaitVerdict(run);
    assertEquals("approved", verdict.state(), github.describe());
    assertTrue(verdict.comment().contains("re-evaluation 2"), verdict.comment());
  }

  @Test
  void githubHavingABadMomentIsRetried() throws Exception {
    Run run = run(shop.commit("app.txt", "v-retried").head());
    github.failNextReviews(2);
    assertEquals(202, requestRule(run, "staging").status());
    assertEquals("approved", awaitVerdict(run).state());
    assertEquals(2, github.reviews(run.runId()).stream().filter(c -> c.status() == 502).count(), github.describe());
  }

  @Test
  void unknownInstallationsRepositoriesAndEnvironmentsAreRefusedAndPublishNothing() throws Exception {
    Run unknownInstallation = run(shop.head());
    ObjectNode p = GitHubDeliveries.protectionRule(shopRepo, "staging", unknownInstallation.sha(), 1, unknownInstallation.runId(),
        github.apiUrl(), 777);
    Api.Response r = deliveries.send(webhook(), "deployment_protection_rule", unknownInstallation.delivery(), p);
    assertEquals(403, r.status(), r.body());
    assertTrue(r.json().path("detail").asText().contains("installation 777 is not listed in github.installations"), r.body());

    FixtureRepo outsider = FixtureRepo.create(tmp.resolve("outsider")).commit("a.txt", "1");
    Repo outsiderRepo = new Repo("acme/outsider", git.serve("acme/outsider", outsider.dir(), true).replace("/acme/", "/acme-evil/"));
    Run notAllowed = run(outsider.head());
    p = GitHubDeliveries.protectionRule(outsiderRepo, "staging", notAllowed.sha(), 2, notAllowed.runId(), github.apiUrl(), ACME);
    r = deliveries.send(webhook(), "deployment_protection_rule", notAllowed.delivery(), p);
    assertEquals(403, r.status(), r.body());
    assertTrue(r.json().path("detail").asText().contains("repositories.allowed"), r.body());
    FakeGitHub.Call rejection = awaitVerdict(notAllowed);
    assertEquals("rejected", rejection.state(), "GitHub is told at once instead of waiting 30 days");
    assertTrue(rejection.comment().contains("repositories.allowed"), rejection.comment());

    Run unknownEnvironment = run(shop.head());
    r = requestRule(unknownEnvironment, "nowhere");
    assertEquals(422, r.status(), r.body());
    assertEquals("rejected", awaitVerdict(unknownEnvironment).state());

    Run badCallback = run(shop.head());
    p = GitHubDeliveries.protectionRule(shopRepo, "staging", badCallback.sha(), 3, badCallback.runId(), github.apiUrl(), ACME);
    p.put("deployment_callback_url", "https://attacker.example/repos/acme/shop/actions/runs/1/deployment_protection_rule");
    r = deliveries.send(webhook(), "deployment_protection_rule", badCallback.delivery(), p);
    assertEquals(400, r.status(), "an installation token is never sent to a URL outside github.apiUrl: " + r.body());

    Thread.sleep(1000);
    for (Run run : List.of(unknownInstallation, notAllowed, unknownEnvironment, badCallback)) {
      assertEquals(List.of(), requestsFor(run.delivery()), "nothing published for " + run);
    }
  }

  @Test
  void anotherTenantCannotReadAPrivateRepositoryThroughThisAppsToken() {
    // globex may name acme's repository (the allow-list is server-wide), but only acme's installation has a token for it.
    String body = "{\"repository\":\"" + shopRepo.cloneUrl() + "\",\"environment\":\"staging\",\"tenant\":\"globex\","
        + "\"candidate\":\"" + shop.head() + "\"}";
    JsonNode v = tollgate.api(TestInstallation.OTHER_TENANT).evaluate(body, 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals("PROBE_ERRORED", v.path("verdict").path("reasons").get(0).path("code").asText(), v.toString());
  }

  /**
   * A signed deployment_status of the deployment Tollgate's protection rule evaluated is the platform's word that the
   * deploy ended: it frees the queue slot of the deploy it reports, and the next GO goes. Attack first: anyone with
   * deployments write access (a workflow's token on any branch) creates another deployment of the same commit and
   * marks it successful; GitHub signs that status too. Tollgate never gated that deployment, so its sender is judged
   * like a token: not one of the slot's parties nor a GO requester of the commit there, the report proves nothing and
   * the slot stays.
   */
  @Test
  void aSignedDeploymentStatusEndsTheQueueSlotOfTheDeployItReportsOnlyWhenTollgateGatedThatDeployment() throws Exception {
    String first = shop.commit("app.txt", "v-queued-1").head();
    Run run = run(first);
    String firstId = requestRule(run, "queued").json().path("evaluationId").asText();
    assertEquals("approved", awaitVerdict(run).state());
    assertEquals("GO", decided(firstId).path("verdict").path("decision").asText());
    String second = shop.commit("app.txt", "v-queued-2").head();
    JsonNode waiting = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + shopRepo.cloneUrl()
        + "\",\"environment\":\"queued\",\"candidate\":\"" + second + "\"}", 30).json();
    assertEquals("QUEUED", waiting.path("verdict").path("reasons").get(0).path("code").asText(), waiting.toString());

    long ungated = IDS.incrementAndGet();
    ObjectNode forged = GitHubDeliveries.deploymentStatus(shopRepo, "queued", first, ungated, "success", github.apiUrl(), ACME);
    ((ObjectNode) forged.path("sender")).put("login", "mallory");
    ((ObjectNode) forged.path("deployment").path("creator")).put("login", "mallory");
    Api.Response unproven = deliveries.send(webhook(), "deployment_status", UUID.randomUUID().toString(), forged);
    assertEquals(202, unproven.status(), unproven.body());
    JsonNode refused = tollgate.api().awaitAudit("QUEUE_RELEASE_REFUSED", firstId);
    assertEquals("github:mallory", refused.path("actor").asText(), refused.toString());
    JsonNode mallorys = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(Duration.ofSeconds(30)); System.nanoTime() < until; ) {
      JsonNode recorded = tollgate.api().get("/api/v1/deployments?tenant=acme&environment=queued&repository=" + shopRepo.cloneUrl())
          .json().path("deploys");
      mallorys = java.util.stream.StreamSupport.stream(recorded.spliterator(), false)
          .filter(d -> d.path("deploymentId").asText().equals("github:" + ungated)).findFirst().orElse(null);
      if (mallorys != null) {
        break;
      }
      Thread.sleep(50);
    }
    assertNotNull(mallorys, "the report is recorded");
    assertEquals("NONE", mallorys.path("standing").asText(), mallorys.toString());
    assertFalse(mallorys.path("vouched").asBoolean(), mallorys.toString());
    assertEquals("QUEUED", tollgate.api().get("/api/v1/evaluations/" + waiting.path("id").asText()).json().path("verdict")
        .path("reasons").get(0).path("code").asText(), "the slot is still taken");

    Api.Response ended = deploymentStatus("queued", first, run.deploymentId(), "success");
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
    assertEquals(2, admitted.path("verdict").path("revision").asInt(), String.valueOf(admitted));
  }

  @Test
  void anApiEvaluationOfAnInstalledRepositoryGetsACommitStatus() throws Exception {
    String sha = shop.commit("app.txt", "v-api").head();
    String body = "{\"repository\":\"" + shopRepo.cloneUrl() + "\",\"environment\":\"staging\",\"candidate\":\"" + sha + "\"}";
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate(body, 30).json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    FakeGitHub.Call status = github.await(c -> c.path().equals("/repos/acme/shop/statuses/" + sha)
        && "success".equals(c.body().path("state").asText()), Duration.ofSeconds(10));
    assertEquals("tollgate/staging", status.body().path("context").asText());
    assertEquals(List.of(), github.calls().stream().filter(c -> c.path().contains("/actions/runs/") && c.body() != null
        && c.body().toString().contains(sha.substring(0, 12))).toList(), "no protection rule involved: no review calls");
  }

  @Test
  void pingIsAnsweredAndEventsTollgateDoesNotHandleAreCountedAndIgnored() {
    Api.Response ping = deliveries.send(webhook(), "ping", UUID.randomUUID().toString(), GitHubDeliveries.fixture("ping.with-app_id"));
    assertEquals(200, ping.status(), ping.body());
    Api.Response push = deliveries.send(webhook(), "push", UUID.randomUUID().toString(), GitHubDeliveries.fixture("push.with-installation"));
    assertEquals(202, push.status(), push.body());
    assertTrue(push.json().path("ignored").asBoolean(), push.body());
    Api.Response created = deliveries.send(webhook(), "deployment", UUID.randomUUID().toString(),
        GitHubDeliveries.fixture("deployment.with-installation"));
    assertTrue(created.json().path("ignored").asBoolean(), created.body());
    String metrics = tollgate.api(null).get("/metrics").body();
    assertTrue(metrics.contains("tollgate_github_webhooks_total{event=\"push\",outcome=\"ignored\"}"), "ignored events are counted");
    assertTrue(metrics.contains("tollgate_github_webhooks_total{event=\"ping\",outcome=\"accepted\"}"));
  }
}
