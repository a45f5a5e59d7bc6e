package dev.tollgate.gate.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeId;
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

/** What Tollgate writes on GitLab: within 255 characters, with the reasons and the link, never a token or a mention. */
class GitLabTextTest {
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final DeployTarget TARGET = new DeployTarget("acme", "https://gitlab.example.com/acme/shop.git", "production", SHA, null);
  static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");
  static final String ID = "0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11";
  static final String LINK = "https://tollgate.example.com/evaluations/" + ID;

  static VerdictReached verdict(Decision d, List<Reason> reasons, Instant retryAt, boolean held) {
    return VerdictReached.of(ID, "req", TARGET, d, reasons, List.of(), "server:1", AT, AT.plusSeconds(2), 1, retryAt, held);
  }

  static EvaluationView view(List<Finding> findings) {
    var probe = new EvaluationView.ProbeView("migrations", true, "FAIL", "1 blocking", null, 10L, "w1", findings, false);
    return new EvaluationView(ID, "COMPLETE", "acme", TARGET.repository(), "production", SHA, null, "GITLAB", "jsmith", "req", AT,
        null, List.of(probe), List.of(), null);
  }

  static Finding finding(String rule, String file, int line, String message) {
    return new Finding(rule, Severity.BLOCK, file, line, message, "fix it", file + ":" + rule + ":" + line, SHA);
  }

  @Test
  void aRejectionNamesTheReasonsTheFailingRulesTheNextAllowedTimeAndEndsWithTheLink() {
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS, "probe migrations failed")),
        Instant.parse("2026-12-01T09:00:00Z"), false);
    String c = GitLabText.approvalComment(v, view(List.of(finding("migration/drop-column", "db/V2__drop.sql", 1, "drops"))), LINK);
    assertEquals("Tollgate NO_GO for production at 3f2c9a1b8e7d: Why: probe migrations failed. Failing: migration/drop-column "
        + "db/V2__drop.sql:1. Next allowed: 2026-12-01T09:00:00Z. " + LINK, c);
    assertTrue(c.length() <= GitLabText.MAX_COMMENT);
  }

  @Test
  void anApprovalIsShortAndWithoutADashboardNamesTheEvaluation() {
    assertEquals("Tollgate GO for production at 3f2c9a1b8e7d. Evaluation " + ID,
        GitLabText.approvalComment(verdict(Decision.GO, List.of(), null, false), null, null));
  }

  @Test
  void neverExceeds255CharactersAndKeepsTheLinkWhole() {
    List<Finding> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(finding("migration/drop-column", "db/V" + i + "__a_rather_long_migration_file_name.sql", i + 1, "x"));
    }
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, null, "y".repeat(2000))), null, false);
    String c = GitLabText.approvalComment(v, view(many), LINK);
    assertTrue(c.length() <= GitLabText.MAX_COMMENT, "length " + c.length());
    assertTrue(c.endsWith(" " + LINK), c);
    assertTrue(c.contains("…"), "the cut is marked: " + c);
    var longEnvironment = VerdictReached.of(ID, "req", new DeployTarget("acme", TARGET.repository(), "e".repeat(300), SHA, null),
        Decision.GO, List.of(), List.of(), "server:1", AT, AT, 1, null, false);
    assertTrue(GitLabText.approvalComment(longEnvironment, null, LINK).length() <= GitLabText.MAX_COMMENT);
  }

  @Test
  void tokensAreMaskedAndMentionsCannotPing() {
    String token = "glpat-AbCdEf0123456789xyzW";
    var v = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_ERRORED, null, "clone failed with " + token
        + " cc @acme/admins")), null, false);
    String c = GitLabText.approvalComment(v, null, LINK);
    assertFalse(c.contains(token) || c.contains("AbCdEf0123"), c);
    assertTrue(c.contains("glpat-…(redacted)"), c);
    assertFalse(c.contains("@acme/admins"), "a mention would ping the group: " + c);
    String status = GitLabText.statusDescription(v);
    assertFalse(status.contains("AbCdEf0123"), status);
    assertTrue(status.length() <= GitLabText.MAX_DESCRIPTION);
  }

  @Test
  void aHeldVerdictSaysUntilWhen() {
    var held = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.CALENDAR, "freeze")),
        Instant.parse("2026-11-27T08:00:00Z"), true);
    assertEquals("NO_GO for now, held until 2026-11-27T08:00:00Z", GitLabText.statusDescription(held));
  }

  @Test
  void anApprovalNamesTheSignedAttestationAfterTheLinkBothWhole() {
    String attestation = dev.tollgate.gate.attestation.AttestationLinks.url("https://tollgate.example.com", ID, 1);
    var go = verdict(Decision.GO, List.of(new Reason(ReasonCode.WARNING, ProbeId.MIGRATIONS, "probe migrations warned "
        + "x".repeat(300))), null, false);
    String c = GitLabText.approvalComment(go, null, LINK, attestation);
    assertTrue(c.endsWith(" " + LINK + " Attestation: " + attestation), c);
    assertTrue(c.length() <= GitLabText.MAX_COMMENT, c.length() + ": " + c);
    assertTrue(c.startsWith("Tollgate GO for production at 3f2c9a1b8e7d: Warnings: "), "warnings get the room left: " + c);
    // A dashboard URL so long that both links cannot fit: the evaluation link stays, the attestation goes.
    String longBase = "https://tollgate.example.com/" + "p".repeat(31);
    String c2 = GitLabText.approvalComment(go, null, longBase + "/evaluations/" + ID,
        dev.tollgate.gate.attestation.AttestationLinks.url(longBase, ID, 1));
    assertTrue(c2.endsWith(longBase + "/evaluations/" + ID) && c2.length() <= GitLabText.MAX_COMMENT, c2);
  }

  @Test
  void aRejectionKeepsItsReasonsWholeAndNamesTheAttestationOnlyWhenBothFit() {
    String attestation = dev.tollgate.gate.attestation.AttestationLinks.url("https://tollgate.example.com", ID, 1);
    var noGo = verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.MIGRATIONS,
        "probe migrations failed: 1 blocking finding")), null, false);
    String c = GitLabText.approvalComment(noGo, view(List.of(finding("migration/drop-column", "db/V2__drop.sql", 1, "drops"))),
        LINK, attestation);
    assertTrue(c.contains("Why: probe migrations failed: 1 blocking finding. Failing: migration/drop-column db/V2__drop.sql:1."),
        c);
    assertTrue(c.endsWith(" " + LINK), "no room for both: the reasons win: " + c);
    String shortBase = "https://t.example";
    String fits = GitLabText.approvalComment(verdict(Decision.NO_GO, List.of(new Reason(ReasonCode.PROBE_FAILED,
        ProbeId.MIGRATIONS, "probe migrations failed")), null, false), null, shortBase + "/evaluations/" + ID,
        dev.tollgate.gate.attestation.AttestationLinks.url(shortBase, ID, 1));
    assertTrue(fits.contains("Why: probe migrations failed.") && fits.endsWith("/attestation?revision=1"), fits);
  }
}
