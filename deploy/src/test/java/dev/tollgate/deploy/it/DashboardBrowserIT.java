package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.Chrome;
import dev.tollgate.deploy.testing.DashboardFixture;
import dev.tollgate.deploy.testing.TestInstallation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * The dashboard in real headless Chromium against a real gate, broker and workers: sign in; an evaluation submitted
 * through the API appears in the open list without a reload and turns NO_GO; its page shows the findings with links
 * to the rules' docs; a viewer gets no override controls; an approver's click without a valid CSRF token changes
 * nothing; a viewer of another tenant sees nothing of acme, live or not. Every page is photographed into
 * {@code target/screenshots/}, on a desktop and on a phone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {
  @TempDir
  static Path tmp;
  DashboardFixture f;
  Chrome chrome;
  ChromeDriver driver;
  String base;

  @BeforeAll
  void start() throws Exception {
    f = new DashboardFixture(tmp);
    base = "http://127.0.0.1:" + f.port();
    chrome = new Chrome();
    driver = chrome.driver();
  }

  @AfterAll
  void stop() {
    if (chrome != null) {
      chrome.close();
    }
    f.close();
  }

  /** Signs the browser in with {@code token} through the sign-in page, starting from {@code page}. */
  void signIn(String token, String page) {
    driver.manage().deleteAllCookies();
    driver.get(base + page);
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?next="));
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.cssSelector("#signin button")).click();
    chrome.waitUpTo(10).until(d -> !d.getCurrentUrl().contains("/signin"));
    chrome.waitUpTo(10).until(d -> !d.findElement(By.id("me")).getText().isEmpty());
  }

  String submit(String token, String body) {
    Api.Response r = f.tollgate.api(token).post("/api/v1/evaluations", body);
    assertEquals(202, r.status(), r.body());
    return r.json().path("id").asText();
  }

  String noGo() {
    return noGo("production");
  }

  String noGo(String environment) {
    JsonNode v = f.tollgate.api(TestInstallation.REQUESTER).evaluate(f.request(environment), 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  void awaitLive() {
    chrome.waitUpTo(10).until(ExpectedConditions.textToBe(By.id("live"), "live"));
  }

  @Test
  void signInThenANewEvaluationAppearsWithoutReloadAndTurnsNoGo() {
    driver.manage().deleteAllCookies();
    driver.get(base + "/");
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?next=%2F"));
    driver.findElement(By.id("token")).sendKeys("tg_wrong");
    driver.findElement(By.cssSelector("#signin button")).click();
    WebElement error = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertTrue(error.getText().contains("not valid"), error.getText());
    chrome.screenshot("01-signin");

    signIn(TestInstallation.VIEWER, "/");
    assertEquals(base + "/", driver.getCurrentUrl().replaceAll("\\?.*", ""));
    assertEquals("viewer (viewer)", driver.findElement(By.id("me")).getText());
    awaitLive();
    driver.executeScript("window.__sameDocument = 42;");

    String id = submit(TestInstallation.REQUESTER, f.request("production"));
    chrome.waitUpTo(20).until(d -> d.findElement(By.id("e-" + id)).getText().contains("production"));
    chrome.waitUpTo(30).until(d -> "NO_GO".equals(d.findElement(By.id("e-" + id)).getAttribute("data-decision")));
    assertEquals("NO_GO", driver.findElement(By.cssSelector("#e-" + id + " .badge")).getText());
    assertEquals(42L, driver.executeScript("return window.__sameDocument;"), "the page was never reloaded");
    String staging = submit(TestInstallation.REQUESTER, f.request("staging"));
    chrome.waitUpTo(30).until(d -> "GO".equals(d.findElement(By.id("e-" + staging)).getAttribute("data-decision")));
    chrome.screenshot("02-evaluations");

    // Filters apply to live rows too: with verdict=NO_GO, a GO never appears.
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-verdict"))).selectByValue("NO_GO");
    driver.findElement(By.cssSelector("#filters button")).click();
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("verdict=NO_GO"));
    String go = submit(TestInstallation.REQUESTER, f.request("staging"));
    String next = submit(TestInstallation.REQUESTER, f.request("production"));
    chrome.waitUpTo(30).until(d -> "NO_GO".equals(d.findElement(By.id("e-" + next)).getAttribute("data-decision")));
    assertTrue(driver.findElements(By.id("e-" + go)).isEmpty(), "a GO row under the NO_GO filter");
    assertTrue(driver.findElements(By.cssSelector("#evaluations tbody tr")).stream()
        .allMatch(r -> "NO_GO".equals(r.getAttribute("data-decision"))));
  }

  @Test
  void theDetailShowsTheFindingsAndAViewerGetsNoOverrideControls() {
    String id = noGo();
    signIn(TestInstallation.VIEWER, "/evaluations/" + id);
    assertTrue(driver.getCurrentUrl().endsWith("/evaluations/" + id), "back where the link pointed: " + driver.getCurrentUrl());
    WebElement finding = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr.finding")));
    WebElement rule = finding.findElement(By.cssSelector("a.rule"));
    assertEquals("test/fail", rule.getText());
    assertEquals(base + "/rules/test/fail", rule.getAttribute("href"));
    assertEquals("db/V2__drop.sql:1", finding.findElement(By.cssSelector("code.where")).getText());
    assertTrue(finding.getText().contains("test rule always fails"), finding.getText());
    assertTrue(finding.getText().contains("nothing to do: this is a test probe"), "the fix: " + finding.getText());
    String timeline = driver.findElement(By.id("timeline")).getText();
    assertTrue(timeline.contains("requested by ci") && timeline.contains("fail FAIL") && timeline.contains("verdict"), timeline);
    assertTrue(driver.findElement(By.id("reasons")).getText().contains("fail"), "why");
    assertTrue(driver.findElements(By.id("override")).isEmpty(), "a viewer sees no override controls");
    assertTrue(driver.findElements(By.cssSelector("textarea, input[type=radio]")).isEmpty());
    // ... but is told why (issue 20 item 13), and no finding table is followed by a stray "null" (item 12).
    chrome.waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("override-unavailable"),
        "this token's role is viewer; only approvers vote"));
    assertFalse(driver.findElement(By.id("findings-section")).getText().contains("null"),
        driver.findElement(By.id("findings-section")).getText());
    chrome.screenshot("03-evaluation-viewer");

    driver.get(base + "/rules/calendar/freeze-window");
    assertTrue(driver.findElement(By.tagName("main")).getText().toLowerCase(java.util.Locale.ROOT).contains("freeze"));
    chrome.screenshot("04-rule-docs");
  }

  /**
   * Issue 20 item 13: the form was offered on a NO_GO nobody can override, and the vote then refused. Now an approver
   * is told why instead: no approvers in this environment, or a probe the policy says nobody may override.
   */
  @Test
  void aNoGoNobodyMayOverrideSaysWhyInsteadOfOfferingTheForm() {
    String qa = noGo("qa");
    String vault = noGo("vault");
    signIn(TestInstallation.ALICE, "/evaluations/" + qa);
    chrome.waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("override-unavailable"),
        "no one may override a NO_GO in qa: it has no approvers"));
    assertTrue(driver.findElements(By.id("override")).isEmpty(), "no form");
    driver.get(base + "/evaluations/" + vault);
    chrome.waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("override-unavailable"),
        "Override not possible: nobody may override probe fail failed"));
    assertTrue(driver.findElements(By.id("override")).isEmpty(), "no form");
    chrome.screenshot("05a-not-overridable");
    // The server says the same to the API.
    JsonNode answer = f.tollgate.api(TestInstallation.ALICE).get("/api/v1/evaluations/" + qa + "/overrides").json();
    assertFalse(answer.path("allowed").asBoolean(), answer.toString());
    assertTrue(answer.path("allowed").isBoolean() && f.tollgate.api(TestInstallation.ALICE)
        .get("/api/v1/evaluations/" + noGo() + "/overrides").json().path("allowed").asBoolean(), "alice may override production");
  }

  @Test
  void theEvaluationOffersItsSignedAttestationForDownload() {
    String id = noGo();
    signIn(TestInstallation.VIEWER, "/evaluations/" + id);
    WebElement link = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("attestation")));
    assertEquals("tollgate-" + id + "-r1.intoto.json", link.getAttribute("download"));
    // What the link downloads with the browser's session is the envelope the API serves.
    Object downloaded = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));", link.getAttribute("href"));
    Api.Response api = f.tollgate.api(TestInstallation.VIEWER).get("/api/v1/evaluations/" + id + "/attestation?revision=1"
        + "&waitSeconds=10");
    assertEquals(200, api.status(), api.body());
    assertEquals(api.body(), downloaded);
    assertTrue(api.body().contains("\"payloadType\":\"application/vnd.in-toto+json\""), api.body());
  }

  @Test
  void anApproverCannotActWithoutAValidCsrfToken() {
    String id = noGo();
    signIn(TestInstallation.ALICE, "/evaluations/" + id);
    WebElement form = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("override")));
    // What a forged request looks like: everything right except the token.
    driver.executeScript("document.querySelector('#override input[name=csrf]').value = 'forged';");
    form.findElement(By.id("override-reason")).sendKeys("hotfix for INC-12, verified on staging");
    form.findElement(By.id("override-submit")).click();
    chrome.waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("override-status"), "Refused (403)"));
    JsonNode view = f.tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals("NO_GO", view.path("verdict").path("decision").asText());
    assertEquals(0, view.path("overrides").size(), "nothing was recorded");
    chrome.screenshot("05-override-refused");

    driver.navigate().refresh();
    WebElement fresh = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("override")));
    fresh.findElement(By.id("override-reason")).sendKeys("hotfix for INC-12, verified on staging");
    fresh.findElement(By.id("override-submit")).click();
    chrome.waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("override-status"), "Overridden"));
    // The OVERRIDDEN revision arrives over the live stream: the badge changes without a reload.
    driver.findElement(By.tagName("body")).click();
    chrome.waitUpTo(20).until(ExpectedConditions.textToBePresentInElementLocated(By.id("title"), "OVERRIDDEN"));
    assertTrue(driver.findElement(By.id("timeline")).getText().contains("override approved by alice"));
    chrome.screenshot("06-evaluation-overridden");
  }

  @Test
  void aViewerOfAnotherTenantSeesNothingOfAcmeLiveOrNot() {
    String acmeOld = noGo();
    signIn(TestInstallation.OTHER_TENANT, "/");
    awaitLive();
    String acme = submit(TestInstallation.REQUESTER, f.request("production"));
    String globex = submit(TestInstallation.OTHER_TENANT, f.globexRequest("staging"));
    chrome.waitUpTo(30).until(d -> "GO".equals(d.findElement(By.id("e-" + globex)).getAttribute("data-decision")));
    f.tollgate.api().evaluate(f.request("staging"), 30); // acme's verdicts are out by now, and more of them
    List<WebElement> rows = driver.findElements(By.cssSelector("#evaluations tbody tr"));
    assertFalse(rows.isEmpty());
    assertTrue(driver.findElements(By.id("e-" + acme)).isEmpty() && driver.findElements(By.id("e-" + acmeOld)).isEmpty());
    assertFalse(driver.findElement(By.id("evaluations")).getText().contains(f.repo.dir().toString()), "no acme repository");
    chrome.screenshot("07-tenant-isolation-list");

    driver.get(base + "/evaluations/" + acmeOld);
    WebElement error = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
    assertTrue(error.getText().contains("No such evaluation"), error.getText());
    assertTrue(driver.findElements(By.cssSelector("tr.finding")).isEmpty());
    driver.get(base + "/audit");
    chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit tbody tr")));
    assertFalse(driver.findElement(By.id("audit")).getText().contains(f.repo.dir().toString()));
    driver.get(base + "/environments");
    chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("env-production")));
    assertFalse(driver.findElement(By.id("environments")).getText().contains(f.repo.dir().toString()));
  }

  @Test
  void environmentsShowTheFreezeTheDeployAndTheCalendarAndTheAuditLogExports() throws Exception {
    String id = noGo();
    assertEquals(202, f.tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + id + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"customer outage, fix verified in staging\"}").status());
    // Reported by the requester right after the override: the gate waits for its views to read the OVERRIDDEN verdict.
    assertEquals(202, f.tollgate.api(TestInstallation.REQUESTER).post("/api/v1/deployments", "{\"repository\":\""
        + f.repo.dir() + "\",\"environment\":\"production\",\"commit\":\"" + f.repo.head() + "\",\"status\":\"succeeded\","
        + "\"evaluationId\":\"" + id + "\"}").status());
    signIn(TestInstallation.ADMIN, "/environments");
    WebElement production = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("env-production")));
    chrome.waitUpTo(10).until(d -> d.findElement(By.id("env-production")).getText().contains(f.repo.head().substring(0, 10)));
    assertTrue(production.findElement(By.cssSelector(".cal-status")).getText().contains("Frozen now"));
    assertTrue(production.getText().contains("Next allowed"), production.getText());
    assertTrue(production.findElements(By.cssSelector("li.day.blocked.freeze")).size() >= 2, "a two-day freeze in the grid");
    WebElement eu = driver.findElement(By.id("env-eu"));
    assertTrue(eu.getText().contains("US-VA") && eu.getText().contains("DE-HE"), "a calendar per region: " + eu.getText());
    chrome.screenshot("08-environments");

    driver.get(base + "/audit");
    chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit tbody tr")));
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("f-kind"))).selectByValue("OVERRIDE_APPROVED");
    driver.findElement(By.id("f-actor")).sendKeys("alice");
    driver.findElement(By.cssSelector("#filters button")).click();
    chrome.waitUpTo(10).until(d -> d.findElements(By.cssSelector("#audit tbody tr")).stream()
        .allMatch(r -> r.getText().contains("override approved")));
    String audit = driver.findElement(By.id("audit")).getText();
    assertTrue(audit.contains("alice") && audit.contains("customer outage, fix verified in staging"), audit);
    String csvHref = driver.findElement(By.id("export-csv")).getAttribute("href");
    assertTrue(csvHref.contains("format=csv") && csvHref.contains("kind=OVERRIDE_APPROVED") && csvHref.contains("actor=alice"), csvHref);
    // The browser's own session downloads the export: same filters, CSV.
    Object csv = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", csvHref);
    assertTrue(csv.toString().startsWith("at,kind,decision,") && csv.toString().contains("OVERRIDE_APPROVED"), csv.toString());
    chrome.screenshot("09-audit");
  }

  @Test
  void readableOnAPhoneAndUsableWithTheKeyboard() {
    String id = noGo();
    signIn(TestInstallation.VIEWER, "/");
    try {
      chrome.size(390, 844);
      driver.navigate().refresh();
      chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("e-" + id)));
      assertNoHorizontalScroll("evaluations");
      chrome.screenshot("10-phone-evaluations");
      driver.get(base + "/evaluations/" + id);
      chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr.finding")));
      assertNoHorizontalScroll("evaluation");
      chrome.screenshot("11-phone-evaluation");
      driver.get(base + "/environments");
      chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("env-production")));
      assertNoHorizontalScroll("environments");
      chrome.screenshot("12-phone-environments");
      driver.get(base + "/audit");
      chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#audit tbody tr")));
      assertNoHorizontalScroll("audit");
      chrome.screenshot("13-phone-audit");
    } finally {
      chrome.size(1280, 900);
    }

    // Keyboard only: the first Tab reaches the skip link; Tabs reach an evaluation's link; Enter opens it.
    driver.get(base + "/");
    chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("e-" + id)));
    driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    assertEquals("skip", driver.switchTo().activeElement().getAttribute("class"));
    String href = null;
    for (int i = 0; i < 40 && href == null; i++) {
      driver.switchTo().activeElement().sendKeys(Keys.TAB);
      String h = driver.switchTo().activeElement().getAttribute("href");
      href = h != null && h.contains("/evaluations/") ? h : null;
    }
    assertTrue(href != null, "no evaluation link reachable by Tab");
    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("/evaluations/"));
    chrome.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
  }

  void assertNoHorizontalScroll(String page) {
    Number scroll = (Number) driver.executeScript("return document.documentElement.scrollWidth;");
    Number width = (Number) driver.executeScript("return window.innerWidth;");
    assertTrue(scroll.intValue() <= width.intValue(), page + " scrolls sideways on a phone: " + scroll + " > " + width);
  }

  @Test
  void screenshotsAreWritten() throws Exception {
    // Each page's picture exists once the other tests ran (JUnit runs methods in a deterministic order, not this
    // one last), so take one here that cannot depend on them.
    signIn(TestInstallation.VIEWER, "/");
    Path shot = chrome.screenshot("00-first-page");
    assertTrue(Files.size(shot) > 1000, "a real PNG");
  }

  @Test
  void theEnvironmentsPageShowsTheLockAndOffersLockAndUnlockOnlyToThoseAllowed() {
    signIn(TestInstallation.VIEWER, "/environments");
    WebElement eu = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("env-eu")));
    assertTrue(eu.findElements(By.cssSelector("form.lock")).isEmpty(), "a viewer gets no lock form");

    signIn(TestInstallation.ALICE, "/environments");
    chrome.waitUpTo(10).until(d -> !d.findElement(By.id("env-eu")).findElements(By.cssSelector("form.lock")).isEmpty());
    WebElement form = driver.findElement(By.cssSelector("#env-eu form.lock"));
    form.findElement(By.name("reason")).sendKeys("<b>rolling back</b> the eu database @team");
    form.findElement(By.cssSelector("button")).click();
    WebElement banner = chrome.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#env-eu .lock-banner")));
    assertTrue(banner.getText().contains("Locked by alice: <b>rolling back</b> the eu database @team"), banner.getText());
    assertTrue(driver.findElements(By.cssSelector("#env-eu .lock-banner b")).isEmpty(), "a reason is text, never markup");
    chrome.screenshot("09-environment-locked");

    signIn(TestInstallation.BOB, "/environments");
    chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#env-eu .lock-banner")));
    assertTrue(driver.findElements(By.cssSelector("#env-eu form.unlock")).isEmpty(), "only the holder (or an admin) unlocks");

    signIn(TestInstallation.ALICE, "/environments");
    chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#env-eu form.unlock button"))).click();
    chrome.waitUpTo(20).until(d -> d.findElements(By.cssSelector("#env-eu .lock-banner")).isEmpty());
  }
}
