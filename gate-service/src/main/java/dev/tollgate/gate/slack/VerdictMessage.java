package dev.tollgate.gate.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Block Kit message of an evaluation (protocols §3.4): repository, environment, candidate and author, the
 * verdict and why, each probe's status, the top findings, the next allowed time of a held or calendar-blocked NO_GO,
 * the override votes, a dashboard link, and — for a NO_GO the policy lets approvers override — "Approve override"
 * and "Reject" buttons carrying only the evaluation id (everything else is looked up when someone clicks).
 *
 * <p>A pure function of the view, the policy and the link: the same evaluation renders the same bytes, so the
 * reporter can skip an update that would change nothing. Times use Slack's {@code <!date>} so each reader sees
 * their own time zone. Text from repositories and people is escaped (no mention, link or formatting can be
 * injected), token-shaped strings are masked, and findings of the {@code secrets} probe show only rule and place,
 * never the message: a secret value must not reach a channel even if a probe failed to redact it.
 */
public final class VerdictMessage {
  /** {@code action_id} of the approve button. */
  public static final String APPROVE = "tollgate.approve";
  /** {@code action_id} of the reject button. */
  public static final String REJECT = "tollgate.reject";
  /** {@code action_id} of the button that takes the clicker's own vote back (shown once someone voted). */
  public static final String WITHDRAW = "tollgate.withdraw";
  static final int MAX_FINDINGS = 5;
  static final int MAX_REASONS = 8;
  /** Slack's limit for a section's text is 3000 characters. */
  static final int MAX_SECTION = 2900;
  private static final int MAX_LINE = 200;
  private static final Pattern TOKEN = Pattern.compile(
      "\\b(xox[abposre]-|xapp-|gh[opsur]_|github_pat_|glpat-|AKIA|sk_live_)[A-Za-z0-9_.\\-]+");

  private VerdictMessage() {}

  /**
   * The message: {@code {text, blocks}} for {@code chat.postMessage} / {@code chat.update}.
   *
   * @param policy the environment's override policy, or null when the environment is no longer configured (no
   *     buttons then)
   * @param link {@code <dashboardUrl>/evaluations/<id>}, or null
   * @param buttons false for replies that only inform ({@code /tollgate status})
   */
  public static ObjectNode render(EvaluationView view, OverridePolicy policy, String link, boolean buttons) {
    ObjectNode message = Json.mapper().createObjectNode();
    String state = state(view);
    message.put("text", "Tollgate " + state + ": " + plain(shortRepo(view.repository())) + " to " + plain(view.environment())
        + " (" + shortSha(view.candidate()) + ")");
    ArrayNode blocks = message.putArray("blocks");

    blocks.addObject().put("type", "header").set("text", plainText(bounded(emoji(view) + " " + state + ": "
        + plain(shortRepo(view.repository())) + " → " + plain(view.environment()), 150)));

    ObjectNode facts = blocks.addObject().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    fields.add(mrkdwn("*Repository*\n" + code(view.repository())));
    fields.add(mrkdwn("*Environment*\n" + code(view.environment())));
    fields.add(mrkdwn("*Candidate*\n" + code(shortSha(view.candidate()))
        + (view.baseline() == null ? " (first deploy)" : " over " + code(shortSha(view.baseline())))));
    fields.add(mrkdwn("*Author*\n" + (view.requestedBy() == null ? "unknown" : text(view.requestedBy()))));
    fields.add(mrkdwn("*Verdict*\n" + verdictLine(view)));

    EvaluationView.Verdict v = view.verdict();
    var firstCode = v == null || v.reasons().isEmpty() ? null : v.reasons().get(0).code();
    if (v != null && v.held() && firstCode == dev.tollgate.contracts.verdict.ReasonCode.LOCKED) {
      blocks.add(section(":lock: *Locked*: Tollgate decides again when the lock goes (at the latest " + date(v.retryAt()) + ")."));
    } else if (v != null && v.held() && firstCode == dev.tollgate.contracts.verdict.ReasonCode.QUEUED) {
      blocks.add(section(":hourglass_flowing_sand: *Queued*: Tollgate decides again when a deploy in flight finishes."));
    } else if (v != null && "NO_GO".equals(v.decision()) && v.retryAt() != null) {
      blocks.add(section(v.held()
          ? ":hourglass_flowing_sand: *Held* until " + date(v.retryAt()) + ": Tollgate decides again when the blocking windows end."
          : ":calendar: *Next allowed:* " + date(v.retryAt()) + " (when the blocking windows end)."));
    }
    if (v != null && !v.reasons().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (Reason r : v.reasons().subList(0, Math.min(MAX_REASONS, v.reasons().size()))) {
        lines.add("• " + text(r.message()));
      }
      if (v.reasons().size() > MAX_REASONS) {
        lines.add("• … and " + (v.reasons().size() - MAX_REASONS) + " more");
      }
      String title = "OVERRIDDEN".equals(v.decision()) ? "*Overridden, and why it was a NO_GO*"
          : "GO".equals(v.decision()) ? "*Warnings*" : "*Why*";
      blocks.add(section(title + "\n" + String.join("\n", lines)));
    }

    if (!view.probes().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (EvaluationView.ProbeView p : view.probes()) {
        lines.add(probeEmoji(p.status()) + " " + code(p.probe()) + " " + p.status()
            + (Boolean.FALSE.equals(p.required()) ? " (optional)" : "")
            + (p.durationMs() == null ? "" : " · " + p.durationMs() + " ms")
            + (p.reason() == null || p.status().equals("PASS") ? "" : " — " + text(p.reason())));
      }
      blocks.add(section("*Probes*\n" + String.join("\n", lines)));
    }

    List<String> findings = topFindings(view);
    if (!findings.isEmpty()) {
      blocks.add(section("*Top findings*\n" + String.join("\n", findings)));
    }

    if (!view.overrides().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (EvaluationView.OverrideView o : view.overrides()) {
        lines.add("• " + text(o.approver()) + ": " + text(o.reason()) + " _(until " + date(o.expiresAt()) + ")_");
      }
      String count = policy == null ? "" : " (" + view.overrides().stream().map(EvaluationView.OverrideView::approver).distinct().count()
          + " of " + policy.required() + ")";
      blocks.add(section("*Override approvals*" + count + "\n" + String.join("\n", lines)));
    }

    if (v != null && "NO_GO".equals(v.decision()) && policy != null) {
      List<Reason> blocked = VerdictPolicy.notOverridable(v.reasons(), policy);
      if (!blocked.isEmpty()) {
        blocks.add(context("Not overridable: " + text(blocked.get(0).message())
            + (blocked.size() > 1 ? " (+" + (blocked.size() - 1) + " more)" : "")));
      } else if (buttons && !policy.approvers().isEmpty()) {
        blocks.add(actions(view.id(), policy, !view.votes().isEmpty()));
      }
    }

    blocks.add(context((link == null ? "" : "<" + link + "|Open in Tollgate> · ") + "evaluation " + code(view.id())));
    return message;
  }

