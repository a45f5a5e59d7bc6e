package dev.tollgate.gate.override;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.override.VoteDecision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.report.ReportText;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a vote on a NO_GO counts, from any channel (API, dashboard, Slack): approve,
 * reject, or withdraw one's own vote. It publishes the vote for the aggregator (which turns N approvals into an
 * OVERRIDDEN verdict) and an audit record for every attempt, allowed or not.
 *
 * <p>Who may not vote is decided from authenticated identities only: the principal that submitted the evaluation
 * (a token's name, or the platform user of a webhook) and the platform deployers the webhook named. The request's
 * {@code requestedBy} is a label its caller chose and decides nothing.
 */
public final class OverrideService {
  private static final Logger log = LoggerFactory.getLogger(OverrideService.class);
  /** Decided evaluations stay in the aggregator this long (see Aggregator); older ones need a new evaluation. */
  static final Duration MAX_AGE = Duration.ofDays(6);
  /** {@code "jane (token ci)"}: the form the gate wrote before the submitter had a field of its own. */
  private static final Pattern LEGACY_TOKEN = Pattern.compile(".*\\(token ([^)]+)\\)$");

  private final GateConfig config;
  private final EventPublisher publisher;
  private final EvaluationViews views;
  private final Clock clock;
  /**
   * Votes accepted here but maybe not yet read back into the views, by evaluation/identity: the last one wins. Short
   * lived (the views read a vote back within milliseconds) and bounded; the aggregator applies the same rule anyway.
   */
  private final Cache<String, Pending> recent = Caffeine.newBuilder().maximumSize(100_000)
      .expireAfterWrite(Duration.ofMinutes(2)).build();

  private record Pending(VoteDecision decision, int revision) {}

  /**
   * One vote.
   *
   * @param identity the voter as the policy names them (token name, VCS login; Slack users are mapped first)
   * @param reason required for approve and reject (10 to 500 characters); optional for withdraw
   */
  public record Vote(String evaluationId, String identity, VoteDecision decision, String reason, Source source,
      String requestId) {}

  /** What became of a vote. */
  public sealed interface Outcome {}

  /** The approval counts: {@code votes} of {@code required}. */
  public record Counted(int votes, int required) implements Outcome {}

  /** The rejection is recorded (the NO_GO stands). */
  public record Rejected() implements Outcome {}

  /** The voter's standing vote ({@code was}: approve or reject) is taken back; they may vote again. */
  public record Withdrawn(VoteDecision was) implements Outcome {}

  /**
   * Not allowed, and why; {@code status} is the HTTP answer: 403 not an approver / a party to the deploy, 404 unknown,
   * 409 not a NO_GO, not overridable, already voted, nothing to withdraw, too old; 400 a missing reason.
   */
  public record Denied(int status, String why) implements Outcome {}

  public OverrideService(GateConfig config, EventPublisher publisher, EvaluationViews views, Clock clock) {
    this.config = config;
    this.publisher = publisher;
    this.views = views;
    this.clock = clock;
  }

  /** Judges and records a vote; fails only when Kafka did not take the records. */
  public Future<Outcome> vote(Vote vote) {
    Optional<EvaluationView> found = views.get(vote.evaluationId());
    if (found.isEmpty()) {
      return Future.succeededFuture(new Denied(404, "no such evaluation"));
    }
    EvaluationView view = found.get();
    Denied denied = judge(vote, view);
    DeployTarget target = new DeployTarget(view.tenant(), view.repository(), view.environment(), view.candidate(), view.baseline());
    Instant now = clock.instant();
    String what = noun(vote.decision());
    if (denied != null) {
      log.atInfo().addKeyValue("event", "override.denied").addKeyValue("requestId", vote.requestId())
          .addKeyValue("evaluationId", vote.evaluationId()).log("override {} refused: {}", what, denied.why());
      return audit(vote, target, AuditKind.OVERRIDE_DENIED, what + " refused: " + denied.why(), now).map(v -> denied);
    }
    OverridePolicy policy = policy(view).overrides();
    int revision = view.verdict().revision();
    VoteDecision was = standing(view, vote.identity(), revision).orElse(null);
    String reason = recordedReason(vote.reason());
    OverrideRecorded recorded = OverrideRecorded.vote(vote.evaluationId(), vote.requestId(), UUID.randomUUID().toString(),
        target, vote.identity(), vote.decision(), reason, revision, now.plus(policy.expiresAfter()), now);
    String key = key(vote.evaluationId(), vote.identity());
    recent.put(key, new Pending(vote.decision(), revision));
    Future<Void> published = publisher.publish(config.topics().overridesRecorded(), recorded)
        .onFailure(e -> recent.invalidate(key));
    return switch (vote.decision()) {
      case APPROVE -> {
        int votes = (int) view.votes().stream().filter(v -> v.decision().equals("APPROVE") && (v.revision() == revision
            || v.revision() == 0) && !v.voter().equalsIgnoreCase(vote.identity())).count() + 1;
        yield published.compose(v -> audit(vote, target, AuditKind.OVERRIDE_APPROVED, "approved the override (" + votes + " of "
            + policy.required() + ", revision " + revision + "): " + reason, now))
            .map(v -> (Outcome) new Counted(votes, policy.required()));
      }
      case REJECT -> published.compose(v -> audit(vote, target, AuditKind.OVERRIDE_REJECTED, "rejected the deploy (revision "
          + revision + "): " + reason, now)).map(v -> (Outcome) new Rejected());
      default -> published.compose(v -> audit(vote, target, AuditKind.OVERRIDE_WITHDRAWN, "withdrew their "
          + noun(was) + " (revision " + revision + "): " + reason, now)).map(v -> (Outcome) new Withdrawn(was));
    };
  }

  /**
   * The reason as recorded: stripped, "withdrawn" when none, credential-shaped strings masked (it is shown everywhere),
   * and at most 500 characters once masked (a mask can be longer than a short password it replaces), as a lock's reason.
   */
  static String recordedReason(String raw) {
    return raw == null || raw.isBlank() ? "withdrawn" : ReportText.bounded(ReportText.maskTokens(raw.strip()), 500);
  }

  /**
   * Judges a click before its reason is asked for (Slack opens the reason form only for a vote that could count):
   * everything {@link #vote} checks except the reason. Every click is audited: a refusal as {@code OVERRIDE_DENIED},
   * an allowed click as {@code OVERRIDE_REQUESTED} (so a form closed without a vote still shows who looked).
   *
   * @return the refusal, or empty when the person may vote
   */
  public Future<Optional<Denied>> screen(String evaluationId, String identity, VoteDecision decision, Source source,
      String requestId) {
    Vote vote = new Vote(evaluationId, identity, decision, null, source, requestId);
    Optional<EvaluationView> found = views.get(evaluationId);
    if (found.isEmpty()) {
      return Future.succeededFuture(Optional.of(new Denied(404, "no such evaluation")));
    }
    EvaluationView view = found.get();
    Denied denied = judgeWho(vote, view);
    DeployTarget target = new DeployTarget(view.tenant(), view.repository(), view.environment(), view.candidate(), view.baseline());
    if (denied == null) {
      return audit(vote, target, AuditKind.OVERRIDE_REQUESTED, "opened the " + noun(decision) + " form", clock.instant())
          .map(v -> Optional.<Denied>empty());
    }
    log.atInfo().addKeyValue("event", "override.denied").addKeyValue("requestId", requestId)
        .addKeyValue("evaluationId", evaluationId).log("override {} refused: {}", noun(decision), denied.why());
    return audit(vote, target, AuditKind.OVERRIDE_DENIED, noun(decision) + " refused: " + denied.why(), clock.instant())
        .map(v -> Optional.of(denied));
  }

  private EnvironmentPolicy policy(EvaluationView view) {
    return config.policy().environment(view.environment()).orElseThrow();
  }

  /** The reason a vote may not count, or null when it may. */
  Denied judge(Vote vote, EvaluationView view) {
    boolean withdraw = vote.decision() == VoteDecision.WITHDRAW;
    String reason = vote.reason();
    if (withdraw ? reason != null && reason.length() > 500
        : reason == null || reason.strip().length() < 10 || reason.length() > 500) {
      return new Denied(400, withdraw ? "a reason is at most 500 characters" : "a reason of 10 to 500 characters is required");
    }
    return judgeWho(vote, view);
  }

  /**
   * Whether {@code identity} may vote on {@code view} now, the way a vote would be judged, and if not why: first what
   * holds for everyone (not a NO_GO, a reason nobody may override, no approvers configured), then what holds for this
   * caller. Null when the vote would count. The dashboard shows the reason instead of a form that would be refused.
   *
   * @param role the caller's role: only approvers vote
   */
  public Denied whyNot(String identity, dev.tollgate.gate.auth.Role role, EvaluationView view) {
    Optional<EnvironmentPolicy> env = config.policy().environment(view.environment());
    if (env.isPresent() && view.verdict() != null && "NO_GO".equals(view.verdict().decision())) {
      List<Reason> blocked = VerdictPolicy.notOverridable(view.verdict().reasons(), env.get().overrides());
      if (!blocked.isEmpty()) {
        return new Denied(409, "nobody may override " + blocked.stream().map(Reason::message).collect(Collectors.joining("; "))
            + " (the policy's notOverridable)");
      }
      if (env.get().overrides().approvers().isEmpty()) {
        return new Denied(409, "no one may override a NO_GO in " + view.environment() + ": it has no approvers (environments."
            + view.environment() + ".overrides.approvers in tollgate.yml)");
      }
    }
    if (!role.includes(dev.tollgate.gate.auth.Role.APPROVER)) {
      return new Denied(403, "this token's role is " + role.name().toLowerCase(java.util.Locale.ROOT) + "; only approvers vote");
    }
    return judgeWho(new Vote(view.id(), identity, VoteDecision.APPROVE, null, Source.API, null), view);
  }

  /** Everything but the reason: who votes, on what, and whether it is still open. */
  Denied judgeWho(Vote vote, EvaluationView view) {
    if (vote.decision() != VoteDecision.APPROVE && vote.decision() != VoteDecision.REJECT
        && vote.decision() != VoteDecision.WITHDRAW) {
      return new Denied(400, "expected approve, reject or withdraw");
    }
    Optional<EnvironmentPolicy> env = config.policy().environment(view.environment());
    if (env.isEmpty()) {
      return new Denied(409, "environment " + view.environment() + " is no longer configured");
    }
    OverridePolicy policy = env.get().overrides();
    boolean withdraw = vote.decision() == VoteDecision.WITHDRAW;
    // Withdrawing only takes a vote away, so someone removed from the approvers since may still take theirs back.
    if (!withdraw && !policy.isApprover(vote.identity())) {
      return new Denied(403, vote.identity() + " is not an approver for " + view.environment());
    }
    if (!withdraw) {
      Optional<EvaluationRequested> request = views.request(view.id());
      if (request.isEmpty()) {
        // Who submitted it is not known here yet: no vote until it is (fail closed).
        return new Denied(409, "this gate has not read the evaluation's request yet; try again in a moment");
      }
      if (isParty(vote.identity(), request.get())) {
        return new Denied(403, vote.identity() + " is an author of this deploy (submitted or deployed it) and cannot approve "
            + "or reject it");
      }
    }
    if (view.verdict() == null || !"NO_GO".equals(view.verdict().decision())) {
      if (withdraw && view.verdict() != null && "OVERRIDDEN".equals(view.verdict().decision())) {
        return new Denied(409, "the override already took effect (revision " + view.verdict().revision()
            + "); votes can no longer be withdrawn");
      }
      return new Denied(409, "only a NO_GO can be overridden; this evaluation is "
          + (view.verdict() == null ? "still running" : view.verdict().decision()));
    }
    if (view.verdict().decidedAt().isBefore(clock.instant().minus(MAX_AGE))) {
      return new Denied(409, "this verdict is too old to override; request a new evaluation");
    }
    int revision = view.verdict().revision();
    Optional<VoteDecision> standing = standing(view, vote.identity(), revision);
    if (withdraw) {
      return standing.isPresent() ? null
          : new Denied(409, vote.identity() + " has no vote on revision " + revision + " to withdraw");
    }
    List<Reason> blocked = VerdictPolicy.notOverridable(view.verdict().reasons(), policy);
    if (!blocked.isEmpty()) {
      return new Denied(409, "not overridable: " + blocked.stream().map(Reason::message).collect(Collectors.joining("; ")));
    }
    if (standing.isPresent()) {
      return new Denied(409, vote.identity() + " already voted on revision " + revision + " ("
          + standing.get().name().toLowerCase(Locale.ROOT) + "); withdraw that vote first to change it");
    }
    return null;
  }

  /** The person's standing vote on {@code revision}: what this gate just recorded, else what the views show. */
  private Optional<VoteDecision> standing(EvaluationView view, String identity, int revision) {
    Pending pending = recent.getIfPresent(key(view.id(), identity));
    if (pending != null && pending.revision() == revision) {
      return pending.decision() == VoteDecision.WITHDRAW ? Optional.empty() : Optional.of(pending.decision());
    }
    return view.voteOf(identity).filter(v -> v.revision() == revision || v.revision() == 0)
        .map(v -> VoteDecision.valueOf(v.decision()));
  }

  /**
   * The authenticated identities bound to a deploy, none of whom may vote on it: the submitting principal and the
   * platform deployers. A request recorded before the gate kept the submitter names it only in {@code requestedBy},
   * which the gate then wrote as {@code "label (token name)"} or as the login itself: the token name, else the label.
   */
  static Set<String> parties(EvaluationRequested request) {
    Set<String> out = new LinkedHashSet<>();
    if (request.submittedBy() != null) {
      out.add(request.submittedBy());
    } else if (request.requestedBy() != null) {
      Matcher token = LEGACY_TOKEN.matcher(request.requestedBy());
      out.add(token.matches() ? token.group(1) : request.requestedBy().replaceAll(" \\([^)]*\\)$", ""));
    }
    out.addAll(request.deployers());
    return out;
  }

  /** True when {@code identity} submitted or deployed the request (logins and token names compare case-insensitively). */
  static boolean isParty(String identity, EvaluationRequested request) {
    return parties(request).stream().anyMatch(identity::equalsIgnoreCase);
  }

  private static String key(String evaluationId, String identity) {
    return evaluationId + "/" + identity.toLowerCase(Locale.ROOT);
  }

  private static String noun(VoteDecision decision) {
    return decision == VoteDecision.APPROVE ? "approval" : decision == VoteDecision.REJECT ? "rejection"
        : decision == VoteDecision.WITHDRAW ? "withdrawal" : "vote";
  }

  private Future<Void> audit(Vote vote, DeployTarget target, AuditKind kind, String detail, Instant now) {
    AuditRecorded record = new AuditRecorded(AuditRecorded.SCHEMA_VERSION, vote.evaluationId(), vote.requestId(),
        UUID.randomUUID().toString(), kind, target.tenant(), target.repository(), target.environment(), target.candidate(),
        vote.source(), vote.identity(), null, detail, now, now);
    return publisher.publish(config.topics().auditRecorded(), record);
  }
}
