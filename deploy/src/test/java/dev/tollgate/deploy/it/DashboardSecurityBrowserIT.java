package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.deploy.testing.Chrome;
import dev.tollgate.deploy.testing.DashboardFixture;
import dev.tollgate.deploy.testing.TestInstallation;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue #19 in real headless Chromium against a real gate, broker and worker. Item 9: {@code /signin?next=%2F%09%2F
 * evil.example%2Fphish} sent the browser to {@code http://evil.example/phish} after signing in; now the server drops a
 * {@code next} that is not a path on this site, and {@code signin.js} applies the same rule to whatever the address
 * says. Item 1 in the dashboard: an approver's own vote shows with a Withdraw button (a change of mind is explicit),
 * and the submitter of a deploy is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardSecurityBrowserIT {
  static final String PHISH = "/\t/evil.example/phish";
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

  static String encoded(String next) {
    return URLEncoder.encode(next, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Signs in on the sign-in page as it is now, and waits until the browser left it. */
  void submitToken(String token) {
    driver.findElement(By.id("token")).sendKeys(token);
    driver.findElement(By.cssSelector("#signin button")).click();
    chrome.waitUpTo(10).until(d -> !d.getCurrentUrl().startsWith(base + "/signin"));
  }

  @Test
  void thePhishingLinkOfTheReviewStaysOnTheGate() {
    driver.manage().deleteAllCookies();
    driver.get(base + "/signin?next=" + encoded(PHISH));
    assertEquals(base + "/signin", driver.getCurrentUrl(), "the server drops a next that leaves the site");

    // The page's own rule, for whatever the address says (a next the server never saw): each attack stays here.
    for (String next : List.of(PHISH, "//evil.example/phish", "/\\evil.example/phish", "https://evil.example/phish",
        "/\n/evil.example")) {
      driver.manage().deleteAllCookies();
      driver.get(base + "/signin");
      driver.executeScript("history.replaceState(null, '', '/signin?next=' + arguments[0]);", encoded(next));
      submitToken(TestInstallation.VIEWER);
      URI landed = URI.create(driver.getCurrentUrl());
      assertEquals(base + "/", landed.getScheme() + "://" + landed.getAuthority() + landed.getPath(),
          "after signing in with next=" + next.replace("\t", "\\t").replace("\n", "\\n"));
    }
    chrome.screenshot("19-signin-phishing-next-stays");

    // The happy path beside it: a path on the site is where the user goes.
    driver.manage().deleteAllCookies();
    driver.get(base + "/signin?next=" + encoded("/environments"));
    submitToken(TestInstallation.VIEWER);
    assertEquals(base + "/environments", driver.getCurrentUrl().replaceAll("\\?.*", ""));
  }

  String noGo(String token) {
    JsonNode v = f.tollgate.api(token).evaluate(f.request("production"), 30).json();
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    return v.path("id").asText();
  }

  void signIn(String token, String page) {
    driver.manage().deleteAllCookies();
    driver.get(base + page);
    chrome.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?next="));
    submitToken(token);
    chrome.waitUpTo(10).until(d -> !d.findElement(By.id("me")).getText().isEmpty());
  }

  @Test
  void anApproverSeesTheirVoteAndWithdrawsItThenMayVoteAgain() throws Exception {
    String id = noGo(TestInstallation.REQUESTER);
    signIn(TestInstallation.ALICE, "/evaluations/" + id);
    WebElement form = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("override")));
    form.findElement(By.cssSelector("input[value=reject]")).click();
    form.findElement(By.id("override-reason")).sendKeys("the migration needs a second look first");
    form.findElement(By.id("override-submit")).click();
    WebElement mine = chrome.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("my-vote")));
    assertTrue(mine.getText().startsWith("You rejected the deploy (revision 1)"), mine.getText());
    assertTrue(driver.findElements(By.id("override")).isEmpty(), "no second vote while one stands");
    assertTrue(driver.findElement(By.id("timeline")).getText().contains("deploy rejected by alice (revision 1)"));
    chrome.screenshot("19-dashboard-my-vote");

    driver.findElement(By.id("withdraw-submit")).click();
    chrome.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("override")));
    assertTrue(driver.findElement(By.id("override-status")).getText().contains("Withdrawn"), driver.getPageSource());
    JsonNode view = f.tollgate.api().get("/api/v1/evaluations/" + id).json();
    assertEquals(0, view.path("votes").size(), view.toString());
    for (int i = 0; i < 200 && f.tollgate.gate().views().audit().list(a -> a.evaluationId().equals(id)
        && a.kind() == AuditKind.OVERRIDE_WITHDRAWN, 1).isEmpty(); i++) {
      Thread.sleep(25);
    }
    assertEquals("alice", f.tollgate.gate().views().audit().list(a -> a.evaluationId().equals(id)
        && a.kind() == AuditKind.OVERRIDE_WITHDRAWN, 1).get(0).actor());
  }

  @Test
  void theApproverWhoSubmittedTheDeployIsRefusedInTheDashboard() {
    String own = noGo(TestInstallation.ALICE);
    signIn(TestInstallation.ALICE, "/evaluations/" + own);
    // The dashboard asks the gate first (GET .../overrides) and shows why instead of a form that could only fail.
    WebElement why = chrome.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("override-unavailable")));
    assertTrue(why.getText().contains("author of this deploy"), why.getText());
    assertTrue(driver.findElements(By.id("override")).isEmpty(), "no vote form for the deploy's own submitter");
    chrome.screenshot("19-dashboard-own-deploy");
    // The server judges the vote itself, whatever a client shows: the same person's vote sent directly is refused.
    var vote = f.tollgate.api(TestInstallation.ALICE).post("/api/v1/evaluations/" + own + "/overrides",
        "{\"decision\":\"approve\",\"reason\":\"my own change, I promise it is fine\"}");
    assertEquals(403, vote.status(), vote.body());
    assertTrue(vote.body().contains("author of this deploy"), vote.body());
    assertEquals("NO_GO", f.tollgate.api().get("/api/v1/evaluations/" + own).json().path("verdict").path("decision").asText());
  }
}
