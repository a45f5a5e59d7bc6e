package dev.tollgate.gate.github;

import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.report.ReportText;
import dev.tollgate.gate.view.EvaluationView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The text Tollgate shows on GitHub: the review comment of a verdict (Markdown, at most 1024 characters, GitHub's
 * limit), progress notes and commit status descriptions (at most 140). The text rules (tokens masked, mentions,
 * links and HTML from repository content neutralised, everything bounded) are {@link ReportText}'s, shared with GitLab.
 */
public final class VerdictComment {
  /** GitHub's limit for a deployment protection rule comment. */
  public static final int MAX_COMMENT = 1024;
  /** GitHub's limit for a commit status description. */
  public static final int MAX_DESCRIPTION = 140;

  private VerdictComment() {}

  /**
   * The review comment of a verdict: decision, environment and commit, why (reasons), failing rules (blocking
   * findings, file:line), the next allowed time when the blockers clear by themselves, and the evaluation link.
   *
   * @param view the evaluation as the views know it (its findings), or null when not available
   * @param link {@code <dashboardUrl>/evaluations/<id>}, or null
   */
  public static String verdict(VerdictReached v, EvaluationView view, String link) {
    return verdict(v, view, link, null);
  }

  /**
   * The note of a NO_GO the environment's approvers may still override: the verdict, then who may override it and
   * how. The deploy keeps waiting on GitHub (no rejection).
   */
  public static String awaitingOverride(VerdictReached v, EvaluationView view, String link, OverridePolicy overrides) {
    String who = overrides.approvers().stream().map(a -> code(a)).collect(java.util.stream.Collectors.joining(", "));
    return verdict(v, view, link, "\n**Waiting for an override:** " + overrides.required() + " of " + who
        + " (dashboard, Slack or `POST /api/v1/evaluations/{id}/overrides`); the deploy stays waiting. A new commit gets a new evaluation.");
  }

  /**
   * The check run of a decided verdict: the comment's text as its summary, and each finding with a file and line as an
   * annotation (blocking findings first, at most 50), so GitHub shows them on the commit's and pull request's files.
   *
   * @param summary the comment shown on the deployment (reasons, failing rules, link)
   */
  public static GitHubApi.CheckRun checkRun(VerdictReached v, EvaluationView view, String link, String summary) {
    return checkRun(v, view, link, summary, null);
  }

  /**
   * The check run of a decided verdict, its summary naming where the verdict's signed attestation is.
   *
   * @param attestation the attestation's URL ({@code AttestationLinks}), or a path when no dashboard URL is configured;
   *     null for none
   */
  public static GitHubApi.CheckRun checkRun(VerdictReached v, EvaluationView view, String link, String summary,
      String attestation) {
    if (attestation != null) {
      summary = summary + "\n\n**Signed attestation** of this verdict (in-toto, DSSE; `tollgate verify` checks it): "
          + (attestation.startsWith("/") ? "`GET " + attestation + "` on Tollgate" : attestation);
    }
    String conclusion = v.decision().permitsDeploy() ? "success" : "failure";
    List<GitHubApi.Annotation> blocking = new ArrayList<>();
    List<GitHubApi.Annotation> other = new ArrayList<>();
    if (view != null) {
      for (EvaluationView.ProbeView p : view.probes()) {
        for (dev.tollgate.contracts.probe.Finding f : p.findings()) {
          if (f.file() == null || f.file().isBlank() || f.line() <= 0) {
            continue; // not placeable on a file: the summary carries it
          }
          String level = switch (f.severity()) {
            case BLOCK, UNKNOWN -> "failure";
            case WARN -> "warning";
            default -> "notice";
          };
          String message = plain(f.message()) + (f.fix() == null ? "" : "\nFix: " + plain(f.fix()));
          (level.equals("failure") ? blocking : other).add(new GitHubApi.Annotation(f.file(), f.line(), level,
              bounded(plain(f.ruleId()), 255), bounded(message, 4000)));
        }
      }
    }
    blocking.addAll(other);
    return new GitHubApi.CheckRun(context(v.target().environment()), conclusion, statusDescription(v), summary, link,
        v.evaluationId(), blocking.subList(0, Math.min(50, blocking.size())));
  }

  /** The name of Tollgate's status and check run for {@code environment}. */
  public static String context(String environment) {
    return "tollgate/" + environment;
  }

  /** The rejection of a NO_GO that waited for an override, after an approver rejected the deploy. */
  public static String rejectedByApprover(VerdictReached v, String approver, String detail, String link) {
    String head = "### ⛔ Tollgate: NO_GO for " + code(v.target().environment()) + ", rejected by "
        + code(approver == null ? "an approver" : approver);
    List<String> body = new ArrayList<>();
    body.add("Commit " + code(shortSha(v.target().candidate())) + ": " + text(detail));
    String tail = "\n" + (link != null ? "[Evaluation " + shortId(v.evaluationId()) + "](" + link + ")"
        : "Evaluation " + code(v.evaluationId()));
    return fit(head, body, tail, MAX_COMMENT);
  }

