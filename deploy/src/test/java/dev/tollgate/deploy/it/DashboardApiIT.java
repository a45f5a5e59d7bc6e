package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.DashboardFixture;
import dev.tollgate.deploy.testing.EventStream;
import dev.tollgate.deploy.testing.SessionClient;
import dev.tollgate.deploy.testing.TestInstallation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard over plain HTTP: sign-in and the session cookie, CSRF on every state-changing request, security
 * headers, tenant isolation of the live stream and of every dashboard endpoint, the environments view with its
 * calendar, and the audit log with its exports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiIT {
  @TempDir
  static Path tmp;
  DashboardFixture f;
  int port;

  @BeforeAll
  void start() throws Exception {
    f = new DashboardFixture(tmp);
    port = f.port();
  }

  @AfterAll
  void stop() {
    f.close();
  }

  String noGo() {
    JsonNode v = f.tollgate.api(TestInstallation.REQUESTER).evaluate(f.request("production"), 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  static HttpResponse<String> raw(HttpRequest.Builder b) throws Exception {
    return HttpClient.newHttpClient().send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder signInRequest(String body, String contentType, String origin) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/signin"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
    if (origin != null) {
      b.header("Origin", origin);
    }
    return b;
  }

  @Test
  void signingInGivesAnHttpOnlySameSiteStrictCookieAndNeverEchoesTheToken() throws Exception {
    SessionClient viewer = SessionClient.signIn(port, TestInstallation.VIEWER);
    // Cookie attribute names are case-insensitive (RFC 6265); Vert.x writes "HTTPOnly".
    String cookie = viewer.signInResponse().headers().firstValue("Set-Cookie").orElseThrow().toLowerCase(java.util.Locale.ROOT);
    assertTrue(cookie.contains("; httponly") && cookie.contains("; samesite=strict") && cookie.contains("; path=/"), cookie);
    assertFalse(cookie.contains("secure"), "plain HTTP: a Secure cookie would never come back: " + cookie);
    assertFalse(viewer.signInResponse().body().contains(TestInstallation.VIEWER), "the token is never sent back");
    assertEquals("viewer", viewer.get("/api/v1/session").json().path("role").asText());

    HttpResponse<String> tls = raw(signInRequest("{\"token\":\"" + TestInstallation.VIEWER + "\"}", "application/json",
        SessionClient.origin(port)).header("X-Forwarded-Proto", "https"));
    assertEquals(200, tls.statusCode());
    assertTrue(tls.headers().firstValue("Set-Cookie").orElseThrow().toLowerCase(java.util.Locale.ROOT).contains("; secure"),
        "behind a TLS proxy: Secure");
  }

  @Test
  void signInRefusesBadTokensOtherOriginsAndFormPosts() throws Exception {
    String good = "{\"token\":\"" + TestInstallation.VIEWER + "\"}";
    HttpResponse<String> bad = raw(signInRequest("{\"token\":\"tg_not-a-token\"}", "application/json", SessionClient.origin(port)));
    assertEquals(401, bad.statusCode());
    assertTrue(bad.headers().firstValue("Set-Cookie").isEmpty());
    // Login CSRF: another site must not sign a browser in under the attacker's token.
    HttpResponse<String> foreign = raw(signInRequest(good, "application/json", "https://evil.example"));
    assertEquals(403, foreign.statusCode());
    assertTrue(foreign.headers().firstValue("Set-Cookie").isEmpty());
    HttpResponse<String> form = raw(signInRequest("token=" + TestInstallation.VIEWER, "application/x-www-form-urlencoded",
        SessionClient.origin(port)));
    assertEquals(415, form.statusCode(), "a cross-site form can post this content type without a preflight");
    HttpResponse<String> crossSite = raw(signInRequest(good, "application/json", null).header("Sec-Fetch-Site", "cross-site"));
    assertEquals(403, crossSite.statusCode());
  }

  @Test
  void pagesNeedASessionAndCarryTheSecurityHeaders() throws Exception {
    HttpResponse<String> anonymous = raw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/environments")).GET());
    assertEquals(303, anonymous.statusCode());
    assertEquals("/signin?next=%2Fenvironments", anonymous.headers().firstValue("Location").orElseThrow());

    SessionClient viewer = SessionClient.signIn(port, TestInstallation.VIEWER);
    for (String page : List.of("/", "/evaluations/some-id", "/environments", "/audit")) {
      Api.Response r = viewer.get(page);
      assertEquals(200, r.status(), page);
      assertTrue(r.header("Content-Type").startsWith("text/html"), page);
      String csp = r.header("Content-Security-Policy");
      assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), csp);
      assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
      assertEquals("nosniff", r.header("X-Content-Type-Options"));
      assertEquals("DENY", r.header("X-Frame-Options"));
    }
    Api.Response script = viewer.get("/assets/js/evaluations.js");
    assertEquals(200, script.status());
    assertTrue(script.header("Content-Type").startsWith("text/javascript"));
    assertEquals(304, SessionClient.response(raw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/assets/js/evaluations.js")).header("If-None-Match", script.header("ETag")).GET())).status(), "revalidated by ETag");
    assertEquals(404, viewer.get("/assets/evaluations.html").status(), "pages only behind their routes");
    assertEquals(404, viewer.get("/assets/../openapi.json").status());

    Api.Response signin = new Api(port, null).get("/signin");
    assertEquals(200, signin.status());
    assertTrue(signin.body().contains("<form id=\"signin\">"));
    Api.Response rule = new Api(port, null).get("/rules/calendar/freeze-window");
    assertEquals(200, rule.status());
    assertTrue(rule.body().contains("freeze"), rule.body());
    assertEquals(404, new Api(port, null).get("/rules/test/fail").status());
  }

  /** Every secret rule's page (built from the rule data) is served where each secrets finding links to. */
  @Test
  void everySecretRuleHasThePageItsFindingsLinkTo() throws Exception {
    List<String> missing = new java.util.ArrayList<>();
    for (dev.tollgate.probes.api.Rule rule : new dev.tollgate.probes.secrets.SecretLeakageProbe().rules()) {
      String id = rule.id().value();
      Api.Response page = new Api(port, null).get("/rules/" + id);
      if (page.status() != 200 || !page.body().contains(id)) {
        missing.add(id + " " + page.status());
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void aSessionChangesNothingWithoutItsCsrfTokenAndOrigin() throws Exception {
    String id = noGo();
    SessionClient alice = SessionClient.signIn(port, TestInstallation.ALICE);
    String vote = "{\"decision\":\"approve\",\"reason\":\"hotfix for INC-9, tested on staging\"}";
    String path = "/api/v1/evaluations/" + id + "/overrides";
    assertEquals(403, alice.post(path, vote, null, SessionClient.origin(port)).status(), "no token");
    assertEquals(403, alice.post(path, vote, "forged", SessionClient.origin(port)).status(), "wrong token");
    assertEquals(403, alice.post(path, vote, SessionClient.signIn(port, TestInstallation.BOB).csrfToken(),
        SessionClient.origin(port)).status(), "another session's token");
    assertEquals(403, alice.post(path, vote, alice.csrfToken(), "https://evil.example").status(), "right token, other origin");
    assertEquals(403, alice.post("/api/v1/evaluations", f.request("staging"), null, null).status(), "every state-changing route");
    Thread.sleep(300);
    JsonNode view = f.tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals(0, view.path("overrides").size(), "none of the refused requests reached the override service");
    assertTrue(f.tollgate.gate().views().audit().list(a -> a.evaluationId().equals(id), 10).isEmpty(),
        "nor counted as a click: they never reached it");

    SessionClient viewer = SessionClient.signIn(port, TestInstallation.VIEWER);
    assertEquals(403, viewer.post(path, vote).status(), "a viewer's session with a valid token still lacks the role");

    Api.Response ok = alice.post(path, vote);
    assertEquals(202, ok.status(), ok.body());
    assertEquals("overridden", ok.json().path("status").asText());
  }

  @Test
  void signingOutEndsTheSessionOnTheServer() {
    SessionClient s = SessionClient.signIn(port, TestInstallation.VIEWER);
    assertEquals(403, s.post("/signout", "{}", null, SessionClient.origin(port)).status(), "sign-out is state-changing too");
    assertEquals(200, s.get("/api/v1/session").status());
    Api.Response out = s.post("/signout", "{}");
    assertEquals(204, out.status());
    assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
    assertEquals(401, s.get("/api/v1/session").status(), "the old cookie is worthless");
    assertEquals(303, s.get("/").status());
  }

  @Test
  void signingOutClosesTheSessionsLiveStreams() throws Exception {
    SessionClient s = SessionClient.signIn(port, TestInstallation.VIEWER);
    SessionClient other = SessionClient.signIn(port, TestInstallation.VIEWER);
    try (EventStream mine = new EventStream(port, "/api/v1/events", "Cookie", "tollgate_session=" + s.cookie());
         EventStream theirs = new EventStream(port, "/api/v1/events", "Cookie", "tollgate_session=" + other.cookie())) {
      assertEquals(200, mine.status());
      assertEquals(204, s.post("/signout", "{}").status());
      for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(2000)); !mine.ended() && System.nanoTime() < until; ) {
        Thread.sleep(20);
      }
      assertTrue(mine.ended(), "a signed-out browser stops receiving evaluations at once");
      String id = noGo();
      assertNotNull(theirs.await(e -> e.path("id").asText().equals(id), Duration.ofSeconds(10)), "other sessions stay live");
      assertFalse(theirs.ended());
    }
  }

  @Test
  void theLiveStreamCarriesOnlyTheCallersTenants() throws Exception {
    SessionClient acmeViewer = SessionClient.signIn(port, TestInstallation.VIEWER);
    try (EventStream acme = new EventStream(port, "/api/v1/events", "Cookie", "tollgate_session=" + acmeViewer.cookie());
         EventStream globex = new EventStream(port, "/api/v1/events", "Authorization", "Bearer " + TestInstallation.OTHER_TENANT);
         EventStream anonymous = new EventStream(port, "/api/v1/events")) {
      assertEquals(200, acme.status());
      assertEquals(200, globex.status());
      assertEquals(401, anonymous.status());
      String acmeId = noGo();
      Api.Response g = f.tollgate.api(TestInstallation.OTHER_TENANT).evaluate(f.globexRequest("staging"), 30);
      String globexId = g.json().path("id").asText();
      assertNotNull(acme.await(e -> e.path("id").asText().equals(acmeId) && e.path("verdict").path("decision").asText()
          .equals("NO_GO"), Duration.ofSeconds(10)), "acme sees its NO_GO live");
      assertNotNull(globex.await(e -> e.path("id").asText().equals(globexId), Duration.ofSeconds(10)), "globex sees its own");
      Thread.sleep(500);
      assertTrue(acme.events().stream().allMatch(e -> e.path("tenant").asText().equals("acme")), acme.events().toString());
      assertTrue(globex.events().stream().allMatch(e -> e.path("tenant").asText().equals("globex")), globex.events().toString());
      assertTrue(globex.events().stream().noneMatch(e -> e.path("id").asText().equals(acmeId)));
    }
    try (EventStream one = new EventStream(port, "/api/v1/events?tenant=acme", "Authorization",
        "Bearer " + TestInstallation.OTHER_TENANT)) {
      assertEquals(403, one.status(), "asking for another tenant's stream");
    }
  }

  @Test
  void everyDashboardEndpointIsScopedToTheCallersTenants() throws Exception {
    String id = noGo();
    // The CD system reports what runs (a report of someone else's commit counts from a deployReporter token only).
    Api.Response deploy = f.tollgate.api(TestInstallation.DEPLOY_REPORTER).post("/api/v1/deployments", "{\"repository\":\""
        + f.repo.dir() + "\",\"environment\":\"production\",\"tenant\":\"acme\",\"commit\":\"" + f.repo.baseline()
        + "\",\"status\":\"succeeded\"}");
    assertEquals(202, deploy.status(), deploy.body());
    Api other = f.tollgate.api(TestInstallation.OTHER_TENANT);
    JsonNode mine = await(() -> f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments").json(),
        j -> env(j, "production").path("deployed").size() > 0);
    assertEquals(f.repo.baseline(), env(mine, "production").path("deployed").get(0).path("commit").asText());
    JsonNode theirs = other.get("/api/v1/environments").json();
    assertEquals(0, env(theirs, "production").path("deployed").size(), "globex sees no acme deploy");
    assertTrue(StreamSupport.stream(env(theirs, "production").path("lastVerdicts").spliterator(), false)
        .noneMatch(v -> v.path("tenant").asText().equals("acme")));
    assertEquals(404, other.get("/api/v1/evaluations/" + id).status());
    assertEquals(0, StreamSupport.stream(other.get("/api/v1/evaluations?limit=500").json().path("items").spliterator(), false)
        .filter(v -> v.path("tenant").asText().equals("acme")).count());
    assertTrue(StreamSupport.stream(other.get("/api/v1/audit?limit=5000").json().path("items").spliterator(), false)
        .noneMatch(a -> a.path("tenant").asText().equals("acme")), "no acme verdict or vote in globex's audit log");
    assertEquals(403, other.get("/api/v1/audit?tenant=acme").status());
    assertEquals(403, other.get("/api/v1/environments?tenant=acme").status());
  }

  @Test
  void environmentsShowTheFreezeAndTheNextAllowedTime() {
    JsonNode envs = f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments").json();
    JsonNode production = env(envs, "production").path("calendar");
    assertFalse(production.path("allowed").asBoolean(true), production.toString());
    assertTrue(production.path("blocking").get(0).path("name").asText().startsWith("Release freeze"), production.toString());
    assertEquals(f.freezeEnd.toString(), production.path("nextAllowed").asText());
    assertTrue(env(envs, "staging").path("calendar").path("allowed").asBoolean(), "no calendar: open");

    JsonNode cal = f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments/production/calendar?days=30").json();
    assertTrue(cal.path("regions").get(0).path("windows").get(0).path("name").asText().startsWith("Release freeze"), cal.toString());
    assertTrue(cal.path("regions").get(0).path("region").isMissingNode() || cal.path("regions").get(0).path("region").isNull(),
        "a freeze applies to every region");
    JsonNode eu = f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments/eu/calendar?days=90").json();
    assertTrue(StreamSupport.stream(eu.path("regions").spliterator(), false)
        .anyMatch(r -> r.path("region").asText().contains("US-VA")), "90 days always hold a US holiday: " + eu);
    assertEquals(400, f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments/eu/calendar?days=91").status());
    assertEquals(404, f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/environments/nope/calendar").status());
  }

  @Test
  void theAuditLogListsVerdictsAndEveryVoteAndExportsThem() throws Exception {
    String id = noGo();
    SessionClient alice = SessionClient.signIn(port, TestInstallation.ALICE);
    String path = "/api/v1/evaluations/" + id + "/overrides";
    assertEquals(202, alice.post(path, "{\"decision\":\"reject\",\"reason\":\"=HYPERLINK(\\\"http://x\\\") looks wrong\"}").status());
    assertEquals(403, SessionClient.signIn(port, TestInstallation.ADMIN).post(path,
        "{\"decision\":\"approve\",\"reason\":\"admins are not approvers here\"}").status(), "denied, and audited");
    Api viewer = f.tollgate.api(TestInstallation.VIEWER);
    JsonNode log = await(() -> viewer.get("/api/v1/audit?evaluation=" + id).json(), j -> j.path("count").asInt() >= 3);
    List<String> kinds = StreamSupport.stream(log.path("items").spliterator(), false).map(a -> a.path("kind").asText()).toList();
    assertTrue(kinds.containsAll(List.of("VERDICT", "OVERRIDE_REJECTED", "OVERRIDE_DENIED")), kinds.toString());

    JsonNode rejected = viewer.get("/api/v1/audit?kind=OVERRIDE_REJECTED&actor=ALICE&evaluation=" + id).json();
    assertEquals(1, rejected.path("count").asInt(), rejected.toString());
    assertTrue(rejected.path("items").get(0).path("detail").asText().contains("looks wrong"));
    assertEquals(0, viewer.get("/api/v1/audit?kind=OVERRIDE_REJECTED&evaluation=" + id + "&since=2999-01-01T00:00:00Z")
        .json().path("count").asInt());
    assertEquals(400, viewer.get("/api/v1/audit?kind=NOPE").status());
    assertEquals(400, viewer.get("/api/v1/audit?since=yesterday").status());

    Api.Response csv = viewer.get("/api/v1/audit?format=csv&evaluation=" + id);
    assertEquals(200, csv.status());
    assertTrue(csv.header("Content-Type").startsWith("text/csv"));
    assertTrue(csv.header("Content-Disposition").contains("attachment"));
    String[] lines = csv.body().split("\r\n");
    assertEquals("at,kind,decision,tenant,repository,environment,commit,evaluationId,actor,source,detail,attestationSha256",
        lines[0]);
    assertTrue(lines.length >= 4, csv.body());
    assertTrue(csv.body().contains(",OVERRIDE_REJECTED,") && csv.body().contains(",alice,"), csv.body());
    Api.Response json = viewer.get("/api/v1/audit?format=json&evaluation=" + id);
    assertTrue(json.json().isArray() && json.json().size() >= 3, json.body());
  }

  static JsonNode env(JsonNode envs, String name) {
    for (JsonNode e : envs.path("environments")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no environment " + name + " in " + envs);
  }

  static JsonNode await(java.util.function.Supplier<JsonNode> get, java.util.function.Predicate<JsonNode> done)
      throws InterruptedException {
    JsonNode last = null;
    for (long until = dev.tollgate.deploy.testing.Waits.deadline(java.time.Duration.ofMillis(10000)); System.nanoTime() < until; ) {
      last = get.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("condition never met; last answer: " + last);
  }
}
