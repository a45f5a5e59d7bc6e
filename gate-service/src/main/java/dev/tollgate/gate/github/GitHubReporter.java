package dev.tollgate.gate.github;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.contracts.evaluation.EvaluationRequested;
import dev.tollgate.contracts.evaluation.GitHubOrigin;
import dev.tollgate.contracts.evaluation.RepositoryLocation;
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
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GitHub for evaluations it cares about: progress notes while probes run, then {@code approved} or
 * {@code rejected} with a comment on the deployment protection rule, and a commit status
 * {@code tollgate/<environment>} on the candidate (also for API-started evaluations of repositories this App is
 * installed on for the same tenant: repositories that use Tollgate without GitHub environments).
 *
 * <p>A Kafka consumer in its own group ({@code <namespace>tollgate-github-reporter}), run by the shared
 * {@link VerdictReporterLoop}: with several gates exactly one reports each evaluation, in order. The origin of an
 * evaluation comes from the record itself or from this process's {@link EvaluationViews}; GitHub refuses a second
 * review of a repeated batch, which is logged and skipped.
 *
 * <p>A held NO_GO (the gate will decide again at {@code retryAt}) is a progress note and a pending status, not a
 * rejection; the later revision decides.
 */
public final class GitHubReporter extends VerdictReporterLoop {
  private static final Logger log = LoggerFactory.getLogger(GitHubReporter.class);
  /** GitHub accepts at most 10 progress reports per deployment (protocols §1.5). */
  static final int MAX_NOTES = 10;
  /** Probe notes stop here, so held notes of later revisions still fit. */
  static final int MAX_PROBE_NOTES = 7;
  private final EvaluationViews views;
  private final GitHubApi api;
  private final GitHubSettings settings;
  /** The environments' override policies: a NO_GO its approvers may still override is not rejected. */
  private final ServerPolicy policy;
  /** Repositories (of an installation) where a check run was refused, for an hour. */
  private final Cache<String, Boolean> checksRefused = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
      .maximumSize(10_000).build();
  private final InstallationTokens tokens;
  /** The normalized web URL repositories of this App live under ({@code https://github.com}). */
  private final String webBase;
  /** What was reported per evaluation. Touched by the reporter thread only. */
  private final Cache<String, Progress> progress;
  /** Progress notes sent per deployment callback (GitHub's limit is per deployment). */
  private final Cache<String, Integer> notes;

  /** Where and how one evaluation is reported; resolved once per evaluation. */
  private record Reporting(GitHubOrigin origin, long installationId, String ownerRepo, String environment) {
    boolean hasCallback() {
      return origin != null && origin.hasCallback();
    }
  }

  private static final class Progress {
    Reporting reporting;
    boolean resolved;
    boolean started;
    int revision;
    boolean decided;
    final Set<String> probes = new HashSet<>();
  }

  public GitHubReporter(Topics topics, Map<String, Object> kafka, EvaluationViews views, GitHubApi api, GitHubSettings settings,
      InstallationTokens tokens, ServerPolicy policy, MeterRegistry meters) {
    this(topics, kafka, topics.prefix() + "tollgate-github-reporter", views, api, settings, tokens, policy, meters,
        Duration.ofSeconds(5));
  }

