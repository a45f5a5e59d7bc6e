package dev.tollgate.gate.report;

import dev.tollgate.contracts.probe.Finding;
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
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text Tollgate writes on a platform (review comments, approval comments, commit status descriptions), shared by the
 * GitHub and GitLab reporters. Everything shown comes from verdict reasons and findings, which probes already redact;
 * on top of that anything shaped like a credential is masked ({@link #maskTokens}), and mentions, links and HTML from
 * repository content are neutralised, so a file name cannot ping a team or inject a link. Every result is bounded.
 */
public final class ReportText {
  private static final Pattern MARKDOWN = Pattern.compile("([\\\\`*_\\[\\]()<>#|~!])");
  /**
   * Credentials of the platforms Tollgate talks to, Tollgate's own API tokens ({@code tg_} and 43 base64url characters,
   * as {@code Tokens.generate} issues them) and the commonest cloud keys (AWS long-term {@code AKIA} and temporary
   * {@code ASIA} key ids: the prefix and 16 upper-case letters or digits, so "AKIAS" in a word is not one), for text
   * kept otherwise whole. The first group that matched is kept, the rest masked.
   */
  private static final Pattern CREDENTIAL = Pattern.compile(
      "\\b(gh[opsur]_|github_pat_|gl(?:pat|dt|rt|rtr|ptt|cbt|imt|agent|soat|oas|ft|wt|ffct)-|xox[abposre]-|xapp-|sk_live_)"
          + "[A-Za-z0-9_.-]+"
          + "|\\b(tg_)[A-Za-z0-9_-]{40,}"
          + "|\\b(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
  /**
   * An HTTP credential pasted with its header ({@code Authorization: Bearer …}, {@code Basic …}) or a bearer token
   * long enough to be one ("the bearer of bad news" is not): the scheme is kept, the value masked.
   */
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "(?i)(\\bauthorization\\s*:\\s*(?:(?:bearer|basic|token)\\s+)?)[^\\s,;]+"
          + "|(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{16,}");
  /** The password of a URL's userinfo ({@code https://user:pass@host}): the user and host are kept. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s/@:]*:)[^\\s/@]+(?=@)");
  private static final int MAX_LINE = 240;

  private ReportText() {}

  /** Text from findings and reasons for Markdown: one line, no Markdown, links, HTML or mentions, tokens masked. */
  public static String text(String raw) {
    String t = plain(raw);
    t = MARKDOWN.matcher(t).replaceAll("\\\\$1");
    return mentionless(t);
  }

  /**
   * {@code raw} with credential-shaped strings (GitHub, GitLab, Slack, AWS, Stripe, Tollgate's own {@code tg_} tokens,
   * {@code Authorization:} and bearer values, a URL's password) masked and nothing else changed:
   * for text that is kept whole, such as a signed attestation's reasons. Probes redact what they report; this also
   * covers what people type (an override reason).
   */
  public static String maskTokens(String raw) {
    if (raw == null) {
      return null;
    }
    String t = URL_PASSWORD.matcher(raw).replaceAll("$1…(redacted)");
    t = AUTHORIZATION.matcher(t).replaceAll(m -> Matcher.quoteReplacement(kept(m) + "…(redacted)"));
    return CREDENTIAL.matcher(t).replaceAll(m -> Matcher.quoteReplacement(kept(m) + "…(redacted)"));
  }

  /** The first group of {@code m} that matched: the part of a credential kept to say what was masked. */
  private static String kept(MatchResult m) {
    for (int g = 1; g <= m.groupCount(); g++) {
      if (m.group(g) != null) {
        return m.group(g);
      }
    }
    return "";
  }

  /**
   * One line, bounded, credentials masked as {@link #maskTokens} masks them (one mask for everything Tollgate writes to
   * people); no Markdown escaping (commit status descriptions are plain text).
   */
  public static String plain(String raw) {
    String t = raw == null ? "" : raw.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    t = maskTokens(t);
    return t.length() > MAX_LINE ? t.substring(0, MAX_LINE) + "…" : t;
  }

  /** {@link #plain} where a mention cannot ping anyone: for plain-text fields a platform still scans for mentions. */
  public static String plainNoMention(String raw) {
    return mentionless(plain(raw));
  }

  /** An inline code span: nothing inside is rendered, so no mention, link or emphasis. */
  public static String code(String raw) {
    String t = plain(raw).replace("`", "'");
    return "`" + (t.length() > 120 ? t.substring(0, 120) + "…" : t) + "`";
  }

  /** Joins head, as many body lines as fit, and tail, within {@code max}; says how many lines were left out. */
  public static String fit(String head, List<String> body, String tail, int max) {
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

  /** {@code text} cut to {@code max} characters (an ellipsis marks the cut; never half a surrogate pair). */
  public static String bounded(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }

  /**
   * The one-line description of a verdict for a commit status: {@code GO}, {@code GO with 2 warnings},
   * {@code NO_GO for now, held until ...} or {@code NO_GO: <first reason> (+n more)}, at most {@code max} characters.
   */
  public static String statusDescription(VerdictReached v, int max) {
    String text;
    if (v.decision() == Decision.OVERRIDDEN) {
      text = "OVERRIDDEN: " + plain(v.reasons().stream().filter(r -> r.code() == dev.tollgate.contracts.verdict.ReasonCode.OVERRIDDEN)
          .map(r -> r.message()).findFirst().orElse("approved by the policy's approvers"));
    } else if (v.decision() == Decision.GO) {
      text = "GO" + (v.reasons().isEmpty() ? "" : " with " + v.reasons().size() + " warning" + (v.reasons().size() == 1 ? "" : "s"));
    } else if (v.held() && !v.reasons().isEmpty() && (v.reasons().get(0).code() == dev.tollgate.contracts.verdict.ReasonCode.LOCKED
        || v.reasons().get(0).code() == dev.tollgate.contracts.verdict.ReasonCode.QUEUED)) {
      // "NO_GO for now: locked by alice: <reason>, until ..." or "NO_GO for now: queued, 2nd in production: ..."
      text = "NO_GO for now: " + plainNoMention(v.reasons().get(0).message());
    } else if (v.held()) {
      text = "NO_GO for now, held until " + time(v.retryAt());
    } else {
      text = "NO_GO: " + (v.reasons().isEmpty() ? "no reason given" : plain(v.reasons().get(0).message()))
          + (v.reasons().size() > 1 ? " (+" + (v.reasons().size() - 1) + " more)" : "");
    }
    return bounded(text, max);
  }

  /** A finding that made the verdict NO_GO. */
  public record BlockingFinding(String ruleId, String location, String message) {}

  /**
   * The findings of {@code view} that block under {@code v}: BLOCK and unknown severities, and WARN when warnings
   * block. Empty for a GO or without a view.
   */
  public static List<BlockingFinding> blockingFindings(VerdictReached v, EvaluationView view) {
    List<BlockingFinding> out = new ArrayList<>();
    if (v.decision().permitsDeploy() || view == null) {
      return out;
    }
    boolean warningsBlock = v.reasons().stream().anyMatch(r -> r.code() == ReasonCode.WARNINGS_BLOCK);
    for (EvaluationView.ProbeView p : view.probes()) {
      for (Finding f : p.findings()) {
        if (f.severity() == Severity.BLOCK || f.severity() == Severity.UNKNOWN || (warningsBlock && f.severity() == Severity.WARN)) {
          out.add(new BlockingFinding(f.ruleId(), f.file() == null ? null : f.file() + (f.line() > 0 ? ":" + f.line() : ""),
              f.message()));
        }
      }
    }
    return out;
  }

  /** The reasons' messages. */
  public static List<String> reasons(VerdictReached v) {
    return v.reasons().stream().map(Reason::message).toList();
  }

  /** The first 12 characters of a commit id. */
  public static String shortSha(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /** The first 8 characters of an evaluation id. */
  public static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }

  /** An instant to the second, ISO-8601 UTC, or {@code unknown}. */
  public static String time(Instant at) {
    return at == null ? "unknown" : at.truncatedTo(ChronoUnit.SECONDS).toString().toUpperCase(Locale.ROOT);
  }

  private static String mentionless(String t) {
    return t.replace("@", "@\u200b"); // a zero-width space after @ keeps a mention from pinging anyone
  }
}
