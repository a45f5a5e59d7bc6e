package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.deploy.ServerConfigFileAccess;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.GateService;
import dev.tollgate.gate.attestation.AttestationKeys;
import dev.tollgate.gate.auth.Role;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.calendar.EnvironmentCalendar;
import dev.tollgate.gate.github.GitHubIntegration;
import dev.tollgate.gate.gitlab.GitLabIntegration;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.gate.slack.SlackIntegration;
import dev.tollgate.probes.ProbeWorkers;
import dev.tollgate.probes.WorkerConfig;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.GitCredentials;
import dev.tollgate.probes.runtime.ProbeRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One Tollgate installation for an integration test, on a real broker: its own topic namespace, Streams
 * application id and consumer groups, so tests sharing the broker never see each other. Gates and workers can be
 * started, stopped and halted one by one.
 */
public final class TestInstallation implements AutoCloseable {
  public static final String ADMIN = Tokens.generate();
  public static final String VIEWER = Tokens.generate();
  public static final String REQUESTER = Tokens.generate();
  public static final String OTHER_TENANT = Tokens.generate();
  /** Approver tokens named alice and bob (tenant acme): override votes are cast under the token's name. */
  public static final String ALICE = Tokens.generate();
  public static final String BOB = Tokens.generate();
  /**
   * A CD system's token named argo (tenant acme, role requester) marked {@code deployReporter}: its deploy reports count
   * for deploys it did not request.
   */
  public static final String DEPLOY_REPORTER = Tokens.generate();

  private final String bootstrap;
  private final Path dataDir;
  private final ProbeRegistry registry;
  private JsonNode root;
  /** Partitions of each topic the installation creates. */
  public static final int PARTITIONS = 2;
  private final Topics topics;
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<ProbeWorkers> workers = new ArrayList<>();
  private GateService gate;
  private GitHubIntegration github;
  private GitLabIntegration gitlab;
  private SlackIntegration slack;
  private GitCredentials credentials = GitCredentials.none();
  private EnvironmentCalendar calendar;
  private AttestationKeys attestation;
  private final List<GateService> otherGates = new ArrayList<>();