  GitHubReporter(Topics topics, Map<String, Object> kafka, String groupId, EvaluationViews views, GitHubApi api,
      GitHubSettings settings, InstallationTokens tokens, ServerPolicy policy, MeterRegistry meters, Duration viewWait) {
    super("github", "GitHub", topics, kafka, groupId, views, viewWait);
    this.policy = policy;
    this.views = views;
    this.api = api;
    this.settings = settings;
    this.tokens = tokens;
    String probe = RepositoryLocation.parse(settings.webUrl() + "/x").value();
    this.webBase = probe.substring(0, probe.length() - 2);
    this.progress = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofDays(31)).recordStats().build();
    this.notes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(31)).recordStats().build();
    CaffeineCacheMetrics.monitor(meters, progress, "tollgate.github.reporter.evaluations");
    CaffeineCacheMetrics.monitor(meters, notes, "tollgate.github.reporter.notes");
  }

  @Override
  protected void onRequested(EvaluationRequested r) {
    Progress p = progress.get(r.evaluationId(), k -> new Progress());
    Reporting reporting = resolve(p, r);
    if (reporting == null || p.started) {
      return;
    }
    p.started = true;
    String link = settings.evaluationLink(r.evaluationId());
    if (reporting.hasCallback()) {
      note(reporting.origin(), VerdictComment.started(r.target().environment(), r.target().candidate(), r.evaluationId(), link),
          MAX_PROBE_NOTES, r.requestId());
    }
    api.commitStatus(reporting.installationId(), reporting.ownerRepo(), r.target().candidate(), "pending",
        "Tollgate is checking this deploy to " + r.target().environment(), link, context(r.target().environment()), r.requestId());
  }

  @Override
  protected void onProbe(ProbeCompleted result) {
    Progress p = progress.get(result.evaluationId(), k -> new Progress());
    if (p.decided) {
      return; // a late result of a decided evaluation
    }
    Reporting reporting = resolve(p, result.evaluationId());
    if (reporting == null || !reporting.hasCallback() || !p.probes.add(result.probe().value() + "#" + result.attempt())) {
      return;
    }
    Optional<EvaluationView> view = views.get(result.evaluationId());
    int total = view.map(v -> v.probes().size()).orElse(0);
    int answered = view.map(v -> (int) v.probes().stream().filter(pv -> !pv.status().equals("PENDING")
        || pv.probe().equals(result.probe().value())).count()).orElse(0);
    note(reporting.origin(), VerdictComment.probe(result, answered, total), MAX_PROBE_NOTES, result.requestId());
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
    String link = settings.evaluationLink(v.evaluationId());
    String context = context(v.target().environment());
    String sha = v.target().candidate();
    if (v.decision() == Decision.NO_GO && v.held()) {
      if (reporting.hasCallback()) {
        note(reporting.origin(), VerdictComment.held(v, link), MAX_NOTES, v.requestId());
      }
      api.commitStatus(reporting.installationId(), reporting.ownerRepo(), sha, "pending", VerdictComment.statusDescription(v),
          link, context, v.requestId());
      logVerdict(v, "held");
      return;
    }
    p.decided = true;
    EvaluationView view = awaitView(v.evaluationId(), e -> e.verdict() != null && e.verdict().revision() >= v.revision())
        .orElse(views.get(v.evaluationId()).orElse(null));
    if (VerdictPolicy.awaitsOverride(v, policy)) {
      // Not a rejection: GitHub's is final, and the environment's approvers may still override this NO_GO. The deploy
      // waits; the OVERRIDDEN revision approves it, a new deploy (a new evaluation) replaces it.
      String text = VerdictComment.awaitingOverride(v, view, link, policy.environment(v.target().environment()).orElseThrow().overrides());
      if (reporting.hasCallback()) {
        note(reporting.origin(), text, MAX_NOTES, v.requestId());
      }
      api.commitStatus(reporting.installationId(), reporting.ownerRepo(), sha, "failure", VerdictComment.statusDescription(v),
          link, context, v.requestId());
      checkRun(reporting, v, view, text, link);
      logVerdict(v, "awaiting override");
      return;
    }
    boolean go = v.decision().permitsDeploy(); // UNKNOWN is treated as NO_GO: fail closed
    String text = VerdictComment.verdict(v, view, link);
    if (reporting.hasCallback()) {
      GitHubApi.Result r = api.reviewDeployment(reporting.origin(), go ? "approved" : "rejected", text, v.requestId());
      logVerdict(v, (go ? "approved" : "rejected") + (r == GitHubApi.Result.OK ? "" : " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")"));
    }
    api.commitStatus(reporting.installationId(), reporting.ownerRepo(), sha, go ? "success" : "failure",
        VerdictComment.statusDescription(v), link, context, v.requestId());
    checkRun(reporting, v, view, text, link);
  }

  /**
   * The verdict as a check run, its findings as annotations on the files. A repository where it is refused (the App
   * was installed without the Checks permission) is not asked again for an hour: one warning, statuses continue.
   */
  private void checkRun(Reporting reporting, VerdictReached v, EvaluationView view, String summary, String link) {
    String key = reporting.installationId() + ":" + reporting.ownerRepo();
    if (checksRefused.getIfPresent(key) != null) {
      return;
    }
    GitHubApi.Result r = api.checkRun(reporting.installationId(), reporting.ownerRepo(), v.target().candidate(),
        VerdictComment.checkRun(v, view, link, summary, AttestationLinks.url(settings.dashboardUrl(), v.evaluationId(),
            v.revision())), v.requestId());
    if (r == GitHubApi.Result.FORBIDDEN) { // not a bad annotation (422): that one run is lost, not the next hour's
      checksRefused.put(key, Boolean.TRUE);
      log.atWarn().addKeyValue("event", "github.checks.refused").addKeyValue("installationId", reporting.installationId())
          .addKeyValue("repository", reporting.ownerRepo())
          .log("GitHub refused Tollgate's check run: grant the App \"Checks: read and write\" to see findings on the files;"
              + " commit statuses continue. Tried again in an hour");
    }
  }

  /**
   * An approver rejected a NO_GO that waits for an override: GitHub hears the rejection now (final there). Judged
   * from the views, not from what this reporter remembers, so it also holds after a restart or a rebalance.
   */
  @Override
  protected void onAudit(AuditRecorded a) {
    if (a.kind() != AuditKind.OVERRIDE_REJECTED) {
      return;
    }
    Optional<VerdictReached> latest = views.verdict(a.evaluationId());
    if (latest.isEmpty() || !VerdictPolicy.awaitsOverride(latest.get(), policy)) {
      return; // not waiting (overridden, decided otherwise, or a rejection of a NO_GO GitHub already heard)
    }
    VerdictReached v = latest.get();
    Reporting reporting = resolve(progress.get(a.evaluationId(), k -> new Progress()), a.evaluationId());
    if (reporting == null || !reporting.hasCallback()) {
      return;
    }
    GitHubApi.Result r = api.reviewDeployment(reporting.origin(), "rejected",
        VerdictComment.rejectedByApprover(v, a.actor(), a.detail(), settings.evaluationLink(v.evaluationId())), a.requestId());
    logVerdict(v, "rejected by an approver" + (r == GitHubApi.Result.OK ? "" : " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")"));
  }

  private void note(GitHubOrigin origin, String text, int limit, String requestId) {
    int sent = notes.asMap().getOrDefault(origin.callbackUrl(), 0);
    if (sent >= limit) {
      log.atDebug().addKeyValue("event", "github.note.skipped").addKeyValue("requestId", requestId)
          .log("progress note skipped: {} already sent for this deployment", sent);
      return;
    }
    notes.put(origin.callbackUrl(), sent + 1);
    api.reviewDeployment(origin, null, text, requestId);
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
    GitHubOrigin origin = r.github();
    Reporting reporting = null;
    if (origin != null) {
      reporting = new Reporting(origin, origin.installationId(), origin.repository(), r.target().environment());
    } else {
      String ownerRepo = ownerRepo(r.target().repository());
      if (ownerRepo != null) {
        // An API-started evaluation of a repository this App is installed on for the same tenant: a commit status
        // is the only place GitHub users see it (no environment protection rule involved).
        Optional<Long> installation = tokens.installationFor(r.target().tenant(), r.target().repository());
        if (installation.isPresent()) {
          reporting = new Reporting(null, installation.get(), ownerRepo, r.target().environment());
        }
      }
    }
    p.reporting = reporting;
    p.resolved = true;
    return reporting;
  }

  /** {@code owner/name} of a repository URL on the configured GitHub host, else null. */
  String ownerRepo(String repositoryUrl) {
    RepositoryLocation location;
    try {
      location = RepositoryLocation.parse(repositoryUrl);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (location.isLocal() || !location.isUnder(webBase)) {
      return null;
    }
    String[] parts = location.identity().substring(webBase.length() + 1).split("/");
    return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts[0] + "/" + parts[1] : null;
  }

  private static String context(String environment) {
    return VerdictComment.context(environment);
  }

  private static void logVerdict(VerdictReached v, String outcome) {
    log.atInfo().addKeyValue("event", "github.verdict.reported").addKeyValue("requestId", v.requestId())
        .addKeyValue("evaluationId", v.evaluationId()).addKeyValue("revision", v.revision()).addKeyValue("outcome", outcome)
        .log("verdict reported to GitHub: {}", outcome);
  }
}
