package dev.tollgate.gate.override;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.override.OverrideRecorded;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.policy.EnvironmentPolicy;
import dev.tollgate.gate.policy.OverridePolicy;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an approve or reject click counts, publishes the vote for the aggregator (which turns N approvals
 * into an OVERRIDDEN verdict) and an audit record for every attempt.
 */
public final class OverrideService {
  private static final Logger log = LoggerFactory.getLogger(OverrideService.class);
  /** Decided evaluations stay in the aggregator this long (see Aggregator); older ones need a new evaluation. */
  static final Duration MAX_AGE = Duration.ofDays(6);

  private final GateConfig config;
  private final EventPublisher publisher;
  private final EvaluationViews views;
  private final Clock clock;
  /** Votes accepted here but maybe not yet read back into the views: evaluation/identity. */
  private final Set<String> recentVotes = ConcurrentHashMap.newKeySet();

  /**
   * One click.
   *
   * @param identity the approver as the policy names them (token name, VCS login; Slack users are mapped first)
   * @param approve true to vote for the override, false to reject the deploy
   */
  public record Vote(String evaluationId, String identity, boolean approve, String reason, Source source, String requestId) {}

  /** What became of a vote. */
  public sealed interface Outcome {}

  /** The approval counts: {@code votes} of {@code required}. */
  public record Counted(int votes, int required) implements Outcome {}

  /** The rejection is recorded (the NO_GO stands). */
  public record Rejected() implements Outcome {}

  /**
   * Not allowed, and why; {@code status} is the HTTP answer: 403 not an approver / the author, 404 unknown, 409 not
   * a NO_GO, not overridable, already voted, too old; 400 a missing reason.
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
    if (denied != null) {
      log.atInfo().addKeyValue("event", "override.denied").addKeyValue("requestId", vote.requestId())
          .addKeyValue("evaluationId", vote.evaluationId()).log("override {} refused: {}", vote.approve() ? "approval" : "rejection",
              denied.why());
      return audit(vote, target, AuditKind.OVERRIDE_DENIED, (vote.approve() ? "approval" : "rejection") + " refused: "
          + denied.why(), now).map(v -> denied);
    }
    if (!vote.approve()) {
      return audit(vote, target, AuditKind.OVERRIDE_REJECTED, "rejected the deploy: " + vote.reason(), now)
          .map(v -> new Rejected());
    }
    OverridePolicy policy = policy(view).overrides();
    OverrideRecorded recorded = new OverrideRecorded(OverrideRecorded.SCHEMA_VERSION, vote.evaluationId(), vote.requestId(),
        UUID.randomUUID().toString(), target, List.of(vote.identity()), vote.reason(), now.plus(policy.expiresAfter()), now);
    recentVotes.add(vote.evaluationId() + "/" + vote.identity());
    int votes = (int) view.overrides().stream().map(EvaluationView.OverrideView::approver).distinct().count() + 1;
    return publisher.publish(config.topics().overridesRecorded(), recorded)
        .compose(v -> audit(vote, target, AuditKind.OVERRIDE_APPROVED, "approved the override (" + votes + " of "
            + policy.required() + "): " + vote.reason(), now))
        .map(v -> (Outcome) new Counted(votes, policy.required()))
        .onFailure(e -> recentVotes.remove(vote.evaluationId() + "/" + vote.identity()));
  }

  /**
   * Judges a click before its reason is asked for (Slack opens the reason form only for a vote that could count):
   * everything {@link #vote} checks except the reason. Every click is audited: a refusal as {@code OVERRIDE_DENIED},
   * an allowed click as {@code OVERRIDE_REQUESTED} (so a form closed without a vote still shows who looked).
   *
   * @return the refusal, or empty when the person may vote
   */
  public Future<Optional<Denied>> screen(String evaluationId, String identity, boolean approve, Source source, String requestId) {
    Vote vote = new Vote(evaluationId, identity, approve, null, source, requestId);
    Optional<EvaluationView> found = views.get(evaluationId);
    if (found.isEmpty()) {
      return Future.succeededFuture(Optional.of(new Denied(404, "no such evaluation")));
    }
    EvaluationView view = found.get();
    Denied denied = judgeWho(vote, view);
    DeployTarget target = new DeployTarget(view.tenant(), view.repository(), view.environment(), view.candidate(), view.baseline());
    if (denied == null) {
      return audit(vote, target, AuditKind.OVERRIDE_REQUESTED, "opened the " + (approve ? "approval" : "rejection")
          + " form", clock.instant()).map(v -> Optional.<Denied>empty());
    }
    log.atInfo().addKeyValue("event", "override.denied").addKeyValue("requestId", requestId)
        .addKeyValue("evaluationId", evaluationId).log("override {} refused: {}", approve ? "approval" : "rejection", denied.why());
    return audit(vote, target, AuditKind.OVERRIDE_DENIED, (approve ? "approval" : "rejection") + " refused: " + denied.why(),
        clock.instant()).map(v -> Optional.of(denied));
  }