  private static String verdict(VerdictReached v, EvaluationView view, String link, String footer) {
    boolean go = v.decision().permitsDeploy();
    String title = v.decision() == Decision.OVERRIDDEN ? "### ⚠️ Tollgate: NO_GO, OVERRIDDEN"
        : go ? "### ✅ Tollgate: GO" : "### ⛔ Tollgate: NO_GO";
    String head = title + " for " + code(v.target().environment())
        + "\n" + "Commit " + code(shortSha(v.target().candidate()))
        + (v.target().baseline() == null ? " (first deploy: whole tree checked)" : " over " + code(shortSha(v.target().baseline())))
        + (v.revision() > 1 ? ", re-evaluation " + v.revision() : "");
    List<String> body = new ArrayList<>();
    List<Reason> reasons = v.reasons();
    if (!reasons.isEmpty()) {
      body.add(v.decision() == Decision.OVERRIDDEN ? "\n**Overridden, and why it was a NO_GO:**"
          : go ? "\n**Warnings:**" : "\n**Why:**");
      for (Reason r : reasons) {
        body.add("- " + text(r.message()));
      }
    }
    List<String> rules = new ArrayList<>();
    for (ReportText.BlockingFinding f : ReportText.blockingFindings(v, view)) {
      rules.add("- " + code(f.ruleId()) + (f.location() == null ? "" : " " + code(f.location())) + ": " + text(f.message()));
    }
    if (!rules.isEmpty()) {
      body.add("\n**Failing rules:**");
      body.addAll(rules);
    }
    if (!go && v.retryAt() != null) {
      body.add("\n**Next allowed:** " + time(v.retryAt()) + " (when the blocking windows end)");
    }
    if (footer != null) {
      body.add(0, footer); // first, so that it is never the part cut to fit
    }
    String tail = "\n" + (link != null ? "[Evaluation " + shortId(v.evaluationId()) + "](" + link + ")"
        : "Evaluation " + code(v.evaluationId()));
    return fit(head, body, tail, MAX_COMMENT);
  }

  /** The first progress note: the evaluation started. */
  public static String started(String environment, String candidate, String evaluationId, String link) {
    String text = "Tollgate is checking " + code(shortSha(candidate)) + " for " + code(environment) + ". "
        + (link != null ? "[Evaluation " + shortId(evaluationId) + "](" + link + ")" : "Evaluation " + code(evaluationId));
    return bounded(text, MAX_COMMENT);
  }

  /** A progress note for one probe's result. */
  public static String probe(ProbeCompleted result, int answered, int total) {
    String outcome = switch (result.status()) {
      case PASS -> "passed";
      case WARN -> "warned";
      case FAIL -> "found blocking problems";
      case ERROR -> "could not decide";
      default -> "answered " + result.status().name();
    };
    String progress = total > 0 ? " (" + Math.min(answered, total) + " of " + total + " probes answered)" : "";
    return bounded("Tollgate: probe " + code(result.probe().value()) + " " + outcome
        + (result.findings().isEmpty() ? "" : ", " + result.findings().size() + " finding" + (result.findings().size() == 1 ? "" : "s"))
        + progress + ".", MAX_COMMENT);
  }

  /** The progress note of a held NO_GO: the deploy stays pending and is decided again at {@code retryAt}. */
  public static String held(VerdictReached v, String link) {
    String first = v.reasons().isEmpty() ? "" : " " + text(v.reasons().get(0).message()) + ".";
    var code = v.reasons().isEmpty() ? null : v.reasons().get(0).code();
    if (code == dev.tollgate.contracts.verdict.ReasonCode.LOCKED || code == dev.tollgate.contracts.verdict.ReasonCode.QUEUED) {
      // A lock or the queue: "locked by alice: <reason>, until ..." / "queued, 2nd in production: ...".
      return bounded("Tollgate: NO_GO for now:" + first + " Tollgate decides again when "
          + (code == dev.tollgate.contracts.verdict.ReasonCode.LOCKED ? "the lock goes" : "its turn comes")
          + "; the deploy stays pending." + (link != null ? " [Evaluation " + shortId(v.evaluationId()) + "](" + link + ")" : ""),
          MAX_COMMENT);
    }
    String text = "Tollgate: NO_GO for now, held until " + time(v.retryAt()) + "." + first
        + " Tollgate decides again then; the deploy stays pending."
        + (link != null ? " [Evaluation " + shortId(v.evaluationId()) + "](" + link + ")" : "");
    return bounded(text, MAX_COMMENT);
  }

  /** The commit status description of a verdict (at most 140 characters). */
  public static String statusDescription(VerdictReached v) {
    return ReportText.statusDescription(v, MAX_DESCRIPTION);
  }

  static String fit(String head, List<String> body, String tail, int max) {
    return ReportText.fit(head, body, tail, max);
  }

  static String text(String raw) {
    return ReportText.text(raw);
  }

  static String plain(String raw) {
    return ReportText.plain(raw);
  }

  static String code(String raw) {
    return ReportText.code(raw);
  }

  private static String bounded(String text, int max) {
    return ReportText.bounded(text, max);
  }

  private static String shortSha(String sha) {
    return ReportText.shortSha(sha);
  }

  private static String shortId(String id) {
    return ReportText.shortId(id);
  }

  private static String time(Instant at) {
    return ReportText.time(at);
  }
}
