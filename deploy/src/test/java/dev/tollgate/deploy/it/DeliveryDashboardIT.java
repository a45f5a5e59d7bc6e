package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.Chrome;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.deploy.testing.Waits;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Delivery page and its API against a real gate and broker, on a history seeded into the real topics with known
 * answers (acme's production over the last week: five successful deploys, a rollback, a failed deploy, a deploy with
 * no finish, lead times of 1, 2, 4 and 4 hours, restores of 1 and 2 hours; a secrets block, a calendar hold, an
 * override), next to globex's deploys that acme must never see. In real Chromium: the numbers the page renders, every
 * chart with its table (reachable by keyboard), the definitions one click away, light and dark mode (screenshots in
 * {@code target/screenshots/}). Over HTTP: tenant isolation in JSON and CSV, CSV formula neutralisation, bad input,
 * and the Prometheus gauges' labels. And one deploy end to end: a real worker reads the range, the deploy's lead time
 * is measured from its first commit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryDashboardIT {
  static final String SHOP = "https://github.com/acme/shop";
  static final String FORMULA = "=HYPERLINK(\"http://evil.example/\",\"x\")";
  @TempDir
  static Path tmp;
  TestInstallation tollgate;
  FixtureRepo repo;
  Chrome chrome;
  ChromeDriver driver;
  String base;
  /** Midnight UTC today: the seeded history lies in the six days before. */
  Instant today;

  @BeforeAll
  void start() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), TestProbes.registry(TestProbes.PASS), """
        tenants: [acme, globex]
        delivery: {failureWindow: 1d}
        environments:
          production: {probes: {pass: {}}}
          staging: {probes: {pass: {}}}
        """);
    tollgate.startGate();
    tollgate.startWorker("w1");
    repo = FixtureRepo.create(tmp.resolve("shop")).commit("a.txt", "1").deployed().commit("a.txt", "2").commit("a.txt", "3");
    today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    seed();
    await(TestInstallation.VIEWER, "days=7", r -> production(r).path("deployments").path("deploys").asInt() == 5
        && production(r).path("gate").path("overridden").asInt() == 1 && production(r).path("timeToRestore").path("count").asInt() == 2);
    base = "http://127.0.0.1:" + tollgate.gate().httpPort();
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
    }
    tollgate.close();
  }

  // --------------------------------------------------------------------------------------------- the seeded history

  Instant at(int daysAgo, int hour) {
    return today.minus(Duration.ofDays(daysAgo)).plus(Duration.ofHours(hour));
  }

  static String c(int n) {
    return String.format("%040x", n);
  }

  void seed() throws Exception {
    Topics t = tollgate.topics();
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    // Lead times: c1 2 h, c2 4 h, c3 1 h, c5 4 h.
    evaluation(out, "e1", c(1), c(0), at(6, 10), at(6, 8));
    deploy(out, "d1", "acme", SHOP, "production", c(1), DeployStatus.SUCCEEDED, at(6, 10), "e1");
    evaluation(out, "e2", c(2), c(1), at(5, 10), at(5, 6));
    deploy(out, "d2", "acme", SHOP, "production", c(2), DeployStatus.SUCCEEDED, at(5, 10), "e2");
    evaluation(out, "e3", c(3), c(2), at(4, 10), at(4, 9));
    deploy(out, "d3", "acme", SHOP, "production", c(3), DeployStatus.SUCCEEDED, at(4, 10), "e3");
    // Back to c2 two hours later: c3 was a failed change, restored in 2 h.
    deploy(out, "d4", "acme", SHOP, "production", c(2), DeployStatus.SUCCEEDED, at(4, 12), null);
    // A failed deploy, restored an hour later by c5.
    deploy(out, "d5", "acme", SHOP, "production", c(4), DeployStatus.FAILED, at(3, 10), null);
    evaluation(out, "e5", c(5), c(2), at(3, 11), at(3, 7));
    deploy(out, "d6", "acme", SHOP, "production", c(5), DeployStatus.SUCCEEDED, at(3, 11), "e5");
    // Started, never finished.
    out.add(record(t.deploymentsRecorded(), new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, "d7", "r", "d7", "acme",
        SHOP, "production", c(6), DeployStatus.STARTED, null, Source.API, at(2, 10), null, at(2, 10))));
    // The gate: a secrets block, a hold by the release freeze for 3 h, an override by alice.
    DeployTarget blocked = new DeployTarget("acme", SHOP, "production", c(7), c(5));
    out.add(record(t.probesCompleted(), "e7", ProbeCompleted.of("e7", "e7/secrets", "r", ProbeId.SECRETS, ProbeStatus.FAIL,
        "1 blocking finding", List.of(new Finding("secrets/aws-access-key", Severity.BLOCK, "app.env", 3, "AWS key AKIA…",
            "rotate it", "app.env:secrets/aws-access-key:3", null)), false, null, "w", at(2, 9), at(2, 9), null)));
    out.add(record(t.verdictsReached(), "e7", VerdictReached.of("e7", "r", blocked, Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.SECRETS, "probe secrets failed")), List.of(), "p", at(2, 9),
        at(2, 9), 1, null, false)));
    DeployTarget held = new DeployTarget("acme", SHOP, "production", c(8), c(5));
    out.add(record(t.probesCompleted(), "e8", ProbeCompleted.of("e8", "e8/calendar", "r", ProbeId.CALENDAR, ProbeStatus.FAIL,
        "frozen", List.of(new Finding("calendar/freeze-window", Severity.BLOCK, null, 0, "Change freeze: Release freeze",
            "wait", "calendar:freeze::Release freeze:" + at(2, 0), null)), false, null, "w", at(1, 9), at(1, 9), at(1, 12))));
    out.add(record(t.verdictsReached(), "e8", VerdictReached.of("e8", "r", held, Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR, "probe calendar failed")), List.of(), "p", at(1, 9),
        at(1, 9), 1, at(1, 12), true)));
    out.add(record(t.verdictsReached(), "e8", VerdictReached.of("e8", "r", held, Decision.GO, List.of(), List.of(), "p",
        at(1, 9), at(1, 12), 2, null, false)));
    DeployTarget overridden = new DeployTarget("acme", SHOP, "production", c(9), c(5));
    out.add(record(t.verdictsReached(), "e9", VerdictReached.of("e9", "r", overridden, Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_ERRORED, ProbeId.MIGRATIONS, "probe migrations could not decide")), List.of(), "p",
        at(1, 13), at(1, 13), 1, null, false)));
    out.add(record(t.overridesRecorded(), "e9", OverrideRecorded.vote("e9", "r", "o9", overridden, "alice",
        VoteDecision.APPROVE, "known flaky lock check", 1, at(1, 18), at(1, 14))));
    out.add(record(t.verdictsReached(), "e9", VerdictReached.of("e9", "r", overridden, Decision.OVERRIDDEN,
        List.of(new Reason(ReasonCode.OVERRIDDEN, null, "alice: known flaky lock check")), List.of(), "p", at(1, 13),
        at(1, 14), 2, null, false)));
    // Staging: an approver whose name a spreadsheet would run.
    DeployTarget staging = new DeployTarget("acme", SHOP, "staging", c(9), c(5));
    out.add(record(t.overridesRecorded(), "e10", OverrideRecorded.vote("e10", "r", "o10", staging, FORMULA,
        VoteDecision.APPROVE, "x", 1, at(1, 18), at(1, 14))));
    // globex: three deploys acme must never see.
    for (int i = 0; i < 3; i++) {
      deploy(out, "g" + i, "globex", "https://github.com/globex/app", "production", c(20 + i), DeployStatus.SUCCEEDED,
          at(1, 8 + i), null);
    }
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedKafka.bootstrap(),
        "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> r : out) {
        producer.send(r).get();
      }
    }
  }

  void evaluation(List<ProducerRecord<String, byte[]>> out, String id, String candidate, String baseline, Instant decided,
      Instant firstCommit) {
    Topics t = tollgate.topics();
    DeployTarget target = new DeployTarget("acme", SHOP, "production", candidate, baseline);
    out.add(record(t.probesCompleted(), id, ProbeCompleted.of(id, id + "/pass", "r", ProbeId.of("pass"), ProbeStatus.PASS,
        null, List.of(), false, null, "w", decided.minusSeconds(60), decided.minusSeconds(30), null)
        .withRange(new CommitRange(3, firstCommit, firstCommit.plusSeconds(60), false))));
    out.add(record(t.verdictsReached(), id, VerdictReached.of(id, "r", target, Decision.GO, List.of(), List.of(), "p",
        decided.minusSeconds(60), decided.minusSeconds(20), 1, null, false)));
  }

  void deploy(List<ProducerRecord<String, byte[]>> out, String id, String tenant, String repository, String environment,
      String commit, DeployStatus status, Instant at, String evaluationId) {
    DeploymentRecorded d = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION, evaluationId != null ? evaluationId : id,
        "r", id, tenant, repository, environment, commit, status, null, Source.API, null, at, at);
    out.add(record(tollgate.topics().deploymentsRecorded(), d));
  }

  static ProducerRecord<String, byte[]> record(String topic, DeploymentRecorded d) {
    return new ProducerRecord<>(topic, d.historyKey(), Json.write(d));
  }

  static ProducerRecord<String, byte[]> record(String topic, String key, Object message) {
    return new ProducerRecord<>(topic, key, Json.write(message));
  }

  JsonNode await(String token, String query, Predicate<JsonNode> done) throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(20));
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Api.Response r = tollgate.api(token).get("/api/v1/metrics/delivery?" + query);
      assertEquals(200, r.status(), r.body());
      last = r.json();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the figures never got there: " + last);
  }

  static JsonNode production(JsonNode report) {
    for (JsonNode e : report.path("environments")) {
      if (e.path("environment").asText().equals("production")) {
        return e;
      }
    }
    throw new AssertionError("no production in " + report);
  }

  // --------------------------------------------------------------------------------------------- API

  @Test
  void theApiAnswersTheKnownFiguresOfTheCallersTenantOnly() throws Exception {
    Api.Response r = tollgate.api(TestInstallation.VIEWER).get("/api/v1/metrics/delivery?days=7");
    assertEquals(200, r.status());
    assertTrue(r.header("Server-Timing").startsWith("metrics;dur="), r.header("Server-Timing"));
    JsonNode p = production(r.json());
    assertEquals("UTC", r.json().path("zone").asText());
    assertEquals(5, p.path("deployments").path("deploys").asInt(), "globex's three are not acme's");
    assertEquals(1, p.path("deployments").path("failedDeploys").asInt());
    assertEquals(1, p.path("deployments").path("unfinished").asInt());
    assertEquals(4, p.path("leadTime").path("count").asInt());
    assertEquals(7200, p.path("leadTime").path("medianSeconds").asDouble(), 72);
    assertEquals(14400, p.path("leadTime").path("p90Seconds").asDouble(), 144);
    assertEquals(6, p.path("changeFailures").path("deploys").asInt());
    assertEquals(2, p.path("changeFailures").path("failures").asInt());
    assertEquals(1, p.path("changeFailures").path("rolledBack").asInt());
    assertEquals(0.3333, p.path("changeFailures").path("rate").asDouble(), 0.0001);
    assertEquals(3600, p.path("timeToRestore").path("medianSeconds").asDouble(), 36);
    JsonNode gate = p.path("gate");
    assertEquals(4 + 1, gate.path("go").asInt(), "four deploys' evaluations and the one held, then let through");
    assertEquals(1, gate.path("noGo").asInt());
    assertEquals(1, gate.path("overridden").asInt());
    assertEquals(List.of("calendar/freeze-window", "secrets/aws-access-key"), gate.path("rules").findValuesAsText("ruleId"));
    assertEquals(List.of("calendar", "migrations", "secrets"), gate.path("probes").findValuesAsText("probe"));
    assertEquals(3 * 3600, gate.path("holds").path("seconds").asLong());
    assertEquals("freeze: Release freeze", gate.path("holds").path("calendars").path(0).path("calendar").asText());
    assertEquals("alice", gate.path("overrides").path("approvers").path(0).path("approver").asText());

    JsonNode globex = production(tollgate.api(TestInstallation.OTHER_TENANT).get("/api/v1/metrics/delivery?days=7").json());
    assertEquals(3, globex.path("deployments").path("deploys").asInt());
    assertEquals(0, globex.path("gate").path("overrides").path("votes").asInt(), "nothing of acme's");
    JsonNode admin = production(tollgate.api().get("/api/v1/metrics/delivery?days=7").json());
    assertEquals(8, admin.path("deployments").path("deploys").asInt());
    JsonNode shopOnly = production(tollgate.api().get("/api/v1/metrics/delivery?days=7&repository=" + SHOP).json());
    assertEquals(5, shopOnly.path("deployments").path("deploys").asInt());
  }

  @Test
  void aTenantFilterCannotReachAnotherTenantAndBadInputIsA400() {
    Api viewer = tollgate.api(TestInstallation.VIEWER);
    assertEquals(403, viewer.get("/api/v1/metrics/delivery?tenant=globex").status());
    assertEquals(403, viewer.get("/api/v1/metrics/delivery?tenant=globex&format=csv").status());
    for (String bad : List.of("days=0", "days=91", "days=abc", "environment=nope", "format=xml", "since=2026-01-01")) {
      Api.Response r = viewer.get("/api/v1/metrics/delivery?" + bad);
      assertEquals(400, r.status(), bad + ": " + r.body());
      assertEquals(bad.substring(0, bad.indexOf('=')), r.json().path("field").asText(), bad);
    }
    assertEquals(401, new Api(tollgate.gate().httpPort(), null).get("/api/v1/metrics/delivery").status());
  }

  @Test
  void theCsvExportHasTheFiguresOfTheCallersTenantWithFormulasNeutralised() {
    Api.Response r = tollgate.api(TestInstallation.VIEWER).get("/api/v1/metrics/delivery?days=7&format=csv");
    assertEquals(200, r.status());
    assertTrue(r.header("Content-Type").startsWith("text/csv"));
    String csv = r.body();
    assertTrue(csv.startsWith("environment,period,figure,key,value\r\n"), csv.substring(0, 80));
    String whole = today.minus(Duration.ofDays(6)).toString().substring(0, 10) + "/" + today.toString().substring(0, 10);
    assertTrue(csv.contains("production," + whole + ",deploys,,5\r\n"), csv);
    assertTrue(csv.contains("production," + whole + ",changeFailureRate,,0.3333\r\n"), csv);
    assertTrue(csv.contains("production," + whole + ",ruleBlocked,secrets/aws-access-key,1\r\n"), csv);
    // The formula approver's cell starts with an apostrophe inside quotes: a spreadsheet shows it as text.
    assertTrue(csv.contains("staging," + whole + ",approverVotes,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\",1\r\n"), csv);
    assertFalse(csv.contains("\n=") || csv.contains(",=") || csv.contains("globex"), csv);
    String globex = tollgate.api(TestInstallation.OTHER_TENANT).get("/api/v1/metrics/delivery?days=7&format=csv").body();
    assertTrue(globex.contains("production," + whole + ",deploys,,3\r\n"), globex);
    assertFalse(globex.contains("HYPERLINK") || globex.contains("alice") || globex.contains("aws-access-key"), globex);
  }

  @Test
  void prometheusHasTheFourKeysPerEnvironmentWithNoTenantOrRepositoryLabel() {
    String metrics = new Api(tollgate.gate().httpPort(), null).get("/metrics").body();
    List<String> lines = metrics.lines().filter(l -> l.matches("tollgate_delivery_(deployments_per_day|lead_time_seconds|"
        + "change_failure_ratio|time_to_restore_seconds)\\{.*")).toList();
    assertEquals(2 * 6, lines.size(), "six gauges per configured environment: " + lines);
    // Over the last 30 days, every tenant: 8 deploys (acme 5, globex 3), 2 failed changes of 9, acme's lead times.
    assertEquals(8.0 / 30, gauge(lines, "tollgate_delivery_deployments_per_day{environment=\"production\"}"), 0.0001);
    assertEquals(2.0 / 9, gauge(lines, "tollgate_delivery_change_failure_ratio{environment=\"production\"}"), 0.0001);
    assertEquals(7200, gauge(lines, "tollgate_delivery_lead_time_seconds{environment=\"production\",quantile=\"0.5\"}"), 72);
    assertTrue(Double.isNaN(gauge(lines, "tollgate_delivery_time_to_restore_seconds{environment=\"staging\",quantile=\"0.5\"}")));
    for (String l : lines) {
      String labels = l.substring(l.indexOf('{') + 1, l.indexOf('}'));
      assertTrue(labels.matches("environment=\"(production|staging)\"(,quantile=\"0\\.[59]\")?"), l);
    }
    assertFalse(metrics.contains("acme") || metrics.contains("globex") || metrics.contains("github.com"),
        "no tenant or repository in /metrics");
  }

  static double gauge(List<String> lines, String series) {
    return lines.stream().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1))
        .map(v -> v.equals("NaN") ? Double.NaN : Double.parseDouble(v)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in " + lines));
  }

  @Test
  void aRealEvaluationAndDeployGiveTheLeadTimeFromTheRangesFirstCommit() throws Exception {
    // The worker reads the range (baseline, candidate] of a real repository: its first commit is the second of three.
    // The gate checks from a baseline only when it decided GO for it there (issue 19): the release running in staging.
    tollgate.trust(repo.dir().toString(), "acme", "staging", repo.baseline());
    JsonNode v = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + repo.dir() + "\",\"environment\":"
        + "\"staging\",\"tenant\":\"acme\",\"candidate\":\"" + repo.head() + "\",\"baseline\":\"" + repo.baseline() + "\"}", 30)
        .json();
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    Instant firstCommit;
    try (Git git = Git.open(repo.dir().toFile())) {
      RevCommit head = git.log().setMaxCount(2).call().iterator().next();
      RevCommit parent = git.getRepository().parseCommit(head.getParent(0));
      firstCommit = parent.getAuthorIdent().getWhenAsInstant();
    }
    Instant finished = Instant.now().minusSeconds(5);
    Api.Response d = tollgate.api(TestInstallation.REQUESTER).post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"staging\",\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\",\"deploymentId\":\"ci-77\","
        + "\"evaluationId\":\"" + v.path("id").asText() + "\",\"finishedAt\":\"" + finished + "\",\"ref\":\"main\"}");
    assertEquals(202, d.status(), d.body());
    JsonNode staging = await(TestInstallation.VIEWER, "days=90&environment=staging",
        r -> r.path("environments").path(0).path("leadTime").path("count").asInt() == 1).path("environments").path(0);
    double expected = Duration.between(firstCommit, finished).toSeconds();
    assertEquals(expected, staging.path("leadTime").path("medianSeconds").asDouble(), expected * 0.01);
  }

  // --------------------------------------------------------------------------------------------- the page

  Chrome browser() {
    if (chrome == null) {
      chrome = new Chrome();
      driver = chrome.driver();
    }
    return chrome;
  }

  void signIn(String token, String page) {
    browser();
    driver.manage().deleteAllCookies();
    driver.get(base + page);
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?next="));
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.cssSelector("#signin button")).click();
    chrome.waitUpTo(10).until(d -> !d.getCurrentUrl().contains("/signin"));
  }

  String figure(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  @Test
  void thePageShowsTheKnownNumbersAndEveryChartHasItsTable() {
    signIn(TestInstallation.VIEWER, "/delivery?days=7");
    chrome.waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail[data-environment=production]")));
    String row = "#keys tr[data-environment=production] ";
    assertEquals("0.7", figure(row + "[data-figure=perDay]"));
    assertEquals("2.0 h", figure(row + "[data-figure=leadMedian]"));
    assertEquals("4.0 h", figure(row + "[data-figure=leadP90]"));
    assertEquals("33.3 %", figure(row + "[data-figure=cfr]"));
    assertEquals("1.0 h", figure(row + "[data-figure=ttr]"));
    assertEquals("5", figure("#detail [data-figure=deploys]"));
    assertEquals("1", figure("#detail [data-figure=unfinished]"));
    assertEquals("2 of 6", figure("#detail [data-figure=failures]"));
    assertEquals("1", figure("#detail [data-figure=rolledBack]"));
    assertEquals("2.0 h", figure("#detail [data-figure=ttrP90]"));
    assertEquals("5", figure("#detail [data-figure=go]"));
    assertEquals("3.0 h", figure("#detail [data-figure=heldSeconds]"));
    assertTrue(figure("#blocking-rules").contains("secrets/aws-access-key"));
    assertTrue(figure("#held-calendars").contains("freeze: Release freeze"));
    assertTrue(figure("#approvers").contains("alice"));
    assertFalse(driver.findElement(By.tagName("body")).getText().contains("globex"), "nothing of another tenant");

    java.time.LocalDate last = java.time.LocalDate.ofInstant(today, java.time.ZoneOffset.UTC);
    long weeks = last.minusDays(6).datesUntil(last.plusDays(1)).map(d -> d.with(java.time.DayOfWeek.MONDAY)).distinct().count();
    List<WebElement> charts = driver.findElements(By.cssSelector("figure.chart-figure"));
    assertEquals(5, charts.size(), "frequency, lead time, failure rate, restore, verdicts");
    for (WebElement chart : charts) {
      WebElement svg = chart.findElement(By.cssSelector("svg.chart"));
      assertEquals("img", svg.getAttribute("role"));
      for (String id : svg.getAttribute("aria-labelledby").split(" ")) {
        assertFalse(driver.findElement(By.id(id)).getAttribute("textContent").isBlank(), id);
      }
      WebElement table = chart.findElement(By.cssSelector("details.chart-data table"));
      long bars = chart.getAttribute("id").equals("chart-frequency") ? 7 : weeks; // 7 days, or the ISO weeks they touch
      assertEquals(bars, table.findElements(By.cssSelector("tbody tr")).size(), chart.getAttribute("id"));
      assertFalse(table.isDisplayed(), "the table waits behind its summary");
    }
    // The frequency chart's table has the deploys of each day: 1, 1, 2 (c3 and the rollback), 1, 0, 0, 0.
    WebElement frequency = driver.findElement(By.id("chart-frequency"));
    WebElement summary = frequency.findElement(By.cssSelector("details summary"));
    driver.executeScript("document.getElementById('f-days').focus()");
    for (int i = 0; i < 40 && !summary.equals(driver.switchTo().activeElement()); i++) {
      driver.switchTo().activeElement().sendKeys(Keys.TAB);
    }
    assertEquals(summary, driver.switchTo().activeElement(), "the table is reachable with the keyboard");
    summary.sendKeys(Keys.ENTER);
    WebElement table = frequency.findElement(By.cssSelector("table"));
    chrome.waitUpTo(5).until(d -> table.isDisplayed());
    List<String> succeeded = table.findElements(By.cssSelector("tbody tr td:nth-of-type(1)")).stream().map(WebElement::getText)
        .toList();
    assertEquals(List.of("1", "1", "2", "1", "0", "0", "0"), succeeded);
    chrome.screenshot("delivery");
  }

  @Test
  void everyFigureLinksToItsDefinitionWhichExists() {
    signIn(TestInstallation.VIEWER, "/delivery?days=30");
    chrome.waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.id("detail")));
    List<String> links = driver.findElements(By.cssSelector("#keys thead a, #detail dt a, figure.chart-figure a.definition"))
        .stream().map(a -> a.getAttribute("href")).distinct().toList();
    assertTrue(links.size() >= 5, links.toString());
    for (String href : links) {
      assertTrue(href.startsWith(base + "/docs/delivery-metrics#"), href);
    }
    for (String href : links) {
      driver.get(href);
      String anchor = href.substring(href.indexOf('#') + 1);
      assertNotNull(driver.findElement(By.id(anchor)), href);
      assertTrue(driver.findElement(By.id(anchor)).getTagName().matches("h[1-4]"), href);
    }
  }

  @Test
  void inDarkModeTheChartsTextAndBarsStayReadable() {
    signIn(TestInstallation.VIEWER, "/delivery?days=7");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    driver.navigate().refresh();
    chrome.waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-frequency rect.bar")));
    // WCAG contrast of the chart's labels and of the page's text on the page's background.
    Object ratios = driver.executeScript("""
        const lum = (c) => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
          v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const bg = getComputedStyle(document.body).backgroundColor;
        const tick = getComputedStyle(document.querySelector('#chart-frequency text.tick')).fill;
        const bar = getComputedStyle(document.querySelector('#chart-frequency rect.bar')).fill;
        return [lum(bg), ratio(tick, bg), ratio(bar, bg), ratio(getComputedStyle(document.body).color, bg)];""");
    @SuppressWarnings("unchecked")
    List<Number> r = (List<Number>) ratios;
    assertTrue(r.get(0).doubleValue() < 0.05, "a dark background: " + r);
    assertTrue(r.get(1).doubleValue() >= 4.5, "axis labels: " + r);
    assertTrue(r.get(2).doubleValue() >= 3, "bars (graphics need 3:1): " + r);
    assertTrue(r.get(3).doubleValue() >= 4.5, "text: " + r);
    chrome.screenshot("delivery-dark");
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
  }
}
