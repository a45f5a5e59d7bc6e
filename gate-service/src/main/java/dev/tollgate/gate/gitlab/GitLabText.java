package dev.tollgate.gate.gitlab;

import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.report.ReportText;
import dev.tollgate.gate.view.EvaluationView;
import java.util.ArrayList;
import java.util.List;

/**
 * The text Tollgate writes on GitLab: the deployment approval comment (plain text, at most 255 characters, the
 * length of GitLab's {@code deployment_approvals.comment} column) and commit status descriptions. The text rules
 * are {@link ReportText}'s, shared with GitHub: reasons and findings only (which probes already redact), tokens
 * masked, no mention that could ping anyone, everything bounded. The link to the evaluation is always kept whole.
 */
public final class GitLabText {
  /** GitLab's limit for a deployment approval comment (a text column limited to 255). */
  public static final int MAX_COMMENT = 255;
  /** Kept short for GitLab's pipeline views (the column holds 255). */
  public static final int MAX_DESCRIPTION = 140;
  private static final String ATTESTATION = " Attestation: ";
  /** GitLab validates a commit status {@code target_url} to at most 255 characters. */
  public static final int MAX_TARGET_URL = 255;

  private GitLabText() {}

  /**
   * The approval (or rejection) comment: decision, environment and commit, the reasons, the failing rules, the next
   * allowed time when the blockers clear by themselves, and the evaluation link.
   *
   * @param view the evaluation as the views know it (its findings), or null
   * @param link {@code <dashboardUrl>/evaluations/<id>}, or null (the evaluation id is named instead)
   */
  public static String approvalComment(VerdictReached v, EvaluationView view, String link) {
    return approvalComment(v, view, link, null);
  }

  /**
   * The approval comment naming the verdict's signed attestation after the evaluation link, both kept whole. An
   * approval always names it (what a pipeline verifies before deploying; its warnings get the room left). A rejection
   * names it only when its reasons still fit whole: there the reasons are what people need, and the NO_GO's
   * attestation is on the evaluation page. Without a link, or when the two links would not fit, it is left out.
   *
   * @param attestation the attestation's absolute URL, or null
   */
  public static String approvalComment(VerdictReached v, EvaluationView view, String link, String attestation) {
    boolean go = v.decision().permitsDeploy();
    String head = "Tollgate " + v.decision() + " for " + ReportText.bounded(plain(v.target().environment()), 60) + " at "
        + ReportText.shortSha(v.target().candidate()) + (v.revision() > 1 ? " (re-evaluation " + v.revision() + ")" : "");
    List<String> parts = new ArrayList<>();
    List<String> reasons = ReportText.reasons(v).stream().map(GitLabText::plain).toList();
    if (!reasons.isEmpty()) {
      parts.add((go ? "Warnings: " : "Why: ") + String.join("; ", reasons) + ".");
    }
    List<String> rules = new ArrayList<>();
    for (ReportText.BlockingFinding f : ReportText.blockingFindings(v, view)) {
      rules.add(plain(f.ruleId()) + (f.location() == null ? "" : " " + plain(f.location())));
    }
    if (!rules.isEmpty()) {
      parts.add("Failing: " + String.join(", ", rules) + ".");
    }
    if (!go && v.retryAt() != null) {
      parts.add("Next allowed: " + ReportText.time(v.retryAt()) + ".");
    }
    String tail = link != null && link.length() < 150 ? " " + link : " Evaluation " + v.evaluationId();
    // The link is never cut: what does not fit is the middle, which the evaluation shows in full.
    String middle = parts.isEmpty() ? "." : ": " + String.join(" ", parts);
    if (link != null && attestation != null && !attestation.startsWith("/")) {
      int withAttestation = head.length() + tail.length() + ATTESTATION.length() + attestation.length();
      if (withAttestation + (go ? 2 : middle.length()) <= MAX_COMMENT) {
        tail += ATTESTATION + attestation;
      }
    }
    int room = MAX_COMMENT - head.length() - tail.length();
    return head + ReportText.bounded(middle, Math.max(1, room)) + tail;
  }

  /** A commit status description: {@code GO}, {@code NO_GO: <reason> (+n more)} or {@code NO_GO for now, held until ...}. */
  public static String statusDescription(VerdictReached v) {
    return ReportText.statusDescription(v, MAX_DESCRIPTION);
  }

  /** {@code text} cut to {@code max} characters. */
  public static String bounded(String text, int max) {
    return ReportText.bounded(text, max);
  }

  private static String plain(String raw) {
    return ReportText.plainNoMention(raw);
  }
}
