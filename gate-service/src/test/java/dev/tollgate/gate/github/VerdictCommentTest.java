package dev.tollgate.gate.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.view.EvaluationView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Tollgate writes on GitHub: within GitHub's limits, with the reasons, never a secret, a mention or a link from content. */
class VerdictCommentTest {
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final String BASE = "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344";
  static final DeployTarget TARGET = new DeployTarget("acme", "https://github.com/acme/shop", "production", SHA, BASE);
  static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");
  static final String LINK = "https://tollgate.example.com/evaluations/0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11";

  static VerdictReached verdict(Decision d, List<Reason> reasons, Instant retryAt, boolean held) {
    return VerdictReached.of("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req", TARGET, d, reasons, List.of(), "server:1", AT,
        AT.plusSeconds(2), 1, retryAt, held);
  }

  static EvaluationView view(List<Finding> findings) {
    var probe = new EvaluationView.ProbeView("migrations", true, "FAIL", "1 blocking", null, 10L, "w1", findings, false);
    return new EvaluationView("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "COMPLETE", "acme", TARGET.repository(), "production",
        SHA, BASE, "GITHUB", "octocat", "req", AT, null, List.of(probe), List.of(), null);
  }

  static Finding finding(String rule, String file, int line, String message) {
    return new Finding(rule, Severity.BLOCK, file, line, message, "fix it", file + ":" + rule + ":" + line, SHA);
  }

