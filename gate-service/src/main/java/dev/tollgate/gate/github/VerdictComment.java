package dev.tollgate.gate.github;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.view.EvaluationView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text Tollgate shows on GitHub: the review comment of a verdict (Markdown, at most 1024 characters, GitHub's
 * limit), progress notes and commit status descriptions (at most 140). Everything shown comes from verdict
 * reasons and findings, which probes already redact; on top of that, anything shaped like a GitHub token is
 * masked and mentions, links and HTML from repository content are neutralised, so a file name cannot ping a
 * team or inject a link.
 */
public final class VerdictComment {
  /** GitHub's limit for a deployment protection rule comment. */
  public static final int MAX_COMMENT = 1024;
  /** GitHub's limit for a commit status description. */
  public static final int MAX_DESCRIPTION = 140;

  private static final Pattern TOKEN = Pattern.compile("\\b(gh[opsur]_|github_pat_)[A-Za-z0-9_.-]+");
  private static final Pattern MARKDOWN = Pattern.compile("([\\\\`*_\\[\\]()<>#|~!])");
  private static final int MAX_LINE = 240;

  private VerdictComment() {}

  /**
   * The review comment of a verdict: decision, environment and commit, why (reasons), failing rules (blocking
   * findings, file:line), the next allowed time when the blockers clear by themselves, and the evaluation link.
   *
   * @param view the evaluation as the views know it (its findings), or null when not available
   * @param link {@code <dashboardUrl>/evaluations/<id>}, or null
   */
  public static String verdict(VerdictReached v, EvaluationView view, String link) {
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
    if (!go && view != null) {
      boolean warningsBlock = reasons.stream().anyMatch(r -> r.code() == ReasonCode.WARNINGS_BLOCK);
      List<String> rules = new ArrayList<>();
      for (EvaluationView.ProbeView p : view.probes()) {
        for (Finding f : p.findings()) {
          if (f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN || (warningsBlock && f.severity() == Severity.WARN)) {
            rules.add("- " + code(f.ruleId()) + (f.file() == null ? "" : " " + code(f.file() + (f.line() > 0 ? ":" + f.line() : "")))
                + ": " + text(f.message()));
          }
        }
      }
      if (!rules.isEmpty()) {
        body.add("\n**Failing rules:**");
        body.addAll(rules);
      }
    }
    if (!go && v.retryAt() != null) {
      body.add("\n**Next allowed:** " + time(v.retryAt()) + " (when the blocking windows end)");
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
    String text = "Tollgate: NO_GO for now, held until " + time(v.retryAt()) + "." + first
        + " Tollgate decides again then; the deploy stays pending."
        + (link != null ? " [Evaluation " + shortId(v.evaluationId()) + "](" + link + ")" : "");
    return bounded(text, MAX_COMMENT);
  }

  /** The commit status description of a verdict (at most 140 characters). */
  public static String statusDescription(VerdictReached v) {
    String text;
    if (v.decision() == Decision.OVERRIDDEN) {
      text = "OVERRIDDEN: " + plain(v.reasons().stream().filter(r -> r.code() == dev.tollgate.contracts.verdict.ReasonCode.OVERRIDDEN)
          .map(r -> r.message()).findFirst().orElse("approved by the policy's approvers"));
    } else if (v.decision() == Decision.GO) {
      text = "GO" + (v.reasons().isEmpty() ? "" : " with " + v.reasons().size() + " warning" + (v.reasons().size() == 1 ? "" : "s"));
    } else if (v.held()) {
      text = "NO_GO for now, held until " + time(v.retryAt());
    } else {
      text = "NO_GO: " + (v.reasons().isEmpty() ? "no reason given" : plain(v.reasons().get(0).message()))
          + (v.reasons().size() > 1 ? " (+" + (v.reasons().size() - 1) + " more)" : "");
    }
    return bounded(text, MAX_DESCRIPTION);
  }

  /** Joins head, as many body lines as fit, and tail, within {@code max}; says how many lines were left out. */
  static String fit(String head, List<String> body, String tail, int max) {
    StringBuilder b = new StringBuilder(head);
    int reserve = tail.length() + 40;
    for (int i = 0; i < body.size(); i++) {
      String line = "\n" + body.get(i);
      if (b.length() + line.length() + reserve > max) {
        long left = body.subList(i, body.size()).stream().filter(l -> l.startsWith("- ")).count();
        if (left > 0) {
          b.append("\n- … and ").append(left).append(" more (see the evaluation)");
        }
        break;
      }
      b.append(line);
    }
    b.append('\n').append(tail);
    return bounded(b.toString(), max);
  }

  /** Text from findings and reasons: one line, no Markdown, links, HTML or mentions, tokens masked. */
  static String text(String raw) {
    String t = plain(raw);
    t = MARKDOWN.matcher(t).replaceAll("\\\\$1");
    return t.replace("@", "@\u200b"); // a zero-width space after @ keeps a mention from pinging anyone
  }

  /** One line, bounded, tokens masked; no Markdown escaping (commit status descriptions are plain text). */
  static String plain(String raw) {
    String t = raw == null ? "" : raw.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    t = TOKEN.matcher(t).replaceAll("$1…(redacted)");
    return t.length() > MAX_LINE ? t.substring(0, MAX_LINE) + "…" : t;
  }

  /** An inline code span: nothing inside is rendered, so no mention, link or emphasis. */
  static String code(String raw) {
    String t = plain(raw).replace("`", "'");
    return "`" + (t.length() > 120 ? t.substring(0, 120) + "…" : t) + "`";
  }

  private static String bounded(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }

  private static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  private static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  private static String time(Instant at) {
    return at == null ? "unknown" : at.truncatedTo(ChronoUnit.SECONDS).toString().toUpperCase(Locale.ROOT);
  }
}
