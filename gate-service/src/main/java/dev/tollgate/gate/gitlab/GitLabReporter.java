package dev.tollgate.gate.gitlab;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.GitLabOrigin;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.attestation.AttestationLinks;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.report.VerdictReporterLoop;
import dev.tollgate.gate.verdict.VerdictPolicy;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GitLab for the evaluations it started (issue #9): approves or rejects the held deployment as the tenant's
 * bot user with a comment (reasons, failing rules, next allowed time, the evaluation link), and sets the commit status
 * {@code tollgate/<environment>} on the candidate (also for API-started evaluations of the tenant's GitLab projects).
 * With {@code gitlab.autoPlay} it then starts the deploy job, because an approval does not start a job in GitLab.
 *
 * <p>The approval is only given to the deployment that was evaluated: the deployment is read back from GitLab first
 * and must still be {@code blocked}, for the same commit and environment. A webhook can therefore make Tollgate look
 * at a deployment, never approve a different one. Pipeline Hook evaluations (projects without approvals) only set the
 * status and, with auto-play, play the manual job after a GO.
 *
 * <p>A held NO_GO (the gate decides again at {@code retryAt}) is a {@code pending} status saying until when, not a
 * rejection: a rejection in GitLab is final, the later revision decides. Runs on the shared
 * {@link VerdictReporterLoop} in its own group ({@code <namespace>tollgate-gitlab-reporter}).
 */
public final class GitLabReporter extends VerdictReporterLoop {
  private static final Logger log = LoggerFactory.getLogger(GitLabReporter.class);

  private final GitLabApi api;
  private final GitLabSettings settings;
  /** The environments' override policies: a NO_GO its approvers may still override is not rejected. */
  private final ServerPolicy policy;
  /** What was reported per evaluation. Touched by the reporter thread only. */
  private final Cache<String, Progress> progress;

  /** Where one evaluation is reported: the origin (null for API-started ones), the tenant and the project. */
  private record Reporting(GitLabOrigin origin, String tenant, String project) {}

  private static final class Progress {
    Reporting reporting;
    boolean resolved;
    boolean started;
    int revision;
  }

  public GitLabReporter(Topics topics, Map<String, Object> kafka, EvaluationViews views, GitLabApi api, GitLabSettings settings,
      ServerPolicy policy, MeterRegistry meters) {
    this(topics, kafka, topics.prefix() + "tollgate-gitlab-reporter", views, api, settings, policy, meters, Duration.ofSeconds(5));
  }

  GitLabReporter(Topics topics, Map<String, Object> kafka, String groupId, EvaluationViews views, GitLabApi api,
      GitLabSettings settings, ServerPolicy policy, MeterRegistry meters, Duration viewWait) {
    super("gitlab", "GitLab", topics, kafka, groupId, views, viewWait);
    this.policy = policy;
    this.api = api;
    this.settings = settings;
    this.progress = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofDays(31)).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, progress, "tollgate.gitlab.reporter.evaluations");
  }

  @Override
  protected void onRequested(EvaluationRequested r) {
    Progress p = progress.get(r.evaluationId(), k -> new Progress());
    Reporting reporting = resolve(p, r);
    if (reporting == null || p.started) {
      return;
    }
    p.started = true;
    api.commitStatus(reporting.tenant(), reporting.project(), r.target().candidate(), "pending", context(r.target().environment()),
        "Tollgate is checking this deploy to " + r.target().environment(), null, link(r.evaluationId()), r.requestId());
  }

  @Override
  protected void onProbe(ProbeCompleted result) {
    // GitLab has no progress notes on a held deployment: the pending status says Tollgate is checking.
  }

  @Override
  protected void onVerdict(VerdictReached v) {
    Progress p = progress.get(v.evaluationId(), k -> new Progress());
    if (v.revision() <= p.revision) {
      return; // a duplicate, or an older revision read late
    }
    Reporting reporting = resolve(p, v.evaluationId());
    if (reporting == null) {
      return;
    }
    p.revision = v.revision();
    String context = context(v.target().environment());
    String sha = v.target().candidate();
    if (v.decision() == Decision.NO_GO && v.held()) {
      // Not a rejection: GitLab's rejection is final, and the gate decides again when the windows end.
      api.commitStatus(reporting.tenant(), reporting.project(), sha, "pending", context, GitLabText.statusDescription(v), null,
          link(v.evaluationId()), v.requestId());
      logVerdict(v, "held");
      return;
    }
    if (VerdictPolicy.awaitsOverride(v, policy)) {
      // Not a rejection either: the environment's approvers may still override this NO_GO; the OVERRIDDEN revision
      // approves the deployment, which waits until then.
      api.commitStatus(reporting.tenant(), reporting.project(), sha, "failed", context,
          GitLabText.statusDescription(v), null, link(v.evaluationId()), v.requestId());
      logVerdict(v, "awaiting override");
      return;
    }
    boolean go = v.decision().permitsDeploy(); // GO or OVERRIDDEN; UNKNOWN is treated as NO_GO: fail closed
    GitLabOrigin origin = reporting.origin();
    String outcome = "status only";
    if (origin != null && origin.hasDeployment()) {
      outcome = approve(reporting, origin, v, go);
    }
    api.commitStatus(reporting.tenant(), reporting.project(), sha, go ? "success" : "failed", context,
        GitLabText.statusDescription(v), null, link(v.evaluationId()), v.requestId());
    if (go && settings.autoPlay() && origin != null && origin.jobId() > 0
        && (!origin.hasDeployment() || outcome.equals("approved"))) {
      outcome += play(reporting, origin, v);
    }
    logVerdict(v, outcome);
  }

  /**
   * An approver rejected a NO_GO that waits for an override: the deployment is rejected now (final in GitLab). Judged
   * from the views, so it also holds after a restart; the deployment is read back first, as for every approval.
   */
  @Override
  protected void onAudit(AuditRecorded a) {
    if (a.kind() != AuditKind.OVERRIDE_REJECTED) {
      return;
    }
    Optional<VerdictReached> latest = views().verdict(a.evaluationId());
    if (latest.isEmpty() || !VerdictPolicy.awaitsOverride(latest.get(), policy)) {
      return;
    }
    Reporting reporting = resolve(progress.get(a.evaluationId(), k -> new Progress()), a.evaluationId());
    if (reporting == null || reporting.origin() == null || !reporting.origin().hasDeployment()) {
      return; // a commit status only: nothing to reject
    }
    logVerdict(latest.get(), "rejected by an approver: " + approve(reporting, reporting.origin(), latest.get(), false));
  }

  /** Approves or rejects the held deployment after reading it back; says what happened. */
  private String approve(Reporting reporting, GitLabOrigin origin, VerdictReached v, boolean go) {
    Optional<GitLabApi.Deployment> deployment;
    try {
      deployment = api.deployment(reporting.tenant(), origin.projectId(), origin.deploymentId(), v.requestId());
    } catch (GitLabApi.UnavailableException e) {
      log.atWarn().addKeyValue("event", "gitlab.call.failed").addKeyValue("requestId", v.requestId())
          .addKeyValue("evaluationId", v.evaluationId()).log("could not read deployment {} back: {}", origin.deploymentId(),
              e.getMessage());
      return "not approved (deployment unreadable)";
    }
    String mismatch = mismatch(deployment, v, origin);
    if (mismatch != null) {
      // Never approve what was not evaluated: a forged or stale event, or someone else decided first.
      log.atWarn().addKeyValue("event", "gitlab.deployment.mismatch").addKeyValue("requestId", v.requestId())
          .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("deploymentId", origin.deploymentId())
          .log("deployment not {}: {}", go ? "approved" : "rejected", mismatch);
      return "not " + (go ? "approved" : "rejected") + " (deployment changed)";
    }
    EvaluationView view = go ? null : awaitView(v.evaluationId(), e -> e.verdict() != null && e.verdict().revision() >= v.revision())
        .orElse(views().get(v.evaluationId()).orElse(null));
    GitLabApi.Result r = api.approval(reporting.tenant(), origin.projectId(), origin.deploymentId(), go ? "approved" : "rejected",
        GitLabText.approvalComment(v, view, link(v.evaluationId()),
            AttestationLinks.url(settings.dashboardUrl(), v.evaluationId(), v.revision())), v.requestId());
    return (go ? "approved" : "rejected") + (r == GitLabApi.Result.OK ? "" : " (" + r.name().toLowerCase(Locale.ROOT) + ")");
  }

  /** Why {@code deployment} is not the one that was evaluated, or null when it is (and still waits for approval). */
  private static String mismatch(Optional<GitLabApi.Deployment> deployment, VerdictReached v, GitLabOrigin origin) {
    if (deployment.isEmpty()) {
      return "GitLab does not show it to the bot user";
    }
    GitLabApi.Deployment d = deployment.get();
    if (!d.status().equals("blocked")) {
      return "its status is " + d.status();
    }
    if (!d.sha().equalsIgnoreCase(v.target().candidate())) {
      return "it deploys another commit (" + d.sha() + ")";
    }
    if (!d.environment().equals(origin.environmentName())) {
      return "it deploys to another environment";
    }
    return null;
  }

  /** Starts the deploy job when it still waits as a manual job: an approval alone does not start it. */
  private String play(Reporting reporting, GitLabOrigin origin, VerdictReached v) {
    try {
      Optional<String> status = api.jobStatus(reporting.tenant(), origin.projectId(), origin.jobId(), v.requestId());
      if (status.isEmpty() || !status.get().equals("manual")) {
        return ", job not played (" + status.orElse("unknown") + ")";
      }
    } catch (GitLabApi.UnavailableException e) {
      return ", job not played (unreadable)";
    }
    GitLabApi.Result r = api.playJob(reporting.tenant(), origin.projectId(), origin.jobId(), v.requestId());
    return r == GitLabApi.Result.OK ? ", job played" : ", job not played (" + r.name().toLowerCase(Locale.ROOT) + ")";
  }

  private Reporting resolve(Progress p, String evaluationId) {
    if (p.resolved) {
      return p.reporting;
    }
    // Not marked resolved when unknown: a later record may find it.
    return awaitRequest(evaluationId).map(r -> resolve(p, r)).orElse(null);
  }

  private Reporting resolve(Progress p, EvaluationRequested r) {
    if (p.resolved) {
      return p.reporting;
    }
    GitLabOrigin origin = r.gitlab();
    Reporting reporting = null;
    String tenant = r.target().tenant();
    if (origin != null) {
      reporting = new Reporting(origin, tenant, String.valueOf(origin.projectId()));
    } else if (r.github() == null) {
      // An API-started evaluation of one of this tenant's GitLab projects: the commit status is where GitLab shows it.
      Optional<String> path = settings.projectPath(r.target().repository());
      if (path.isPresent() && settings.tenantOf(path.get()).map(t -> t.name().equals(tenant)).orElse(false)) {
        reporting = new Reporting(null, tenant, path.get());
      }
    }
    if (reporting != null && !settings.tenants().containsKey(tenant)) {
      reporting = null; // a tenant without GitLab groups has no bot to act as
    }
    p.reporting = reporting;
    p.resolved = true;
    return reporting;
  }

  private String link(String evaluationId) {
    String link = settings.evaluationLink(evaluationId);
    return link != null && link.length() <= GitLabText.MAX_TARGET_URL ? link : null;
  }

  private static String context(String environment) {
    return "tollgate/" + environment;
  }

  private static void logVerdict(VerdictReached v, String outcome) {
    log.atInfo().addKeyValue("event", "gitlab.verdict.reported").addKeyValue("requestId", v.requestId())
        .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("revision", v.revision()).addKeyValue("outcome", outcome)
        .log("verdict reported to GitLab: {}", outcome);
  }
}