  @Test
  void aNoGoNamesTheReasonsTheFailingRulesTheNextAllowedTimeAndLinksTheEvaluation() {
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed: 1 blocking finding")),
        Instant.parse("2026-12-01T09:00:00Z"), false);
    String c = VerdictComment.verdict(v, view(List.of(finding("migration/drop-column", "db/V2__drop.sql", 1,
        "Migration drops a column that the running release may still read."))), LINK);
    assertTrue(c.startsWith("### ⛔ Tollgate: NO_GO for `production`"), c);
    assertTrue(c.contains("Commit `3f2c9a1b8e7d` over `a1b2c3d4e5f6`"), c);
    assertTrue(c.contains("- probe migrations failed: 1 blocking finding"), c);
    assertTrue(c.contains("- `migration/drop-column` `db/V2__drop.sql:1`: Migration drops a column"), c);
    assertTrue(c.contains("**Next allowed:** 2026-12-01T09:00:00Z"), c);
    assertTrue(c.endsWith("[Evaluation 0b6c2f0e](" + LINK + ")"), c);
  }

  @Test
  void aGoListsItsWarningsAndWithoutADashboardNamesTheEvaluationId() {
    var v = verdict(Decision.GO, List.of(new Reason(ReasonCode.WARNING, ProbeId.SECRETS, "probe secrets warned: 1 finding")), null, false);
    String c = VerdictComment.verdict(v, null, null);
    assertTrue(c.startsWith("### ✅ Tollgate: GO for `production`"), c);
    assertTrue(c.contains("**Warnings:**\n- probe secrets warned: 1 finding"), c);
    assertTrue(c.endsWith("Evaluation `0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11`"), c);
    assertFalse(c.contains("Next allowed"), c);
  }

  @Test
  void neverExceeds1024CharactersAndSaysHowManyLinesWereLeftOut() {
    List<Finding> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(finding("migration/drop-column", "db/V" + i + "__a_rather_long_migration_file_name_to_fill_the_comment.sql", i + 1,
          "Migration drops a column that the running release may still read. ".repeat(5)));
    }
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed")), null, false);
    String c = VerdictComment.verdict(v, view(many), LINK);
    assertTrue(c.length() <= VerdictComment.MAX_COMMENT, "length " + c.length());
    assertTrue(c.matches("(?s).*- … and \\d+ more \\(see the evaluation\\).*"), c);
    assertTrue(c.endsWith("(" + LINK + ")"), "the link survives truncation: " + c);
    String note = VerdictComment.held(verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, null, "x".repeat(5000))),
        AT, true), LINK);
    assertTrue(note.length() <= VerdictComment.MAX_COMMENT, "length " + note.length());
    String status = VerdictComment.statusDescription(verdict(Decision.NO_GO,
        List.of(new Reason(ReasonCode.PROBE_FAILED, null, "y".repeat(500))), null, false));
    assertTrue(status.length() <= VerdictComment.MAX_DESCRIPTION, "length " + status.length());
  }

  @Test
  void platformTextMasksWhatTypedReasonsMaskOneMaskForBoth() {
    // A reason reaches the commit status and the comment from a probe's error, a config value or what someone typed:
    // the platform text masks every credential shape the typed reasons do, not only the platforms' own tokens.
    String tollgate = "tg_" + "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP2r";
    String slack = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    String aws = "AKIA" + "IOSFODNN7EXAMPLF";
    String url = "https://deploy:" + "s3cr3t-passw0rd" + "@git.example.com/acme/shop.git";
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_ERRORED, null, "clone with " + url + " failed; token "
        + tollgate + ", " + slack + ", " + aws)), null, false);
    for (String text : List.of(VerdictComment.statusDescription(v), VerdictComment.verdict(v, view(List.of()), LINK))) {
      for (String secret : List.of("Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kM9nP2r", "AbCdEfGhIjKlMnOpQrStUvWx", "IOSFODNN7EXAMPLF",
          "s3cr3t-passw0rd")) {
        assertFalse(text.contains(secret), secret + " in " + text);
      }
    }
  }

  @Test
  void tokensAreMaskedAndMentionsLinksAndHtmlFromContentAreNeutralised() {
    String token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_ERRORED, null, "clone failed with " + token
        + " for @acme/admins see [here](https://evil.example) <img src=x>")), null, false);
    String c = VerdictComment.verdict(v, view(List.of(finding("secrets/github-pat", "`@acme/ops`.env", 2,
        "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz found"))), LINK);
    assertFalse(c.contains(token), c);
    assertFalse(c.contains("16C7e42F292c6912"), c);
    assertFalse(c.contains("github_pat_11ABCDEFG"), c);
    assertTrue(c.contains("ghs\\_…\\(redacted\\)"), "masked, and Markdown-escaped: " + c);
    assertFalse(c.contains("@acme/admins"), "a mention would ping the team: " + c);
    assertFalse(c.contains("[here](https://evil.example)"), "content must not become a link: " + c);
    assertTrue(c.contains("\\<img") && !c.matches("(?s).*[^\\\\]<img.*"), "HTML is escaped into text: " + c);
    assertTrue(c.contains("`'@acme/ops'.env:2`"), "backticks in a file name cannot close the code span: " + c);
  }

  @Test
  void heldAndProgressNotesSayWhatIsGoingOn() {
    var held = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR, "probe calendar failed: freeze window")),
        Instant.parse("2026-11-27T08:00:00Z"), true);
    assertEquals("Tollgate: NO_GO for now, held until 2026-11-27T08:00:00Z. probe calendar failed: freeze window. Tollgate decides "
        + "again then; the deploy stays pending. [Evaluation 0b6c2f0e](" + LINK + ")", VerdictComment.held(held, LINK));
    assertEquals("NO_GO for now, held until 2026-11-27T08:00:00Z", VerdictComment.statusDescription(held));
    var result = ProbeCompleted.of("ev", "ev/secrets", "req", ProbeId.SECRETS, ProbeStatus.PASS, null, List.of(), false, null, "w1",
        AT, AT, null);
    assertEquals("Tollgate: probe `secrets` passed (2 of 5 probes answered).", VerdictComment.probe(result, 2, 5));
    assertEquals("GO", VerdictComment.statusDescription(verdict(Decision.GO, List.of(), null, false)));
  }

  @Test
  void anOverridableNoGoSaysWhoMayOverrideItFirstEvenWhenTheRestIsCut() {
    List<Finding> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(finding("migration/drop-column", "db/V" + i + "__drop.sql", 1, "Migration drops a column. ".repeat(5)));
    }
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed")),
        null, false);
    var overrides = new dev.tollgate.gate.policy.OverridePolicy(List.of("alice", "@bob"), 2, java.time.Duration.ofHours(4),
        java.util.Set.of(ProbeId.SECRETS));
    String c = VerdictComment.awaitingOverride(v, view(many), LINK, overrides);
    assertTrue(c.length() <= VerdictComment.MAX_COMMENT, "length " + c.length());
    assertTrue(c.startsWith("### ⛔ Tollgate: NO_GO for `production`"), c);
    assertTrue(c.contains("**Waiting for an override:** 2 of `alice`, `@bob`"), "approver names are code, never mentions: " + c);
    assertTrue(c.contains("more (see the evaluation)") && c.endsWith(")"), c);
  }

  @Test
  void aCheckRunPutsFindingsOnTheirLinesBlockingFirstAtMostFifty() {
    List<Finding> findings = new ArrayList<>();
    findings.add(new Finding("rollback/blast-radius", dev.tollgate.contracts.probe.Severity.WARN, null, 0, "60 commits", null, "fp0", null));
    for (int i = 1; i <= 60; i++) {
      findings.add(new Finding("parity/missing-key", dev.tollgate.contracts.probe.Severity.WARN, "config/prod.yml", i, "key " + i, null,
          "w" + i, null));
    }
    findings.add(finding("migration/drop-column", "db/V2__drop.sql", 3, "Migration drops a column."));
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed")),
        null, false);
    GitHubApi.CheckRun run = VerdictComment.checkRun(v, view(findings), LINK, "summary");
    assertEquals("tollgate/production", run.name());
    assertEquals("failure", run.conclusion());
    assertEquals(50, run.annotations().size(), "GitHub's limit per request");
    assertEquals("db/V2__drop.sql", run.annotations().get(0).path(), "the blocking finding first");
    assertEquals("failure", run.annotations().get(0).level());
    assertTrue(run.annotations().get(0).message().startsWith("Migration drops a column.\nFix: "), run.annotations().get(0).message());
    assertEquals("warning", run.annotations().get(1).level());
    assertTrue(run.annotations().stream().noneMatch(a -> a.title().equals("rollback/blast-radius")), "no file: summary only");
    assertEquals(LINK, run.detailsUrl());
    var go = verdict(Decision.GO, List.of(), null, false);
    assertEquals("success", VerdictComment.checkRun(go, null, null, "ok").conclusion());
  }

  @Test
  void theCheckRunSummaryNamesTheSignedAttestation() {
    var go = verdict(Decision.GO, List.of(), null, false);
    String url = dev.tollgate.gate.attestation.AttestationLinks.url("https://tollgate.example.com", go.evaluationId(), 1);
    GitHubApi.CheckRun run = VerdictComment.checkRun(go, null, LINK, "ok", url);
    assertTrue(run.summary().startsWith("ok\n\n**Signed attestation**"), run.summary());
    assertTrue(run.summary().endsWith(url), run.summary());
    String path = dev.tollgate.gate.attestation.AttestationLinks.url(null, go.evaluationId(), 1);
    assertTrue(VerdictComment.checkRun(go, null, null, "ok", path).summary().endsWith("`GET " + path + "` on Tollgate"));
  }
}