  private EnvironmentPolicy policy(EvaluationView view) {
    return config.policy().environment(view.environment()).orElseThrow();
  }

  /** The reason a vote may not count, or null when it may. */
  Denied judge(Vote vote, EvaluationView view) {
    if (vote.reason() == null || vote.reason().strip().length() < 10 || vote.reason().length() > 500) {
      return new Denied(400, "a reason of 10 to 500 characters is required");
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
    return judgeWho(new Vote(view.id(), identity, true, null, Source.API, null), view);
  }

  /** Everything but the reason: who votes, on what, and whether it is still open. */
  Denied judgeWho(Vote vote, EvaluationView view) {
    Optional<EnvironmentPolicy> env = config.policy().environment(view.environment());
    if (env.isEmpty()) {
      return new Denied(409, "environment " + view.environment() + " is no longer configured");
    }
    OverridePolicy policy = env.get().overrides();
    if (!policy.isApprover(vote.identity())) {
      return new Denied(403, vote.identity() + " is not an approver for " + view.environment());
    }
    if (isAuthor(vote.identity(), view.requestedBy())) {
      return new Denied(403, "the deploy's author cannot approve or reject their own deploy");
    }
    if (view.verdict() == null || !"NO_GO".equals(view.verdict().decision())) {
      return new Denied(409, "only a NO_GO can be overridden; this evaluation is "
          + (view.verdict() == null ? "still running" : view.verdict().decision()));
    }
    if (view.verdict().decidedAt().isBefore(clock.instant().minus(MAX_AGE))) {
      return new Denied(409, "this verdict is too old to override; request a new evaluation");
    }
    List<Reason> blocked = VerdictPolicy.notOverridable(view.verdict().reasons(), policy);
    if (!blocked.isEmpty()) {
      return new Denied(409, "not overridable: " + blocked.stream().map(Reason::message).collect(Collectors.joining("; ")));
    }
    boolean voted = view.overrides().stream().anyMatch(o -> o.approver().equals(vote.identity()))
        || recentVotes.contains(vote.evaluationId() + "/" + vote.identity());
    if (voted && vote.approve()) {
      return new Denied(409, vote.identity() + " already voted on this evaluation");
    }
    return null;
  }

  /**
   * {@code requestedBy} is a token name, a VCS login, "name (token ci)" or "login (GitHub)": the author in every
   * form (#10: a GitHub deploy's author must not approve it from Slack either).
   */
  static boolean isAuthor(String identity, String requestedBy) {
    if (requestedBy == null) {
      return false;
    }
    String person = requestedBy.replaceAll(" \\([^)]*\\)$", "");
    return identity.equalsIgnoreCase(person) || identity.equalsIgnoreCase(requestedBy);
  }

  private Future<Void> audit(Vote vote, DeployTarget target, AuditKind kind, String detail, Instant now) {
    AuditRecorded record = new AuditRecorded(AuditRecorded.SCHEMA_VERSION, vote.evaluationId(), vote.requestId(),
        UUID.randomUUID().toString(), kind, target.tenant(), target.repository(), target.environment(), target.candidate(),
        vote.source(), vote.identity(), null, detail, now, now);
    return publisher.publish(config.topics().auditRecorded(), record);
  }
}