  /** The buttons: only the opaque evaluation id travels, so a forged or old message carries no approval context. */
  private static ObjectNode actions(String evaluationId, OverridePolicy policy, boolean anyVote) {
    ObjectNode block = Json.mapper().createObjectNode().put("type", "actions").put("block_id", "tollgate.override");
    ArrayNode elements = block.putArray("elements");
    ObjectNode approve = elements.addObject().put("type", "button").put("action_id", APPROVE).put("value", evaluationId)
        .put("style", "primary");
    approve.set("text", plainText("Approve override" + (policy.required() > 1 ? " (" + policy.required() + " needed)" : "")));
    ObjectNode reject = elements.addObject().put("type", "button").put("action_id", REJECT).put("value", evaluationId)
        .put("style", "danger");
    reject.set("text", plainText("Reject"));
    if (anyVote) {
      // One message for everyone: the button withdraws the clicker's own vote, whoever that is (a change of mind is
      // explicit: withdraw, then vote again).
      elements.addObject().put("type", "button").put("action_id", WITHDRAW).put("value", evaluationId)
          .set("text", plainText("Withdraw my vote"));
    }
    return block;
  }

  private static String state(EvaluationView view) {
    EvaluationView.Verdict v = view.verdict();
    if (v == null) {
      return "checking";
    }
    return "NO_GO".equals(v.decision()) && v.held() ? "NO_GO (held)" : v.decision();
  }

  private static String emoji(EvaluationView view) {
    EvaluationView.Verdict v = view.verdict();
    if (v == null) {
      return "⏳";
    }
    return switch (v.decision()) {
      case "GO" -> "✅";
      case "OVERRIDDEN" -> "⚠️";
      case "NO_GO" -> v.held() ? "⏸️" : "⛔";
      default -> "⛔"; // an unknown decision is a NO_GO (fail closed)
    };
  }

