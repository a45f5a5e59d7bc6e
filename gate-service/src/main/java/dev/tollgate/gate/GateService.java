package dev.tollgate.gate;

import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.attestation.AttestationSigner;
import dev.tollgate.gate.attestation.AttestationStore;
import dev.tollgate.gate.attestation.AttestationsHandler;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.dashboard.Dashboard;
import dev.tollgate.gate.delivery.DeliveryHistory;
import dev.tollgate.gate.delivery.DeliveryView;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.gate.evaluation.DeployRecorder;
import dev.tollgate.gate.evaluation.EvaluationSubmitter;
import dev.tollgate.gate.github.GitHubApi;
import dev.tollgate.gate.github.GitHubIntegration;
import dev.tollgate.gate.github.GitHubReporter;
import dev.tollgate.gate.github.GitHubWebhookHandler;
import dev.tollgate.gate.gitlab.GitLabApi;
import dev.tollgate.gate.gitlab.GitLabIntegration;
import dev.tollgate.gate.gitlab.GitLabReporter;
import dev.tollgate.gate.gitlab.GitLabWebhookHandler;
import dev.tollgate.gate.http.ApiRouter;
import dev.tollgate.gate.http.LocksHandler;
import dev.tollgate.gate.lock.LockService;
import dev.tollgate.gate.http.OverridesHandler;
import dev.tollgate.gate.offheap.OffHeapStore;
import dev.tollgate.gate.override.OverrideService;
import dev.tollgate.gate.policy.PolicyChanges;
import dev.tollgate.gate.http.DeploymentsHandler;
import dev.tollgate.gate.http.EvaluationsHandler;
import dev.tollgate.gate.http.HealthHandler;
import dev.tollgate.gate.http.HttpVerticle;
import dev.tollgate.gate.kafka.EventPublisher;
import dev.tollgate.gate.kafka.KafkaHealth;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.gate.slack.SlackApi;
import dev.tollgate.gate.slack.SlackIntegration;
import dev.tollgate.gate.slack.SlackInteractionHandler;
import dev.tollgate.gate.slack.SlackReporter;
import dev.tollgate.gate.verdict.VerdictService;
import dev.tollgate.kafka.StartedParts;
import dev.tollgate.gate.view.EvaluationViews;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the gate: topics, publisher, evaluation views, the verdict aggregator and the HTTP server,
 * in that order (vertx-in-action's {@code Main}).
 */
public final class GateService {
  private static final Logger log = LoggerFactory.getLogger(GateService.class);

  private final Vertx vertx;
  private final EventPublisher publisher;
  private final KafkaHealth health;
  private final EvaluationViews views;
  private final DeliveryView delivery;
  private final VerdictService verdicts;
  private final GitHubApi githubApi;
  private final GitHubReporter githubReporter;
  private final GitLabReporter gitlabReporter;
  private final SlackApi slackApi;
  private final SlackReporter slackReporter;
  private final AttestationStore attestations;
  private final AttestationSigner signer;
  /** The Kafka parts in the order they started: stopped in reverse. */
  private final StartedParts parts;
  private String deploymentId;
  private HttpVerticle http;
  private Dashboard dashboard;
  private long policyTimer = -1;
  private boolean policyRecording;
  /** Done when the warm-up ended (warm, failed or given up): ready waits for it. */
  private CompletableFuture<Void> warmed = CompletableFuture.completedFuture(null);

  private GateService(Vertx vertx, EventPublisher publisher, KafkaHealth health, EvaluationViews views, DeliveryView delivery,
      VerdictService verdicts, GitHubApi githubApi, GitHubReporter githubReporter, GitLabReporter gitlabReporter,
      SlackApi slackApi, SlackReporter slackReporter, AttestationStore attestations, AttestationSigner signer,
      StartedParts parts) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.health = health;
    this.views = views;
    this.delivery = delivery;
    this.verdicts = verdicts;
    this.githubApi = githubApi;
    this.githubReporter = githubReporter;
    this.gitlabReporter = gitlabReporter;
    this.slackApi = slackApi;
    this.slackReporter = slackReporter;
    this.attestations = attestations;
    this.signer = signer;
    this.parts = parts;
  }

  /**
   * Starts the gate.
   *
   * @param topicSetup creates missing topics first; null when they are managed elsewhere (e.g. Strimzi)
   * @param extraReady readiness checks added by the launcher (e.g. the embedded workers)
   */
  public static Future<GateService> start(Vertx vertx, GateConfig config, Map<String, Object> kafka, TopicSetup topicSetup,
      Clock clock, PrometheusMeterRegistry meters, Map<String, BooleanSupplier> extraReady) {
    return start(vertx, config, kafka, topicSetup, clock, meters, extraReady, Integrations.NONE);
  }

  /**
   * Starts the gate as a GitHub App too: the webhook route and the reporter that answers GitHub.
   *
   * @param github the App's settings and installation tokens; null when GitHub is not configured
   */
  public static Future<GateService> start(Vertx vertx, GateConfig config, Map<String, Object> kafka, TopicSetup topicSetup,
      Clock clock, PrometheusMeterRegistry meters, Map<String, BooleanSupplier> extraReady, GitHubIntegration github) {
    return start(vertx, config, kafka, topicSetup, clock, meters, extraReady, Integrations.NONE.withGitHub(github));
  }

  /**
   * The integrations a gate serves besides its API; each is null when not configured.
   *
   * @param github the GitHub App's settings and installation tokens
   * @param gitlab the GitLab settings (bot tokens, webhook secrets, tenants by group)
   * @param slack the Slack app's settings and the deploy calendar
   * @param calendar the server's calendar per environment, which the dashboard shows (implemented by the launcher
   *     with the probes' engine)
   * @param attestation the keys this gate signs verdicts with; null: this gate signs nothing (it still serves what
   *     other gates signed)
   */
  public record Integrations(GitHubIntegration github, GitLabIntegration gitlab, SlackIntegration slack,
      EnvironmentCalendar calendar, AttestationKeys attestation) {
    /** No integration: the API only. */
    public static final Integrations NONE = new Integrations(null, null, null, null, null);

    /** Without signing keys. */
    public Integrations(GitHubIntegration github, GitLabIntegration gitlab, SlackIntegration slack, EnvironmentCalendar calendar) {
      this(github, gitlab, slack, calendar, null);
    }

    /** These integrations with {@code github}. */
    public Integrations withGitHub(GitHubIntegration github) {
      return new Integrations(github, gitlab, slack, calendar, attestation);
    }

    /** These integrations with {@code gitlab}. */
    public Integrations withGitLab(GitLabIntegration gitlab) {
      return new Integrations(github, gitlab, slack, calendar, attestation);
    }

    /** These integrations with {@code slack}. */
    public Integrations withSlack(SlackIntegration slack) {
      return new Integrations(github, gitlab, slack, calendar, attestation);
    }

    /** These integrations with {@code calendar}. */
    public Integrations withCalendar(EnvironmentCalendar calendar) {
      return new Integrations(github, gitlab, slack, calendar, attestation);
    }

    /** These integrations signing verdicts with {@code keys}. */
    public Integrations withAttestation(AttestationKeys keys) {
      return new Integrations(github, gitlab, slack, calendar, keys);
    }
  }

  /**
   * The warm-up {@link #start} runs before ready: the configured policy, and a throwaway key of the configured signing
   * key's kind (the kind only: never the key), or no signing when attestations are off.
   */
  public static GateWarmup warmup(GateConfig config, Integrations integrations, Clock clock) {
    AttestationKeys keys = integrations.attestation();
    return new GateWarmup(config.policy(), keys == null ? null : keys.signing().kind(), clock);
  }

  /**
   * Starts the gate with the integrations that are configured: each adds its routes and its reporter.
   */
  public static Future<GateService> start(Vertx vertx, GateConfig config, Map<String, Object> kafka, TopicSetup topicSetup,
      Clock clock, PrometheusMeterRegistry meters, Map<String, BooleanSupplier> extraReady, Integrations integrations) {
    // The warm-up begins first, in memory, while Kafka, the views and the aggregator start.
    CompletableFuture<Void> warmed = GateWarmup.begin(() -> warmup(config, integrations, clock), config.warmup(), meters);
    return vertx.executeBlocking(() -> {
      // Each part is recorded as soon as it exists: a later step that fails stops them all again (StartedParts).
      StartedParts parts = new StartedParts("gate");
      try {
        return startParts(vertx, config, kafka, topicSetup, clock, meters, integrations, parts);
      } catch (RuntimeException | Error e) {
        parts.stopAll(e);
        throw e;
      }
    }).compose(gate -> {
      Future<GateService> served;
      try {
        served = gate.serve(config, clock, meters, extraReady, integrations, warmed);
      } catch (RuntimeException e) {
        served = Future.failedFuture(e);
      }
      // The parts run: a step after them that failed (the HTTP port is taken) stops them before the start fails.
      return served.recover(failure -> gate.stop().transform(stopped -> {
        if (stopped.failed()) {
          log.atWarn().addKeyValue("event", "gate.start.cleanup.failed")
              .log("gate did not stop cleanly after the failed start: {}", stopped.cause().toString());
        }
        return Future.<GateService>failedFuture(failure);
      }));
    });
  }

  /** Creates and starts the Kafka parts of the gate (blocking), recording each in {@code parts}. */
  private static GateService startParts(Vertx vertx, GateConfig config, Map<String, Object> kafka, TopicSetup topicSetup,
      Clock clock, PrometheusMeterRegistry meters, Integrations integrations, StartedParts parts) {
    GitHubIntegration github = integrations.github();
    GitLabIntegration gitlab = integrations.gitlab();
    SlackIntegration slack = integrations.slack();
    if (topicSetup != null) {
      topicSetup.ensure(kafka);
    }
    EventPublisher publisher = parts.add("publisher", new EventPublisher(vertx, kafka, meters));
    KafkaHealth health = parts.add("health", new KafkaHealth(kafka, clock));
    // The off-heap caches of the views and of the attestation index: beside the Streams state, on the data volume
    // (a pod's /tmp is small), one directory per state dir so that two gates never share one; wiped on every start.
    // A root state dir has no name (and no sibling): the caches go inside it then.
    Path stateName = config.stateDir().toAbsolutePath().getFileName();
    Path offHeap = stateName == null ? config.stateDir().toAbsolutePath().resolve("tollgate-offheap")
        : config.stateDir().toAbsolutePath().resolveSibling(stateName + "-offheap");
    EvaluationViews views = parts.add("views", new EvaluationViews(config.topics(), kafka, config.maxViewEvaluations(),
        EvaluationViews.HOT_EVALUATIONS, OffHeapStore.open(offHeap.resolve("views")), meters));
    DeliveryView delivery = parts.add("delivery", new DeliveryView(config.topics(), kafka,
        new DeliveryHistory(config.delivery(), clock, "/docs/delivery-metrics"), config.policy().environments().keySet(),
        clock, meters));
    VerdictService verdicts = parts.add("aggregator", new VerdictService(config.topics(), config.policy(),
        config.applicationId(), config.streamThreads(), config.stateDir(), kafka, clock, meters));
    AttestationStore attestations = parts.add("attestations", new AttestationStore(config.topics(), kafka,
        config.maxViewEvaluations(), OffHeapStore.open(offHeap.resolve("attestations")), meters));
    views.start();
    delivery.start();
    verdicts.start();
    attestations.start();
    AttestationSigner signer = null;
    if (integrations.attestation() != null) {
      signer = parts.add("attestationSigner",
          new AttestationSigner(config.topics(), kafka, integrations.attestation(), attestations, meters));
      signer.start();
    }
    GitHubApi githubApi = null;
    GitHubReporter reporter = null;
    if (github != null) {
      githubApi = new GitHubApi(github.settings(), github.tokens(), meters);
      reporter = new GitHubReporter(config.topics(), kafka, views, githubApi, github.settings(), github.tokens(), config.policy(),
          meters);
      parts.onStop("githubReporter", reporter::close);
      reporter.start();
    }
    GitLabReporter gitlabReporter = null;
    if (gitlab != null) {
      gitlabReporter = new GitLabReporter(config.topics(), kafka, views, new GitLabApi(gitlab.settings(), meters),
          gitlab.settings(), config.policy(), meters);
      parts.onStop("gitlabReporter", gitlabReporter::close);
      gitlabReporter.start();
    }
    SlackApi slackApi = null;
    SlackReporter slackReporter = null;
    if (slack != null) {
      slackApi = new SlackApi(slack.settings(), meters);
      slackReporter = new SlackReporter(config.topics(), kafka, views, config.policy(), slack.settings(), slackApi, publisher,
          clock, meters);
      parts.add("slackReporter", slackReporter);
      slackReporter.start();
    }
    return new GateService(vertx, publisher, health, views, delivery, verdicts, githubApi, reporter, gitlabReporter,
        slackApi, slackReporter, attestations, signer, parts);
  }

  /** Serves the gate over HTTP once its parts run: readiness, the handlers, the dashboard, then listening. */
  private Future<GateService> serve(GateConfig config, Clock clock, PrometheusMeterRegistry meters,
      Map<String, BooleanSupplier> extraReady, Integrations integrations, CompletableFuture<Void> warmed) {
    GateService gate = this;
    GitHubIntegration github = integrations.github();
    GitLabIntegration gitlab = integrations.gitlab();
    SlackIntegration slack = integrations.slack();
    EnvironmentCalendar calendar = integrations.calendar();
    gate.warmed = warmed;
    Map<String, BooleanSupplier> ready = new LinkedHashMap<>(extraReady);
    ready.put("warmup", warmed::isDone);
    ready.put("kafka", gate.health::reachable);
    ready.put("views", gate.views::caughtUp);
    ready.put("aggregator", gate.verdicts::isRunning);
    if (gate.githubReporter != null) {
      ready.put("githubReporter", gate.githubReporter::isRunning);
    }
    if (gate.gitlabReporter != null) {
      ready.put("gitlabReporter", gate.gitlabReporter::isRunning);
    }
    if (gate.slackReporter != null) {
      ready.put("slackReporter", gate.slackReporter::isRunning);
    }
    ready.put("attestations", () -> gate.attestations.caughtUp() && gate.attestations.isRunning());
    if (gate.signer != null) {
      ready.put("attestationSigner", gate.signer::isRunning);
    }
    Map<String, BooleanSupplier> live = Map.of("views", () -> !gate.views.caughtUp() || gate.views.isRunning(),
        "aggregator", () -> !gate.verdicts.state().equals("ERROR") && !gate.verdicts.state().equals("NOT_RUNNING"));
    HealthHandler healthHandler = new HealthHandler(live, ready);
    EvaluationSubmitter submitter = new EvaluationSubmitter(config.topics().evaluationsRequested(), gate.publisher,
        gate.views, clock, meters);
    EvaluationsHandler evaluations = new EvaluationsHandler(vertx, config, submitter, gate.views);
    // One recorder for the API and both platforms: one place decides whether a deploy went out without a GO.
    DeployRecorder recorder = new DeployRecorder(config.topics(), gate.publisher, gate.views);
    DeploymentsHandler deployments = new DeploymentsHandler(config, recorder, gate.views, clock);
    GitHubWebhookHandler githubWebhook = github == null ? null : new GitHubWebhookHandler(vertx, config, github.settings(),
        submitter, recorder, gate.views, gate.githubApi, clock, meters);
    GitLabWebhookHandler gitlabWebhook = gitlab == null ? null : new GitLabWebhookHandler(config, gitlab.settings(), submitter,
        recorder, gate.views, clock, meters);
    LockService lockService = new LockService(vertx, config.topics(), gate.publisher, gate.views.gates());
    // One OverrideService for the API and Slack: its memory of votes not yet in the views spans both.
    OverrideService overrideService = new OverrideService(config, gate.publisher, gate.views, clock);
    OverridesHandler overrides = new OverridesHandler(overrideService, gate.views);
    SlackInteractionHandler slackHandler = slack == null ? null : new SlackInteractionHandler(vertx, slack.settings(),
        gate.slackApi, overrideService, gate.views, config.policy(), slack.calendar(), clock, meters, lockService,
        config.defaultTenant());
    gate.dashboard = Dashboard.start(vertx, config, gate.views, gate.attestations, calendar, gate.delivery.history(), clock,
        meters);
    AttestationsHandler attestationsHandler = new AttestationsHandler(vertx, gate.attestations, gate.views);
    Dashboard dashboard = gate.dashboard;
    gate.http = new HttpVerticle(config.httpHost(), config.httpPort(),
        v -> ApiRouter.create(v, config, new ApiRouter.Handlers(evaluations, deployments, overrides, healthHandler,
            githubWebhook, gitlabWebhook, slackHandler, dashboard, attestationsHandler,
            new LocksHandler(config, lockService, clock)), meters));
    gate.recordPolicyChange(config, clock);
    return vertx.deployVerticle(gate.http).map(id -> {
      gate.deploymentId = id;
      log.atInfo().addKeyValue("event", "gate.started").addKeyValue("port", gate.http.actualPort())
          .log("gate listening on port {}", gate.http.actualPort());
      return gate;
    });
  }

  /**
   * Once the views have read the audit topic, writes a policy change record when this gate's policy is not the one
   * last recorded; retried every half second until Kafka takes it (a gate that starts while Kafka is down still
   * records it later).
   */
  private void recordPolicyChange(GateConfig config, Clock clock) {
    policyTimer = vertx.setPeriodic(500, timer -> {
      if (policyRecording || !views.caughtUp()) {
        return;
      }
      Optional<AuditRecorded> change = PolicyChanges.change(views.audit().lastPolicyChange(), config.policy(), clock.instant());
      if (change.isEmpty()) {
        vertx.cancelTimer(timer);
        return;
      }
      policyRecording = true;
      publisher.publish(config.topics().auditRecorded(), change.get()).onComplete(done -> {
        policyRecording = false;
        if (done.succeeded()) {
          vertx.cancelTimer(timer);
          log.atInfo().addKeyValue("event", "policy.changed").addKeyValue("policyVersion", config.policy().version())
              .log("{}", change.get().detail());
        }
      });
    });
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return http.actualPort();
  }

  /**
   * Every route the gate serves, as {@code METHOD path} ({@code GET /api/v1/evaluations/:id}); a route for every
   * method is listed as {@code * path}. The OpenAPI test checks the document against it.
   */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (Route r : http.router().getRoutes()) {
      if (r.getPath() == null) {
        continue;
      }
      if (r.methods() == null || r.methods().isEmpty()) {
        out.add("* " + r.getPath());
      } else {
        r.methods().forEach(m -> out.add(m.name() + " " + r.getPath()));
      }
    }
    return out;
  }

  /** The delivery metrics view (tests and the bench wait for it to catch up). */
  public DeliveryView delivery() {
    return delivery;
  }

  /** The evaluation views (the CLI and tests read them directly). */
  public EvaluationViews views() {
    return views;
  }

  /**
   * True when the warm-up ended, Kafka answers, the views and attestations caught up, the aggregator runs (and the platform reporters and
   * the attestation signer, when configured).
   */
  public boolean ready() {
    return warmed.isDone() && health.reachable() && views.caughtUp() && verdicts.isRunning()
        && (githubReporter == null || githubReporter.isRunning()) && (gitlabReporter == null || gitlabReporter.isRunning())
        && (slackReporter == null || slackReporter.isRunning()) && attestations.caughtUp() && attestations.isRunning()
        && (signer == null || signer.isRunning());
  }

  /** The signed attestations this gate serves. */
  public AttestationStore attestations() {
    return attestations;
  }

  /** The attestation signer, or null when this gate has no signing key. */
  public AttestationSigner attestationSigner() {
    return signer;
  }

  /** The GitHub reporter, or null when GitHub is not configured (tests wait for its partitions). */
  public GitHubReporter githubReporter() {
    return githubReporter;
  }

  /** The GitLab reporter, or null when GitLab is not configured (tests wait for its partitions). */
  public GitLabReporter gitlabReporter() {
    return gitlabReporter;
  }

  /** The Slack reporter, or null when Slack is not configured (tests wait for its partitions). */
  public SlackReporter slackReporter() {
    return slackReporter;
  }

  /** Stops the warm-up if it still runs and the HTTP server (no new requests), then the Kafka parts. */
  public Future<Void> stop() {
    GateWarmup.cancel();
    vertx.cancelTimer(policyTimer);
    Future<Void> undeploy = deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    return undeploy.recover(e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
      if (dashboard != null) {
        dashboard.close();
      }
      // The reporters, the signer, the attestations, the aggregator, the views, health and the publisher: the reverse
      // of their start, each bounded, one that fails does not keep the others running.
      parts.stopAll();
      return null;
    }));
  }
}
