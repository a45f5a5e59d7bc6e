package dev.tollgate.gate.evaluation;

import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.Source;
import dev.tollgate.contracts.history.CandidateStatus;
import dev.tollgate.contracts.history.DeployStatus;
import dev.tollgate.contracts.history.DeploymentRecorded;
import dev.tollgate.contracts.Topics;
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
 * <p>Answers from the views' indexes only (one lookup per deploy, one for the evaluation named), never by scanning
 * evaluations.
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
   */
  public record Deploy(String requestId, String deploymentId, String tenant, String repository, String environment,
      String commit, DeployStatus status, String artifactDigest, Source source, String actor, Instant startedAt,
      Instant finishedAt, Instant occurredAt, Instant recordedAt, String evaluationId, String auditId, String ref) {}

  /**
   * What was recorded.
   *
   * @param evaluationId the evaluation the deploy is filed under (the GO, else the one named, else null)
   * @param bypass true when it succeeded without a GO or OVERRIDDEN for its commit in that environment
   * @param verdict what Tollgate had decided, in words (for logs and the audit detail)
   */
  public record Recorded(DeploymentRecorded deployment, String evaluationId, boolean bypass, String verdict) {}

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
    DeploymentRecorded deployment = new DeploymentRecorded(DeploymentRecorded.SCHEMA_VERSION,
        evaluationId != null ? evaluationId : d.deploymentId(), d.requestId(), d.deploymentId(), d.tenant(), d.repository(),
        d.environment(), d.commit(), d.status(), d.artifactDigest(), d.source(), d.startedAt(), d.finishedAt(), d.recordedAt())
        .withRef(d.ref());
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
      log.atInfo().addKeyValue("event", "deployment.recorded").addKeyValue("requestId", d.requestId())
          .addKeyValue("tenant", d.tenant()).addKeyValue("environment", d.environment()).addKeyValue("status", d.status().name())
          .addKeyValue("source", d.source().name().toLowerCase(Locale.ROOT)).log("deployment recorded");
      return new Recorded(deployment, evaluationId, bypass, verdict);
    });
  }

  private static String describe(EvaluationView v) {
    return v.verdict() == null ? "not decided yet (pending)"
        : v.verdict().decision() + (v.verdict().held() ? " (held)" : "") + ", revision " + v.verdict().revision();
  }
}