  private static String verdictLine(EvaluationView view) {
    EvaluationView.Verdict v = view.verdict();
    if (v == null) {
      long answered = view.probes().stream().filter(p -> !p.status().equals("PENDING")).count();
      return "checking (" + answered + " of " + view.probes().size() + " probes answered)";
    }
    return "*" + v.decision() + "*" + (v.held() ? " (held)" : "") + (v.revision() > 1 ? ", revision " + v.revision() : "");
  }

  private static String probeEmoji(String status) {
    return switch (status) {
      case "PASS" -> ":white_check_mark:";
      case "WARN" -> ":warning:";
      case "PENDING" -> ":hourglass:";
      default -> ":x:"; // FAIL, ERROR, TIMED_OUT, UNKNOWN all block
    };
  }

  /** Blocking findings first, then warnings; at most {@link #MAX_FINDINGS}. */
  static List<String> topFindings(EvaluationView view) {
    record Item(String probe, Finding finding) {}
    List<Item> all = new ArrayList<>();
    for (EvaluationView.ProbeView p : view.probes()) {
      for (Finding f : p.findings()) {
        if (f.severity() != Severity.INFO) {
          all.add(new Item(p.probe(), f));
        }
      }
    }
    all.sort(Comparator.comparingInt((Item i) -> i.finding().severity() == Severity.WARN ? 1 : 0));
    List<String> out = new ArrayList<>();
    for (Item i : all.subList(0, Math.min(MAX_FINDINGS, all.size()))) {
      Finding f = i.finding();
      String where = f.file() == null ? "" : " " + code(f.file() + (f.line() > 0 ? ":" + f.line() : ""));
      String what = ProbeId.SECRETS.value().equals(i.probe()) ? "a credential (value withheld)" : text(f.message());
      out.add("• " + (f.severity() == Severity.WARN ? "WARN " : "BLOCK ") + code(f.ruleId()) + where + " — " + what);
    }
    if (all.size() > MAX_FINDINGS) {
      out.add("• … and " + (all.size() - MAX_FINDINGS) + " more (see the evaluation)");
    }
    return out;
  }

  static ObjectNode section(String mrkdwn) {
    ObjectNode s = Json.mapper().createObjectNode().put("type", "section");
    s.set("text", mrkdwn(bounded(mrkdwn, MAX_SECTION)));
    return s;
  }

  static ObjectNode context(String mrkdwn) {
    ObjectNode c = Json.mapper().createObjectNode().put("type", "context");
    c.putArray("elements").add(mrkdwn(bounded(mrkdwn, MAX_SECTION)));
    return c;
  }

  static ObjectNode mrkdwn(String text) {
    return Json.mapper().createObjectNode().put("type", "mrkdwn").put("text", text);
  }

  static ObjectNode plainText(String text) {
    return Json.mapper().createObjectNode().put("type", "plain_text").put("text", text).put("emoji", true);
  }

  /** A Slack date token: each reader sees it in their own time zone; the fallback is UTC. */
  static String date(Instant at) {
    if (at == null) {
      return "unknown";
    }
    Instant s = at.truncatedTo(ChronoUnit.SECONDS);
    return "<!date^" + s.getEpochSecond() + "^{date_short_pretty} {time}|" + s + ">";
  }

  /**
   * Text from repositories, probes and people for mrkdwn: one line, bounded, tokens masked, and Slack's control
   * characters escaped ({@code &}, {@code <}, {@code >}: no {@code <!channel>}, no {@code <url|label>});
   * formatting characters ({@code *_~}) are left alone: at worst they style a word, and escaping them would break
   * identifiers people copy.
   */
  static String text(String raw) {
    return plain(raw).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** An inline code span: nothing inside is formatted. */
  static String code(String raw) {
    String t = plain(raw).replace("`", "'").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return "`" + (t.length() > 120 ? t.substring(0, 120) + "…" : t) + "`";
  }

  /** One line, bounded, token-shaped strings masked. */
  static String plain(String raw) {
    String t = raw == null ? "" : raw.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    t = TOKEN.matcher(t).replaceAll("$1…(redacted)");
    return t.length() > MAX_LINE ? t.substring(0, MAX_LINE) + "…" : t;
  }

  static String shortSha(String sha) {
    return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
  }

  /** {@code acme/shop} of {@code https://github.com/acme/shop.git}; a local path's last two parts. */
  static String shortRepo(String repository) {
    String r = repository == null ? "?" : repository;
    if (r.endsWith(".git")) {
      r = r.substring(0, r.length() - 4);
    }
    while (r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    String[] parts = r.split("/");
    return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : r;
  }

  static String bounded(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max - 1;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + "…";
  }
}
