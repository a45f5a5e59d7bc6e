package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.slack.SlackMessagePosted;
import dev.tollgate.deploy.github.GitHubAppAuth;
import dev.tollgate.deploy.github.GitHubConfig;
import dev.tollgate.deploy.EngineCalendar;
import dev.tollgate.deploy.slack.SlackConfig;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.FakeGitHub;
import dev.tollgate.deploy.testing.FakeSlack;
import dev.tollgate.deploy.testing.GitHubDeliveries;
import dev.tollgate.deploy.testing.GitHubDeliveries.Repo;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.LogCapture;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.SlackRequests;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestKeys;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.TopicReader;
import dev.tollgate.gate.github.GitHubIntegration;
import dev.tollgate.gate.slack.SlackIntegration;
import dev.tollgate.gate.slack.SlackSettings;
import dev.tollgate.probes.testing.FixtureRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack approvals (issue #10), end to end: GitHub holds a deployment for Tollgate's protection rule, the verdict is
 * posted to the environment's channel on a fake Slack API (real HTTP, answering like Slack), people click the
 * message's buttons and type their reasons into the form (signed requests, as Slack sends them), their votes go
 * through the override policy on Kafka, and the OVERRIDDEN verdict reaches the fake GitHub as {@code approved}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackApprovalIT {
  static final long APP_ID = 4343;
  static final long ACME = 9101;
  static final String WEBHOOK_SECRET = "webhook-secret-" + UUID.randomUUID();
  static final String SIGNING_SECRET = "slack-signing-" + UUID.randomUUID();
  static final String BOT_TOKEN = "xoxb-4242-" + UUID.randomUUID();
  static final String DASHBOARD = "https://tollgate.example.com";
  static final String PROD = "C0PROD0001";
  static final String STAGING = "C0STAG0001";
  /** Only the rate limit test posts here, so what it scripts cannot be taken by another test's late update. */
  static final String CANARY = "C0CANARY01";
  static final String ALICE = "U0ALICE001";
  static final String BOB = "U0BOB00001";
  static final String AUTHOR = "U0CODER001";
  static final String MALLORY = "U0MALLORY1";
  static final AtomicLong IDS = new AtomicLong(500);

  @TempDir
  static Path tmp;
  FakeGitHub github;
  FakeSlack slack;
  GitServer git;
  TestInstallation tollgate;
  LogCapture logs;
  GitHubDeliveries deliveries;
  SlackRequests requests;
  FixtureRepo shop;
  Repo shopRepo;

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture("dev.tollgate");
    github = new FakeGitHub(APP_ID, TestKeys.pair().getPublic()).install("acme/shop", ACME);
    slack = new FakeSlack(BOT_TOKEN, Set.of(PROD, STAGING, CANARY));
    git = new GitServer(github);
    shop = FixtureRepo.create(tmp.resolve("shop")).commit("app.txt", "v1");
    shopRepo = new Repo("acme/shop", git.serve("acme/shop", shop.dir(), true));
    Instant freezeStart = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    String config = """
        tenants: [acme, globex]
        defaults: {deadline: 30s}
        environments:
          staging:
            probes: {pass: {}}
            overrides: {approvers: [alice, bob]}
            calendar:
              freezes: [{name: Release week, start: "%s", end: "%s", timeZone: UTC}]
          production:
            probes: {pass: {}, fail: {}}
            overrides: {approvers: [alice, bob, Codertocat], required: 2, expiresAfter: 2h}
          canary:
            probes: {pass: {}, fail: {}}
            overrides: {approvers: [alice, bob], required: 2}
          locked:
            probes: {fail: {}}
            overrides: {approvers: [alice, bob], notOverridable: [fail]}
        repositories:
          allowed: ["%s/acme/"]
        github:
          appId: %d
          privateKeyFile: %s
          webhookSecretFile: %s
          apiUrl: %s
          webUrl: %s
          dashboardUrl: %s
          installations: {%d: acme}
        slack:
          botTokenFile: %s
          signingSecretFile: %s
          apiUrl: %s
          dashboardUrl: %s
          teamId: %s
          channels: {production: %s, staging: %s, locked: %s, canary: %s}
          users: {%s: alice, %s: bob, %s: Codertocat, %s: mallory}
          tenants: [acme]
        """.formatted(freezeStart.toString().replace("Z", ""), freezeStart.plus(3, ChronoUnit.DAYS).toString().replace("Z", ""),
        git.webUrl(), APP_ID, secretFile("app.pem", TestKeys.pkcs1Pem(TestKeys.pair())), secretFile("webhook", WEBHOOK_SECRET),
        github.apiUrl(), git.webUrl(), DASHBOARD, ACME, secretFile("bot-token", BOT_TOKEN + "\n"),
        secretFile("signing-secret", SIGNING_SECRET + "\n"), slack.apiUrl(), DASHBOARD, SlackRequests.TEAM, PROD, STAGING, PROD, CANARY,
        ALICE, BOB, AUTHOR, MALLORY);
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS, TestProbes.FAIL), config);
    // The real configuration path: both sections read as the server reads them.
    GitHubConfig gitHubConfig = GitHubConfig.from(tollgate.config().path("github"), Set.of("acme"), name -> null);
    GitHubAppAuth auth = new GitHubAppAuth(gitHubConfig, Clock.systemUTC(), new SimpleMeterRegistry());
    SlackSettings settings = SlackConfig.from(tollgate.config().path("slack"), Set.of("staging", "production", "locked", "canary"),
        name -> null, Clock.systemUTC());
    EngineCalendar calendar = EngineCalendar.of(tollgate.config());
    tollgate.withGitHub(new GitHubIntegration(auth.gateSettings(), auth), auth).withSlack(new SlackIntegration(settings, calendar));
    tollgate.startGate();
    tollgate.startWorker("w1");
    assertTrue(tollgate.gate().githubReporter().awaitAssignment(Duration.ofSeconds(30)), "GitHub reporter joined its group");
    assertTrue(tollgate.gate().slackReporter().awaitAssignment(Duration.ofSeconds(30)), "Slack reporter joined its group");
    deliveries = new GitHubDeliveries(WEBHOOK_SECRET);
    requests = new SlackRequests(SIGNING_SECRET);
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
    slack.close();
    logs.close();
  }

  /** A deployment GitHub holds for Tollgate: its workflow run and the evaluation id. */
  record Held(long runId, String evaluationId) {}

  Held requestRule(String environment) {
    String sha = shop.commit("app.txt", "v-" + UUID.randomUUID()).head();
    long runId = IDS.incrementAndGet();
    ObjectNode payload = GitHubDeliveries.protectionRule(shopRepo, environment, sha, IDS.incrementAndGet(), runId,
        github.apiUrl(), ACME);
    Api.Response accepted = deliveries.send(tollgate.api(null), "deployment_protection_rule", UUID.randomUUID().toString(), payload);
    assertEquals(202, accepted.status(), accepted.body());
    return new Held(runId, accepted.json().path("evaluationId").asText());
  }

  /** Waits until the channel shows the evaluation's NO_GO. */
  FakeSlack.Message awaitNoGo(String channel, String evaluationId) throws InterruptedException {
    return slack.awaitMessage(channel, evaluationId, m -> m.text().contains("Tollgate NO_GO"), Duration.ofSeconds(60));
  }

  FakeGitHub.Call awaitReview(long runId, String state) throws InterruptedException {
    return github.await(c -> c.path().endsWith("/runs/" + runId + "/deployment_protection_rule") && c.status() == 204
        && state.equals(c.state()), Duration.ofSeconds(60));
  }

  Api.Response interact(JsonNode payload) {
    return requests.send(tollgate.api(null), "/slack/interactions", SlackRequests.interactionBody(payload));
  }

  /** A click; returns the response_url Slack gave it. */
  String click(String user, String action, String evaluationId) {
    String responseUrl = slack.responseUrl();
    long started = System.nanoTime();
    Api.Response r = interact(SlackRequests.click(user, action, evaluationId, responseUrl));
    assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "acknowledged within Slack's 3 s");
    assertEquals(200, r.status(), r.body());
    assertEquals("", r.body(), "clicks are acknowledged at once, with nothing to show");
    return responseUrl;
  }

  /** Approves as {@code user} with {@code reason}: click, the form opens, submit; returns Tollgate's ephemeral reply. */
  String approve(String user, String evaluationId, String reason) throws InterruptedException {
    int formsBefore = slack.calls("views.open", evaluationId).size();
    String responseUrl = click(user, "tollgate.approve", evaluationId);
    slack.await(c -> slack.calls("views.open", evaluationId).size() > formsBefore, Duration.ofSeconds(10));
    FakeSlack.Call opened = slack.calls("views.open", evaluationId).get(formsBefore); // this click's form
    assertTrue(opened.ok(), slack.describe());
    JsonNode view = opened.body().path("view");
    assertTrue(view.path("private_metadata").asText().contains(responseUrl), "the form replies where the click came from");
    assertEquals("Approve override", view.path("title").path("text").asText());
    assertEquals(10, view.path("blocks").path(1).path("element").path("min_length").asInt(), "the form requires a reason");
    Api.Response submitted = interact(SlackRequests.submit(user, view, reason));
    assertEquals(200, submitted.status(), submitted.body());
    return slack.awaitReply(responseUrl, Duration.ofSeconds(20)).path("text").asText();
  }

  List<AuditRecorded> audit(String evaluationId) {
    return TopicReader.readAll(tollgate.kafka(), tollgate.topics().auditRecorded(), AuditRecorded.class).stream()
        .filter(a -> a.evaluationId().equals(evaluationId)).toList();
  }

  @Test
  void anotherTenantsEvaluationsNeverReachThisWorkspace() throws Exception {
    String body = "{\"repository\":\"" + shopRepo.cloneUrl() + "\",\"environment\":\"production\",\"tenant\":\"globex\","
        + "\"candidate\":\"" + shop.head() + "\"}";
    Api.Response decided = tollgate.api(TestInstallation.OTHER_TENANT).post("/api/v1/evaluations?waitSeconds=30", body);
    assertEquals("NO_GO", decided.json().path("verdict").path("decision").asText(), decided.body());
    String id = decided.json().path("id").asText();
    // An acme evaluation requested after it is posted: the reporter has passed the globex one by then.
    Held later = requestRule("production");
    awaitNoGo(PROD, later.evaluationId());
    assertEquals(List.of(), slack.calls("chat.postMessage", id), "slack.tenants: [acme]: " + slack.describe());
    String responseUrl = click(ALICE, "tollgate.approve", id);
    assertTrue(slack.awaitReply(responseUrl, Duration.ofSeconds(20)).path("text").asText().startsWith("not allowed:"),
        "no vote from this workspace on another tenant's deploy");
  }

  @Test
  void anApproversRejectionFromSlackRejectsTheWaitingGitHubDeploy() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    awaitNoGo(PROD, id);
    github.await(c -> c.path().endsWith("/runs/" + held.runId() + "/deployment_protection_rule") && c.status() == 204
        && c.state() == null && c.comment().contains("Waiting for an override"), Duration.ofSeconds(60));
    int formsBefore = slack.calls("views.open", id).size();
    String responseUrl = click(BOB, "tollgate.reject", id);
    slack.await(c -> slack.calls("views.open", id).size() > formsBefore, Duration.ofSeconds(10));
    JsonNode form = slack.calls("views.open", id).get(formsBefore).body().path("view");
    assertEquals(200, interact(SlackRequests.submit(BOB, form, "not during INC-4411, deploy after the freeze")).status());
    slack.awaitReply(responseUrl, Duration.ofSeconds(20));

    FakeGitHub.Call rejected = awaitReview(held.runId(), "rejected");
    assertTrue(rejected.comment().contains("rejected by `bob`") && rejected.comment().contains("INC-4411"), rejected.comment());
    assertEquals(List.of("rejected"), github.reviews(held.runId()).stream().map(FakeGitHub.Call::state)
        .filter(java.util.Objects::nonNull).toList(), "rejected once, after waiting");
  }

  @Test
  void aNoGoIsPostedWithButtonsAndTwoApproversOverrideItIntoAnApprovedGitHubDeploy() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    FakeSlack.Message noGo = awaitNoGo(PROD, id);
    assertEquals(List.of("tollgate.approve=" + id, "tollgate.reject=" + id), noGo.buttons(), noGo.text());
    String shown = noGo.text();
    assertTrue(shown.contains("acme/shop") && shown.contains("`production`") && shown.contains("Codertocat (GitHub)"), shown);
    assertTrue(shown.contains("probe fail failed") && shown.contains(":x: `fail` FAIL") && shown.contains(":white_check_mark: `pass` PASS"),
        shown);
    assertTrue(shown.contains("test rule always fails"), "top findings: " + shown);
    assertTrue(shown.contains("<" + DASHBOARD + "/evaluations/" + id + "|Open in Tollgate>"), shown);
    assertEquals(1, slack.calls("chat.postMessage", id).size(), "one message per evaluation, then updates: " + slack.describe());
    // GitHub hears the NO_GO as a note, not a rejection (which would be final): the approvers may still override it.
    FakeGitHub.Call waiting = github.await(c -> c.path().endsWith("/runs/" + held.runId() + "/deployment_protection_rule")
        && c.status() == 204 && c.state() == null && c.comment().contains("Waiting for an override"), Duration.ofSeconds(60));
    assertTrue(waiting.comment().contains("NO_GO") && waiting.comment().contains("2 of"), waiting.comment());

    // A reason that is too short is refused in the form itself; no vote is recorded (the click is, as every click).
    String responseUrl = click(ALICE, "tollgate.approve", id);
    FakeSlack.Call opened = slack.await(c -> c.method().equals("views.open") && c.body().toString().contains(id), Duration.ofSeconds(10));
    Api.Response tooShort = interact(SlackRequests.submit(ALICE, opened.body().path("view"), "ok"));
    assertEquals("errors", tooShort.json().path("response_action").asText(), tooShort.body());
    assertTrue(tooShort.json().path("errors").path("reason").asText().contains("at least 10"), tooShort.body());
    assertEquals(List.of(), slack.replies(responseUrl));

    String first = approve(ALICE, id, "hotfix for INC-4411, tested on staging");
    assertEquals("Your approval is recorded (1 of 2); 1 more approver needed.", first);
    String again = click(ALICE, "tollgate.approve", id);
    assertEquals("not allowed: alice already voted on revision 1 (approve); withdraw that vote first to change it",
        slack.awaitReply(again, Duration.ofSeconds(20)).path("text").asText(), "one vote each: no form the second time");
    slack.awaitMessage(PROD, id, m -> m.text().contains("*Override approvals* (1 of 2)"), Duration.ofSeconds(30));

    String second = approve(BOB, id, "agreed, rollback plan in INC-4411");
    assertEquals("Your approval is recorded (2 of 2): the NO_GO is overridden.", second);

    FakeGitHub.Call approved = awaitReview(held.runId(), "approved");
    assertTrue(approved.comment().contains("OVERRIDDEN"), approved.comment());
    assertEquals(List.of("approved"), github.reviews(held.runId()).stream().map(FakeGitHub.Call::state)
        .filter(java.util.Objects::nonNull).toList(), "never rejected, then approved");
    FakeSlack.Message overridden = slack.awaitMessage(PROD, id, m -> m.text().contains("Tollgate OVERRIDDEN"), Duration.ofSeconds(30));
    assertEquals(List.of(), overridden.buttons(), "nothing left to approve");
    assertTrue(overridden.text().contains("overridden by alice, bob"), overridden.text());
    assertEquals(noGo.ts(), overridden.ts(), "the same message, updated");
    assertEquals(1, slack.calls("chat.postMessage", id).size(), slack.describe());

    List<OverrideRecorded> votes = TopicReader.readAll(tollgate.kafka(), tollgate.topics().overridesRecorded(), OverrideRecorded.class)
        .stream().filter(o -> o.evaluationId().equals(id)).toList();
    assertEquals(List.of("alice", "bob"), votes.stream().map(o -> o.approvers().get(0)).toList());
    List<AuditRecorded> audit = audit(id);
    assertEquals(2, audit.stream().filter(a -> a.kind() == AuditKind.OVERRIDE_APPROVED && a.source() == Source.SLACK).count(),
        audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_DENIED && a.actor().equals("alice")), "the second vote too");
    // Every allowed click too: alice opened the form twice (the reason too short, then her vote), bob once.
    assertEquals(List.of("alice", "alice", "bob"), audit.stream().filter(a -> a.kind() == AuditKind.OVERRIDE_REQUESTED)
        .map(AuditRecorded::actor).sorted().toList(), audit.toString());

    for (String line : logs.lines()) {
      assertFalse(line.contains(BOT_TOKEN) || line.contains(SIGNING_SECRET), "a Slack secret reached the logs: " + line);
    }
    List<String> problems = logs.lines().stream().filter(l -> (l.startsWith("WARN") || l.startsWith("ERROR")) && l.contains(id))
        .toList();
    assertEquals(List.of(), problems, "the happy path logs nothing above INFO");
    for (FakeSlack.Call c : slack.calls()) {
      assertFalse(c.body() != null && (c.body().toString().contains(BOT_TOKEN) || c.body().toString().contains(SIGNING_SECRET)));
    }
  }

  @Test
  void theAuthorAndOtherPeopleWhoMayNotApproveAreRefusedEphemerallyAndAudited() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    awaitNoGo(PROD, id);

    String author = click(AUTHOR, "tollgate.approve", id);
    assertEquals("not allowed: Codertocat is an author of this deploy (submitted or deployed it) and cannot approve or reject it",
        slack.awaitReply(author, Duration.ofSeconds(20)).path("text").asText(), "GitHub's signed sender, mapped from Slack");
    assertEquals("ephemeral", slack.replies(author).get(0).path("response_type").asText());
    String mallory = click(MALLORY, "tollgate.approve", id);
    assertEquals("not allowed: mallory is not an approver for production", slack.awaitReply(mallory, Duration.ofSeconds(20))
        .path("text").asText());
    String stranger = click("U0NOBODY01", "tollgate.reject", id);
    assertEquals("not allowed: slack:U0NOBODY01 is not an approver for production", slack.awaitReply(stranger,
        Duration.ofSeconds(20)).path("text").asText());
    assertEquals(List.of(), slack.calls("views.open", id), "no form for anyone refused");

    List<AuditRecorded> audit = List.of();
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); audit.size() < 3 && System.nanoTime() < until; ) {
      audit = audit(id);
      Thread.sleep(50);
    }
    assertEquals(3, audit.stream().filter(a -> a.kind() == AuditKind.OVERRIDE_DENIED && a.source() == Source.SLACK).count(),
        audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.actor().equals("Codertocat") && a.detail().contains("author")), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.actor().equals("slack:U0NOBODY01")), audit.toString());

    // A NO_GO the policy makes not overridable gets no buttons.
    Held locked = requestRule("locked");
    FakeSlack.Message message = awaitNoGo(PROD, locked.evaluationId());
    assertEquals(List.of(), message.buttons(), message.text());
    assertTrue(message.text().contains("Not overridable"), message.text());
  }

  @Test
  void aStaleOrWronglySignedRequestIs401AndNothingHappens() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    awaitNoGo(PROD, id);
    String responseUrl = slack.responseUrl();
    String body = SlackRequests.interactionBody(SlackRequests.click(ALICE, "tollgate.approve", id, responseUrl));

    Api.Response stale = requests.sendAt(tollgate.api(null), "/slack/interactions", body, Instant.now().minusSeconds(301));
    assertEquals(401, stale.status(), stale.body());
    Api.Response forged = SlackRequests.sendForged(tollgate.api(null), "/slack/interactions", body);
    assertEquals(401, forged.status(), forged.body());
    Api.Response unsigned = tollgate.api(null).post("/slack/interactions", body, "application/x-www-form-urlencoded");
    assertEquals(401, unsigned.status(), unsigned.body());
    Api.Response command = SlackRequests.sendForged(tollgate.api(null), "/slack/commands",
        SlackRequests.commandBody(ALICE, "status acme/shop production", responseUrl));
    assertEquals(401, command.status(), command.body());
    assertEquals("application/problem+json", stale.header("Content-Type"));
    ObjectNode otherWorkspace = SlackRequests.click(ALICE, "tollgate.approve", id, responseUrl);
    ((ObjectNode) otherWorkspace.path("team")).put("id", "T0OTHER001");
    ((ObjectNode) otherWorkspace.path("user")).put("team_id", "T0OTHER001");
    assertEquals(403, interact(otherWorkspace).status(), "signed, but from a workspace Tollgate is not connected to");
    Api.Response huge = requests.send(tollgate.api(null), "/slack/interactions", "payload=" + "x".repeat((1 << 20) + 1));
    assertEquals(413, huge.status(), "too large: refused before it is read");

    // The same click, correctly signed and fresh, would open the form: so the 401s above are what stopped them.
    Thread.sleep(2000);
    assertEquals(List.of(), slack.calls("views.open", id));
    assertEquals(List.of(), slack.replies(responseUrl));
    assertEquals(List.of(), audit(id), "nothing published");
    click(ALICE, "tollgate.approve", id);
    slack.await(c -> c.method().equals("views.open") && c.body().toString().contains(id), Duration.ofSeconds(10));
  }

  @Test
  void aSignedClickReplayedWithinFiveMinutesIs401AndCountsOnce() throws Exception {
    // Issue #19: a captured signed request could be sent again within Slack's 5-minute timestamp window.
    Held held = requestRule("production");
    String id = held.evaluationId();
    awaitNoGo(PROD, id);
    String responseUrl = slack.responseUrl();
    String body = SlackRequests.interactionBody(SlackRequests.click(ALICE, "tollgate.approve", id, responseUrl));
    Instant at = Instant.now();
    assertEquals(200, requests.sendAt(tollgate.api(null), "/slack/interactions", body, at).status(), "the original");
    Api.Response replayed = requests.sendAt(tollgate.api(null), "/slack/interactions", body, at);
    assertEquals(401, replayed.status(), replayed.body());
    assertTrue(replayed.json().path("detail").asText().contains("replay"), replayed.body());
    slack.await(c -> c.method().equals("views.open") && c.body().toString().contains(id), Duration.ofSeconds(10));
    Thread.sleep(1500);
    assertEquals(1, slack.calls("views.open", id).size(), "one form for one click: " + slack.describe());
    assertEquals(1, audit(id).stream().filter(a -> a.kind() == AuditKind.OVERRIDE_REQUESTED).count(), audit(id).toString());
  }

  @Test
  void aRejectionIsWithdrawnFromTheMessageAndOnlyThenMayTheApproverApprove() throws Exception {
    // Issue #19: an approver who rejected could approve later and it counted; a change of mind is now explicit.
    Held held = requestRule("production");
    String id = held.evaluationId();
    awaitNoGo(PROD, id);
    int formsBefore = slack.calls("views.open", id).size();
    String rejectUrl = click(BOB, "tollgate.reject", id);
    slack.await(c -> slack.calls("views.open", id).size() > formsBefore, Duration.ofSeconds(10));
    JsonNode form = slack.calls("views.open", id).get(formsBefore).body().path("view");
    assertEquals(200, interact(SlackRequests.submit(BOB, form, "the migration needs a second look first")).status());
    assertEquals("Your rejection is recorded; the NO_GO stands.", slack.awaitReply(rejectUrl, Duration.ofSeconds(20))
        .path("text").asText());
    FakeSlack.Message voted = slack.awaitMessage(PROD, id, m -> m.buttons().contains("tollgate.withdraw=" + id),
        Duration.ofSeconds(30));
    assertEquals(List.of("tollgate.approve=" + id, "tollgate.reject=" + id, "tollgate.withdraw=" + id), voted.buttons());

    String approveUrl = click(BOB, "tollgate.approve", id);
    assertEquals("not allowed: bob already voted on revision 1 (reject); withdraw that vote first to change it",
        slack.awaitReply(approveUrl, Duration.ofSeconds(20)).path("text").asText());
    String aliceWithdraws = click(ALICE, "tollgate.withdraw", id);
    assertEquals("not allowed: alice has no vote on revision 1 to withdraw",
        slack.awaitReply(aliceWithdraws, Duration.ofSeconds(20)).path("text").asText(), "one's own vote only");
    String withdrawUrl = click(BOB, "tollgate.withdraw", id);
    assertEquals("Your vote is withdrawn; you may vote again.", slack.awaitReply(withdrawUrl, Duration.ofSeconds(20))
        .path("text").asText());
    assertEquals("Your approval is recorded (1 of 2); 1 more approver needed.",
        approve(BOB, id, "second look done, the migration is additive"));

    List<AuditRecorded> audit = audit(id);
    assertEquals(List.of(AuditKind.OVERRIDE_REJECTED, AuditKind.OVERRIDE_WITHDRAWN, AuditKind.OVERRIDE_APPROVED),
        audit.stream().filter(a -> a.actor().equals("bob") && a.kind() != AuditKind.OVERRIDE_REQUESTED
            && a.kind() != AuditKind.OVERRIDE_DENIED).map(AuditRecorded::kind).toList(), audit.toString());
    assertTrue(audit.stream().anyMatch(a -> a.kind() == AuditKind.OVERRIDE_WITHDRAWN && a.detail().contains("rejection")),
        audit.toString());
  }

  @Test
  void aRateLimitAndSlacksOwnErrorsAreRetriedAndTheVerdictStillLands() throws Exception {
    slack.failNext("chat.postMessage", CANARY, "internal_error");
    slack.rateLimit("chat.postMessage", CANARY, 1, 1);
    Held held = requestRule("canary");
    String id = held.evaluationId();
    FakeSlack.Message noGo = awaitNoGo(CANARY, id);
    assertEquals(2, noGo.buttons().size());
    List<FakeSlack.Call> posts = slack.calls("chat.postMessage", id);
    assertEquals(List.of("200 internal_error", "429 ratelimited", "200"), posts.stream()
        .map(c -> c.status() + (c.error() == null ? "" : " " + c.error())).toList(), slack.describe());
    assertTrue(Duration.between(posts.get(1).at(), posts.get(2).at()).toMillis() >= 900, "Retry-After honoured: " + posts);

    // An update that is rate limited lands after Retry-After.
    slack.rateLimit("chat.update", CANARY, 1, 1);
    assertEquals(202, tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"rate limit drill, approved by alice\"}").status());
    FakeSlack.Message counted = slack.awaitMessage(CANARY, id, m -> m.text().contains("*Override approvals* (1 of 2)"),
        Duration.ofSeconds(30));
    assertEquals(noGo.ts(), counted.ts());
    List<FakeSlack.Call> updates = slack.calls("chat.update", id);
    FakeSlack.Call limited = updates.stream().filter(c -> c.status() == 429).findFirst().orElseThrow(() ->
        new AssertionError("the update was rate limited once: " + slack.describe()));
    FakeSlack.Call after = updates.get(updates.indexOf(limited) + 1);
    assertTrue(after.ok() && Duration.between(limited.at(), after.at()).toMillis() >= 900, updates.toString());
    assertEquals(1, slack.calls("chat.postMessage", id).stream().filter(FakeSlack.Call::ok).count(), "no duplicate message");
  }

  @Test
  void aDeletedMessageIsPostedAgainWithTheCurrentState() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    FakeSlack.Message noGo = awaitNoGo(PROD, id);
    slack.delete(PROD, noGo.ts());
    assertEquals(202, tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"deleted message drill, alice\"}").status());
    FakeSlack.Message again = slack.awaitMessage(PROD, id, m -> m.text().contains("*Override approvals* (1 of 2)"),
        Duration.ofSeconds(30));
    assertFalse(again.ts().equals(noGo.ts()), "a new message");
    assertTrue(slack.calls("chat.update", id).stream().anyMatch(c -> "message_not_found".equals(c.error())), slack.describe());
    assertEquals(2, slack.calls("chat.postMessage", id).stream().filter(FakeSlack.Call::ok).count(), slack.describe());
  }

  @Test
  void aRestartedGateUpdatesTheSameMessage() throws Exception {
    Held held = requestRule("production");
    String id = held.evaluationId();
    FakeSlack.Message noGo = awaitNoGo(PROD, id);
    List<SlackMessagePosted> saved = List.of();
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(5000)); saved.isEmpty() && System.nanoTime() < until; ) {
      saved = TopicReader.readAll(tollgate.kafka(), tollgate.topics().slackMessagesPosted(), SlackMessagePosted.class).stream()
          .filter(m -> m.evaluationId().equals(id) && m.contentHash() != null && m.ts().equals(noGo.ts())).toList();
      Thread.sleep(50);
    }
    assertFalse(saved.isEmpty(), "where the message is was recorded");

    tollgate.stopGate();
    tollgate.startGate();
    assertTrue(tollgate.gate().slackReporter().awaitAssignment(Duration.ofSeconds(60)), "the new gate's reporter joined");
    // Votes through the API this time: Slack shows them whatever their source.
    assertEquals(202, tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"restart drill, approved by alice\"}").status());
    assertEquals(202, tollgate.api(TestInstallation.BOB).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"restart drill, approved by bob\"}").status());
    FakeSlack.Message overridden = slack.awaitMessage(PROD, id, m -> m.text().contains("Tollgate OVERRIDDEN"), Duration.ofSeconds(60));
    assertEquals(noGo.ts(), overridden.ts(), "updated in place after the restart");
    assertEquals(1, slack.calls("chat.postMessage", id).size(), slack.describe());
    awaitReview(held.runId(), "approved");
  }

  @Test
  void slashCommandsAnswerStatusAndTheFreezeCalendar() throws Exception {
    Held held = requestRule("production");
    awaitNoGo(PROD, held.evaluationId());
    Api.Response status = requests.send(tollgate.api(null), "/slack/commands",
        SlackRequests.commandBody(ALICE, "status acme/shop production", slack.responseUrl()));
    assertEquals(200, status.status(), status.body());
    assertEquals("ephemeral", status.json().path("response_type").asText());
    assertTrue(status.body().contains("NO_GO") && status.body().contains("acme/shop"), status.body());
    assertFalse(status.body().contains("tollgate.approve"), "status replies carry no buttons");

    Api.Response freeze = requests.send(tollgate.api(null), "/slack/commands",
        SlackRequests.commandBody(ALICE, "freeze staging", slack.responseUrl()));
    assertEquals(200, freeze.status(), freeze.body());
    String text = freeze.json().path("text").asText();
    assertTrue(text.contains("no calendar window blocks a deploy now"), text);
    assertTrue(text.contains("freeze \"Release week\""), text);

    Api.Response unknown = requests.send(tollgate.api(null), "/slack/commands",
        SlackRequests.commandBody(ALICE, "freeze nowhere", slack.responseUrl()));
    assertTrue(unknown.json().path("text").asText().startsWith("Unknown environment `nowhere`"), unknown.body());
    Api.Response help = requests.send(tollgate.api(null), "/slack/commands", SlackRequests.commandBody(ALICE, "", slack.responseUrl()));
    assertTrue(help.json().path("text").asText().contains("/tollgate status <repository> <environment>"), help.body());
  }

  /** A slash command's answer: direct, or (past Slack's 3 s on a busy machine) on its response_url. */
  String command(String user, String text) throws InterruptedException {
    String responseUrl = slack.responseUrl();
    Api.Response r = requests.send(tollgate.api(null), "/slack/commands", SlackRequests.commandBody(user, text, responseUrl));
    assertEquals(200, r.status(), r.body());
    String answer = r.json().path("text").asText();
    return answer.equals("Working on it…") ? slack.awaitReply(responseUrl, Duration.ofSeconds(30)).path("text").asText() : answer;
  }

  /**
   * The attack on a deploy lock: the API token "alice" holds one, and a GitHub user who chose the login "alice" (the
   * delivery's sender and the deployment's creator) deploys through it. Names match, identities do not: the deployment
   * waits like anyone else's, and is approved once the lock goes.
   */
  @Test
  void aGitHubUserNamedLikeTheLockHoldersTokenDoesNotDeployThroughItsDeployLock() throws Exception {
    Api alice = tollgate.api(TestInstallation.ALICE);
    Api.Response lock = alice.post("/api/v1/environments/staging/lock",
        "{\"reason\":\"alice ships the schema change herself\",\"kind\":\"deploy\",\"for\":\"10m\"}");
    assertEquals(201, lock.status(), lock.body());
    String unlock = "{\"lockId\":\"" + lock.json().path("lock").path("lockId").asText() + "\"}";
    try {
      String sha = shop.commit("app.txt", "v-" + UUID.randomUUID()).head();
      long runId = IDS.incrementAndGet();
      ObjectNode payload = GitHubDeliveries.protectionRule(shopRepo, "staging", sha, IDS.incrementAndGet(), runId,
          github.apiUrl(), ACME);
      ((ObjectNode) payload.path("sender")).put("login", "alice");
      ((ObjectNode) payload.path("deployment").path("creator")).put("login", "alice");
      Api.Response accepted = deliveries.send(tollgate.api(null), "deployment_protection_rule", UUID.randomUUID().toString(),
          payload);
      assertEquals(202, accepted.status(), accepted.body());
      github.await(c -> c.path().contains("/runs/" + runId + "/") && c.state() == null
          && c.comment().startsWith("Tollgate: NO_GO for now: locked by alice: "), Duration.ofSeconds(60));
      assertEquals(0, github.reviews(runId).stream().filter(c -> c.state() != null).count(),
          "github:alice is not token:alice: no approval through her deploy lock");
      Api.Response unlocked = alice.delete("/api/v1/environments/staging/lock", unlock);
      assertEquals(200, unlocked.status(), unlocked.body());
      assertNotNull(awaitReview(runId, "approved"));
    } finally {
      alice.delete("/api/v1/environments/staging/lock", unlock);
    }
  }

  @Test
  void slashCommandsLockAndUnlockAndTheChannelAndGitHubSayWhoLockedIt() throws Exception {
    assertTrue(command(MALLORY, "lock staging nobody asked mallory").startsWith(":no_entry: mallory may not lock `staging`"));
    String locked = command(BOB, "lock staging <!channel> rollback of the payment service for 2h");
    assertTrue(locked.startsWith(":lock: staging locked by bob (freeze lock) until "), locked);
    FakeSlack.Message told = slack.awaitMessage(STAGING, "locked by bob", m -> true, Duration.ofSeconds(30));
    assertFalse(told.body().toString().contains("<!channel>"), "a reason cannot ping the channel: " + told.body());
    assertTrue(command(ALICE, "lock staging alice wants it as well").contains("already locked by bob"));
    assertTrue(command(ALICE, "unlock staging").contains("only they can unlock it"));

    // A GitHub deployment to the locked environment waits with a note naming the lock; the unlock lets it go.
    Held held = requestRule("staging");
    FakeGitHub.Call note = github.await(c -> c.path().contains("/runs/" + held.runId() + "/") && c.state() == null
        && c.comment().startsWith("Tollgate: NO_GO for now: locked by bob: "), Duration.ofSeconds(60));
    assertFalse(note.comment().contains("<!channel>") && note.comment().contains("@channel"), note.comment());
    assertEquals(0, github.reviews(held.runId()).stream().filter(c -> c.state() != null).count(), "no rejection while locked");

    String unlocked = command(BOB, "unlock staging");
    assertTrue(unlocked.startsWith(":unlock: staging unlocked by bob"), unlocked);
    slack.awaitMessage(STAGING, "unlocked by bob", m -> true, Duration.ofSeconds(30));
    assertNotNull(awaitReview(held.runId(), "approved"));
    assertTrue(command(BOB, "unlock staging").contains("is not locked"));
  }
}
