package dev.tollgate.gate.evaluation;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.history.ReporterStanding;
import dev.tollgate.contracts.lock.Identity;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.auth.Principal;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path from "a deploy happened" (the API, GitHub's and GitLab's deployment events) to the deploy history, and
 * the one place that decides whether it went out without a GO: a successful deploy of a commit for which Tollgate
 * decided neither GO nor OVERRIDDEN in that tenant's repository and environment is a bypass, whoever reports it. A
 * bypass is published as a {@link AuditKind#GATE_BYPASSED} record next to the deploy, and such a deploy never becomes a
 * trusted baseline (the views trust a commit only for its GO, see {@link EvaluationViews#lastTrustedDeploy}), so the
 * next evaluation checks its changes again.
 *
 * <p>It is also the one place that decides whether a report is proof ({@link ReporterStanding}): a report is a claim by
 * its reporter. A signed GitHub/GitLab deployment event of a deployment Tollgate's protection rule or approval evaluated
 * is the platform's; an API report is an admin's of the tenant, a {@code deployReporter} token's, or a requester's of a
 * GO of this commit there (one of the few newest GO parties the views keep per commit, or the GO the report names when
 * it is one of this very commit, environment and tenant; identities compared with {@link Identity#sameAs}); the sender
 * of a platform deployment Tollgate did not gate is judged like a token by its platform identity. Anyone else's is
 * nobody's ({@code NONE}). Judged from what the views know when the report arrives: a report that names no evaluation
 * and arrives before its GO is visible counts only for its own queue slot (the gate knows the slot's parties). A report without standing is recorded (it may be true; nothing
 * accepted is lost) but frees no queue slot, proves no promotion, is no baseline or rollback target, lends no artifact
 * digest and counts in no delivery metric: the consumers ask {@link DeploymentRecorded#vouched()}.
 *
 * <p>Answers from the views' indexes only (one lookup per deploy, one for the evaluation named, one request per GO
 * evaluation considered), never by scanning evaluations.
 */
public final class DeployRecorder {
  private static final Logger log = LoggerFactory.getLogger(DeployRecorder.class);

  private final Topics topics;
  private final EventPublisher publisher;
  private final EvaluationViews views;

  public DeployRecorder(Topics topics, EventPublisher publisher, EvaluationViews views) {
    this.topics = topics;
    this.publisher = publisher;
    this.views = views;
  }

  /**
   * A deploy to record.
   *
   * @param deploymentId the platform's deployment id ({@code github:<id>}) or the API caller's
   * @param actor who deployed as the source names them (a token name, a GitHub login), or null when unknown
   * @param evaluationId the evaluation that gated this deploy when the source knows it (the platform's protection rule
   *     evaluation, the API caller's {@code evaluationId}), else null
   * @param auditId stable id of this occurrence (a redelivery writes the same audit record, read once)
   * @param ref the branch or tag deployed, when the source names it (delivery metrics count hotfix refs), else null
   * @param principal the API token that reported it; null for a signed platform event (whose {@code actor} is the
   *     platform identity the event names)
   */
  public record Deploy(String requestId, String deploymentId, String tenant, String repository, String environment,
      String commit, DeployStatus status, String artifactDigest, Source source, String actor, Instant startedAt,
      Instant finishedAt, Instant occurredAt, Instant recordedAt, String evaluationId, String auditId, String ref,
      Principal principal) {

    /** A deploy a signed platform event reported (no API token). */
    public Deploy(String requestId, String deploymentId, String tenant, String repository, String environment,
        String commit, DeployStatus status, String artifactDigest, Source source, String actor, Instant startedAt,
        Instant finishedAt, Instant occurredAt, Instant recordedAt, String evaluationId, String auditId, String ref) {
      this(requestId, deploymentId, tenant, repository, environment, commit, status, artifactDigest, source, actor,
          startedAt, finishedAt, occurredAt, recordedAt, evaluationId, auditId, ref, null);
    }
  }

  /**
   * What was recorded.
   *
   * @param evaluationId the evaluation the deploy is filed under (the GO, else the one named, else null)
   * @param bypass true when it succeeded without a GO or OVERRIDDEN for its commit in that environment
   * @param verdict what Tollgate had decided, in words (for logs and the audit detail)
   */
  public record Recorded(DeploymentRecorded deployment, String evaluationId, boolean bypass, String verdict) {
    /** True when the report counts as proof of the deploy. */
    public boolean vouched() {
      return deployment.vouched();
    }

    /** Why the report does not count, naming what would make it count; null when it does. */
    public String notVouchedReason() {
      return vouched() ? null : "recorded, but not as proof of the deploy: only a token that requested a GO evaluation"
          + " of this commit in " + deployment.environment() + ", a deployReporter token, an admin token of the tenant or"
          + " the platform's signed deployment webhook of a deployment Tollgate gated can vouch for it; name your GO's"
          + " evaluationId in the report to be sure it is judged against it";
    }
  }

  /** Publishes the deploy (and the bypass record); fails only when Kafka did not take them. */
  public Future<Recorded> record(Deploy d) {
    CandidateStatus status = views.commitStatus(d.tenant(), d.repository(), d.environment(), d.commit());
    Optional<EvaluationView> named = d.evaluationId() == null ? Optional.empty()
        : views.get(d.evaluationId()).filter(v -> v.tenant().equals(d.tenant()));
    String evaluationId = status.go() && status.evaluationId() != null ? status.evaluationId()
        : named.map(EvaluationView::id).orElse(d.evaluationId());
    boolean bypass = d.status() == DeployStatus.SUCCEEDED && !status.go();
    String verdict = status.go() ? "GO" : named.map(DeployRecorder::describe)
        .orElse("never GO or OVERRIDDEN for this commit in " + d.environment());
    Identity reporter = reporter(d);
    ReporterStanding standing = standing(d, reporter, gated(d, named), goParties(d));
    DeploymentRecorded deployment = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION,
        evaluationId != null ? evaluationId : d.deploymentId(), d.requestId(), d.deploymentId(), d.tenant(), d.repository(),
        d.environment(), d.commit(), d.status(), d.artifactDigest(), d.source(), d.startedAt(), d.finishedAt(), d.recordedAt())
        .withRef(d.ref()).withReporter(reporter, standing);
    List<Future<Void>> published = new ArrayList<>();
    published.add(publisher.publish(topics.deploymentsRecorded(), deployment.historyKey(), deployment));
    if (bypass) {
      AuditRecorded audit = new AuditRecorded(AuditRecorded.SCHEMA_VERSION, deployment.evaluationId(), d.requestId(),
          d.auditId(), AuditKind.GATE_BYPASSED, d.tenant(), d.repository(), d.environment(), d.commit(), d.source(), d.actor(),
          d.deploymentId(), "deploy of " + d.commit().substring(0, 12) + " to " + d.environment() + " succeeded while "
              + "Tollgate's verdict was " + verdict, d.occurredAt(), d.recordedAt());
      published.add(publisher.publish(topics.auditRecorded(), audit));
    }
    return Future.all(published).map(v -> {
      if (bypass) {
        // Logged once it is on the audit topic: a redelivery after a 503 must not be the only trace of it.
        log.atWarn().addKeyValue("event", d.source().name().toLowerCase(Locale.ROOT) + ".bypass")
            .addKeyValue("requestId", d.requestId()).addKeyValue("tenant", d.tenant()).addKeyValue("environment", d.environment())
            .addKeyValue("evaluationId", deployment.evaluationId()).addKeyValue("deploymentId", d.deploymentId())
            .addKeyValue("actor", d.actor() == null ? "unknown" : d.actor())
            .log("deploy succeeded while Tollgate's verdict was {}: the gate was bypassed", verdict);
      }
      if (!deployment.vouched()) {
        // Names the reporter and the deploy only: a token's name, never the token.
        log.atWarn().addKeyValue("event", "deployment.unvouched").addKeyValue("requestId", d.requestId())
            .addKeyValue("tenant", d.tenant()).addKeyValue("environment", d.environment())
            .addKeyValue("deploymentId", d.deploymentId()).addKeyValue("status", d.status().name())
            .addKeyValue("reportedBy", reporter == null ? "unknown" : reporter.toString())
            .log("deploy report recorded without standing: it frees no slot, proves no promotion and is no baseline");
      }
      log.atInfo().addKeyValue("event", "deployment.recorded").addKeyValue("requestId", d.requestId())
          .addKeyValue("tenant", d.tenant()).addKeyValue("environment", d.environment()).addKeyValue("status", d.status().name())
          .addKeyValue("source", d.source().name().toLowerCase(Locale.ROOT)).log("deployment recorded");
      return new Recorded(deployment, evaluationId, bypass, verdict);
    });
  }

  /**
   * Who reported the deploy as authenticated: the API token, else the platform identity a signed event names (only the
   * webhook handlers record without a token, after checking the platform's signature).
   */
  private static Identity reporter(Deploy d) {
    if (d.principal() != null) {
      return Identity.token(d.principal().name());
    }
    return platform(d) ? Identity.of(d.source(), d.actor()) : null;
  }

  private static boolean platform(Deploy d) {
    return d.principal() == null && (d.source() == Source.GITHUB || d.source() == Source.GITLAB);
  }

  /**
   * True when {@code named}, the evaluation the platform event names (the handlers name one only when Tollgate's
   * protection rule or approval evaluated that very deployment), is one of this commit in this tenant's environment: a
   * deploy Tollgate gated. Anyone with write access can create a deployment and its success status; only a gated one
   * is the platform's word.
   */
  private static boolean gated(Deploy d, Optional<EvaluationView> named) {
    return platform(d) && named.filter(v -> v.environment().equals(d.environment()) && v.candidate().equals(d.commit())
        && RepositoryLocation.sameRepository(v.repository(), d.repository())).isPresent();
  }

  /**
   * The parties (submitters, deployers) of the GO and OVERRIDDEN evaluations of this commit there a report may stand
   * on: those the views keep for the commit (the newest few) and those of the evaluation the report names, if it is a
   * GO of this very commit, environment and tenant (a report naming someone else's evaluation of another commit proves
   * nothing).
   */
  private List<Identity> goParties(Deploy d) {
    List<Identity> parties = new ArrayList<>(views.goParties(d.tenant(), d.repository(), d.environment(), d.commit()));
    if (d.evaluationId() != null && goFor(d.evaluationId(), d)) {
      views.request(d.evaluationId()).filter(r -> r.target().tenant().equals(d.tenant()))
          .ifPresent(r -> parties.addAll(Identity.parties(r.source(), r.submittedBy(), r.deployers())));
    }
    return parties;
  }

  /**
   * Why a report is believed; NONE when nothing vouches for it (fail closed). Pure: {@code gated} is true for a signed
   * platform event of a deployment Tollgate evaluated; {@code goParties} are the parties of the GO (and OVERRIDDEN)
   * evaluations of the deployed commit in that tenant's repository and environment, authenticated in their namespaces
   * (requestedBy is a label the caller picks, never compared).
   */
  static ReporterStanding standing(Deploy d, Identity reporter, boolean gated, List<Identity> goParties) {
    Principal p = d.principal();
    if (p != null) {
      if (!p.canAccess(d.tenant())) {
        return ReporterStanding.NONE;
      }
      if (p.role() == Role.ADMIN) {
        return ReporterStanding.ADMIN;
      }
      if (p.deployReporter()) {
        return ReporterStanding.DEPLOY_REPORTER;
      }
    } else if (platform(d) && gated) {
      return ReporterStanding.PLATFORM;
    }
    // A token, or the sender of a platform deployment Tollgate did not gate: judged by who got the commit's GO there.
    return reporter != null && goParties.stream().anyMatch(reporter::sameAs) ? ReporterStanding.REQUESTER
        : ReporterStanding.NONE;
  }

  private boolean goFor(String evaluationId, Deploy d) {
    return views.verdict(evaluationId).filter(v -> v.decision().permitsDeploy()).map(VerdictReached::target)
        .filter(t -> t.tenant().equals(d.tenant()) && t.environment().equals(d.environment())
            && t.candidate().equals(d.commit()) && RepositoryLocation.sameRepository(t.repository(), d.repository()))
        .isPresent();
  }

  private static String describe(EvaluationView v) {
    return v.verdict() == null ? "not decided yet (pending)"
        : v.verdict().decision() + (v.verdict().held() ? " (held)" : "") + ", revision " + v.verdict().revision();
  }
}