  /**
   * @param yaml the tollgate.yml of this installation (environments naming the test probes); kafka and tenant
   *     settings are added here
   */
  public TestInstallation(String bootstrap, Path dataDir, ProbeRegistry registry, String yaml) {
    this.bootstrap = bootstrap;
    this.dataDir = dataDir;
    this.registry = registry;
    this.root = ServerConfigFileAccess.parse(yaml);
    this.topics = Topics.namespaced("it-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Makes gates of this installation a GitHub App and lets its workers clone with {@code credentials}. */
  public TestInstallation withGitHub(GitHubIntegration integration, GitCredentials gitCredentials) {
    this.github = integration;
    this.credentials = gitCredentials;
    return this;
  }

  /** Makes gates of this installation a GitLab approver and lets its workers clone with {@code gitCredentials} too. */
  public TestInstallation withGitLab(GitLabIntegration integration, GitCredentials gitCredentials) {
    this.gitlab = integration;
    this.credentials = credentials.orElse(gitCredentials);
    return this;
  }

  /** Makes gates of this installation a Slack app. */
  public TestInstallation withSlack(SlackIntegration integration) {
    this.slack = integration;
    return this;
  }

  /** Gives gates of this installation the environments' calendar (the dashboard shows it). */
  public TestInstallation withCalendar(EnvironmentCalendar environmentCalendar) {
    this.calendar = environmentCalendar;
    return this;
  }

  /** Makes gates of this installation sign verdicts with {@code keys}. */
  public TestInstallation withAttestation(AttestationKeys keys) {
    this.attestation = keys;
    return this;
  }

  /** Replaces this installation's tollgate.yml; gates started from now on read it (an operator's config change). */
  public TestInstallation withConfig(String yaml) {
    this.root = ServerConfigFileAccess.parse(yaml);
    return this;
  }

  /** The parsed tollgate.yml of this installation. */
  public JsonNode config() {
    return root;
  }

  /** Client properties of the broker. */
  public Map<String, Object> kafka() {
    return Map.of("bootstrap.servers", bootstrap);
  }

  public Topics topics() {
    return topics;
  }

  public GateConfig gateConfig() {
    return gateConfig(dataDir);
  }

  private GateConfig gateConfig(Path dir) {
    List<Tokens.Entry> tokens = List.of(
        new Tokens.Entry("admin", Tokens.sha256(ADMIN), Role.ADMIN, Set.of("*")),
        new Tokens.Entry("viewer", Tokens.sha256(VIEWER), Role.VIEWER, Set.of("acme")),
        new Tokens.Entry("ci", Tokens.sha256(REQUESTER), Role.REQUESTER, Set.of("acme")),
        new Tokens.Entry("other", Tokens.sha256(OTHER_TENANT), Role.ADMIN, Set.of("globex")),
        new Tokens.Entry("alice", Tokens.sha256(ALICE), Role.APPROVER, Set.of("acme")),
        new Tokens.Entry("bob", Tokens.sha256(BOB), Role.APPROVER, Set.of("acme")),
        new Tokens.Entry("argo", Tokens.sha256(DEPLOY_REPORTER), Role.REQUESTER, Set.of("acme"), true));
    return GateConfig.from(root, topics, dir, registry.ids(), tokens, true).withHttpPort(0);
  }

  /** Starts a gate (creating the topics on first start). */
  public GateService startGate() throws Exception {
    gate = ready(GateService.start(vertx, gateConfig(), kafka(), new TopicSetup(topics, PARTITIONS, (short) 1), Clock.systemUTC(), meters,
        Map.of(), new GateService.Integrations(github, gitlab, slack, calendar, attestation)).await(60, TimeUnit.SECONDS));
    return gate;
  }

  /**
   * Starts one more gate of this installation beside the running one (its own data dir, metrics and port; the same
   * topics, groups and keys), as a second replica would run; stopped by {@link #close()}.
   */
  public GateService startAnotherGate(Path otherDataDir) throws Exception {
    GateService other = ready(GateService.start(vertx, gateConfig(otherDataDir), kafka(), null, Clock.systemUTC(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Map.of(),
        new GateService.Integrations(github, gitlab, slack, calendar, attestation)).await(60, TimeUnit.SECONDS));
    otherGates.add(other);
    return other;
  }

  private static GateService ready(GateService started) throws InterruptedException {
    long deadline = Waits.deadline(Duration.ofSeconds(60));
    while (!started.ready() && System.nanoTime() < deadline) {
      Thread.sleep(25);
    }
    if (!started.ready()) {
      throw new IllegalStateException("gate not ready within 60 s");
    }
    return started;
  }

  /** Stops the running gate (gracefully). */
  public void stopGate() throws Exception {
    if (gate != null) {
      gate.stop().await(60, TimeUnit.SECONDS);
      gate = null;
    }
  }

  /** Starts a worker named {@code name} in the installation's consumer group and waits for its partitions. */
  public ProbeWorkers startWorker(String name) throws InterruptedException {
    WorkerConfig config = WorkerConfig.from(root.path("worker"), RepositoryAllowList.fromConfig(root.path("repositories"), true),
        topics, dataDir, new ServerSettings(root.path("defaults"), root.path("environments"), "")).withWorkerName(name);
    ProbeWorkers w = ProbeWorkers.start(config, registry, kafka(), Clock.systemUTC(), meters, credentials);
    workers.add(w);
    return w;
  }

  /** The HTTP API of the running gate, as the admin. */
  public Api api() {
    return new Api(gate.httpPort(), ADMIN);
  }

  /** The HTTP API of the running gate, with another token. */
  public Api api(String token) {
    return new Api(gate.httpPort(), token);
  }

  public GateService gate() {
    return gate;
  }

  /**
   * Makes {@code commit} a baseline the gate trusts in {@code environment}, as the release that runs there is: the gate
   * checks a range from a baseline only when it decided GO or OVERRIDDEN for it there (docs/security.md). Evaluates the
   * commit (nothing before it: the whole tree) and, when that is a NO_GO, overrides it as alice (so the environment's
   * {@code overrides} must name her and allow what fails). Returns the evaluation id.
   */
  public String trust(String repository, String tenant, String environment, String commit) throws InterruptedException {
    JsonNode v = api(ADMIN).evaluate("{\"repository\":\"" + repository + "\",\"environment\":\"" + environment
        + "\",\"tenant\":\"" + tenant + "\",\"candidate\":\"" + commit + "\"}", 60).json();
    String id = v.path("id").asText();
    if ("NO_GO".equals(v.path("verdict").path("decision").asText())) {
      Api.Response vote = api(ALICE).post("/api/v1/evaluations/" + id + "/overrides",
          "{\"decision\":\"approve\",\"reason\":\"the release that runs in " + environment + " today\"}");
      if (vote.status() != 202) {
        throw new IllegalStateException("could not override the baseline's NO_GO: " + vote.body());
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!gate.views().commitStatus(tenant, repository, environment, commit).go()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the baseline never became trusted: " + v);
      }
      Thread.sleep(20);
    }
    return id;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  @Override
  public void close() {
    for (ProbeWorkers w : workers) {
      w.close(Duration.ofSeconds(5));
    }
    try {
      for (GateService other : otherGates) {
        other.stop().await(60, TimeUnit.SECONDS);
      }
      stopGate();
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test installation", e);
    }
  }
}
