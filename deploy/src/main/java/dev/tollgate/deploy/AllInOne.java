package dev.tollgate.deploy;

import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.GateService;
import dev.tollgate.gate.GateWarmup;

import dev.tollgate.deploy.attestation.AttestationConfig;
import dev.tollgate.deploy.github.GitHubAppAuth;
import dev.tollgate.deploy.github.GitHubConfig;
import dev.tollgate.deploy.gitlab.GitLabCloneCredentials;
import dev.tollgate.deploy.gitlab.GitLabConfig;
import dev.tollgate.deploy.gitlab.GitLabFreezeImport;
import dev.tollgate.deploy.slack.SlackConfig;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.github.GitHubIntegration;
import dev.tollgate.gate.gitlab.GitLabApi;
import dev.tollgate.gate.gitlab.GitLabIntegration;
import dev.tollgate.gate.kafka.TopicSetup;
import dev.tollgate.gate.slack.SlackIntegration;
import dev.tollgate.gate.slack.SlackSettings;
import dev.tollgate.probes.ProbeWorkers;
import dev.tollgate.probes.WorkerConfig;
import dev.tollgate.probes.calendar.FreezeCalendarProbe;
import dev.tollgate.probes.calendar.FreezeSource;
import dev.tollgate.probes.repo.GitCredentials;
import dev.tollgate.probes.runtime.ProbeRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Tollgate in one JVM: an embedded KRaft broker (unless a cluster is given), the gate and the probe
 * workers; or only the gate, or only workers ({@code --role}), the multi-process shape.
 */
public final class AllInOne implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AllInOne.class);
  static final String ADMIN_TOKEN_FILE = "admin.token";

  /** Which parts run in this process. */
  public enum Role { ALL, GATE, WORKER }

  /** What {@code serve} was asked to do. */
  public record Options(ServerConfigFile config, Path dataDir, Integer httpPort, String kafkaBootstrap, Role role,
      ProbeRegistry registry, Clock clock, String httpHost) {
    /** Listening where the configuration says ({@code http.host}, loopback by default). */
    public Options(ServerConfigFile config, Path dataDir, Integer httpPort, String kafkaBootstrap, Role role,
        ProbeRegistry registry, Clock clock) {
      this(config, dataDir, httpPort, kafkaBootstrap, role, registry, clock, null);
    }
  }

  private final EmbeddedKafka kafka;
  private final Vertx vertx;
  private final GateService gate;
  private final ProbeWorkers workers;
  private final OpsServer ops;
  private final Path adminTokenFile;
  private final AttestationConfig.Loaded attestation;
  private final int httpPort;
  /** The OpenTelemetry SDK when tracing is configured (flushed on close), else null. */
  private io.opentelemetry.sdk.OpenTelemetrySdk tracing;
  private String httpHost;

  private AllInOne(EmbeddedKafka kafka, Vertx vertx, GateService gate, ProbeWorkers workers, OpsServer ops,
      Path adminTokenFile, AttestationConfig.Loaded attestation, int httpPort) {
    this.kafka = kafka;
    this.vertx = vertx;
    this.gate = gate;
    this.workers = workers;
    this.ops = ops;
    this.adminTokenFile = adminTokenFile;
    this.attestation = attestation;
    this.httpPort = httpPort;
  }

  /**
   * Starts everything {@code options.role()} asks for and waits until it is up.
   *
   * @throws IllegalArgumentException for configuration errors (naming the key)
   */
  public static AllInOne start(Options options) throws Exception {
    ServerConfigFile file = options.config();
    Path dataDir = options.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    boolean runsGate = options.role() != Role.WORKER;
    boolean runsWorkers = options.role() != Role.GATE;

    // Validate all configuration before starting anything: the same reading as `tollgate config validate`.
    List<Tokens.Entry> extraTokens = new ArrayList<>();
    Path adminTokenFile = null;
    // Only the all-in-one makes its own admin token: gates behind one Service must share theirs (tokens: in the file).
    if (options.role() == Role.ALL && file.section("tokens").isMissingNode()) {
      adminTokenFile = dataDir.resolve(ADMIN_TOKEN_FILE);
      extraTokens.add(new Tokens.Entry("admin", Tokens.sha256(adminToken(adminTokenFile)), dev.tollgate.gate.auth.Role.ADMIN, Set.of("*")));
    }
    ServerSetup setup = ServerSetup.read(file, new ServerSetup.Inputs(dataDir, options.kafkaBootstrap(), options.role(),
        extraTokens, options.registry(), System::getenv, options.clock())).orThrow(file.source());
    KafkaSettings kafkaSettings = setup.kafka();
    GateConfig gateConfig = setup.gate();
    if (options.httpPort() != null) {
      gateConfig = gateConfig.withHttpPort(options.httpPort());
    }
    if (options.httpHost() != null) {
      gateConfig = gateConfig.withHttpHost(options.httpHost());
    }
    WorkerConfig workerConfig = setup.worker();
    // Read by gate and workers alike: the gate answers GitHub, the workers clone private repositories.
    GitHubConfig github = setup.github();
    // Likewise GitLab: the gate approves and sets statuses, the workers clone and import freeze periods.
    GitLabConfig gitlab = setup.gitlab();
    String otlpEndpoint = setup.otlpEndpoint();
    io.opentelemetry.sdk.OpenTelemetrySdk tracing = otlpEndpoint == null ? null
        : TracingSetup.install(otlpEndpoint, file.section("tracing").path("serviceName")
            .asText("tollgate-" + options.role().name().toLowerCase(java.util.Locale.ROOT)));
    // Only the gate talks to Slack; a worker-only process still refuses a broken section (one file for all roles).
    SlackSettings slackSettings = setup.slack();
    // Only a gate signs verdicts (with the configured key, or one generated in its data dir); ServerSetup checked the section.
    AttestationConfig.Loaded attestation = runsGate ? AttestationConfig.from(file.section("attestations"), dataDir, System::getenv)
        : null;

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ClassLoaderMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);

    EmbeddedKafka embedded = null;
    Vertx vertx = null;
    ProbeWorkers workers = null;
    GateService gate = null;
    OpsServer ops = null;
    if (runsWorkers) {
      // The probes warm while the broker and the gate start (much of which waits on the group protocol); the workers
      // wait for it before they join, so ready still means warm. The configured registry: no GitLab freeze import.
      ProbeWorkers.beginWarmup(workerConfig, options.registry(), options.clock(), meters);
    }
    // From here a failed start cancels the warm-ups (below): each would otherwise spend a core for its whole budget.
    try {
      String bootstrap = kafkaSettings.bootstrap();
      if (bootstrap == null) {
        embedded = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
        bootstrap = embedded.bootstrap();
      }
      Map<String, Object> client = kafkaSettings.client(bootstrap);
      vertx = Vertx.builder()
          .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(meters))
          .build();
      GitHubAppAuth githubAuth = github == null ? null : new GitHubAppAuth(github, options.clock(), meters);
      GitHubIntegration githubGate = githubAuth == null ? null : new GitHubIntegration(githubAuth.gateSettings(), githubAuth);
      GitCredentials gitCredentials = githubAuth == null ? GitCredentials.none() : githubAuth;
      GitLabIntegration gitlabGate = gitlab == null ? null : new GitLabIntegration(gitlab.settings());
      ProbeRegistry registry = options.registry();
      if (gitlab != null) {
        gitCredentials = gitCredentials.orElse(new GitLabCloneCredentials(gitlab.settings()));
        if (gitlab.freezes().enabled()) {
          registry = withImportedFreezes(registry, new GitLabFreezeImport(gitlab.settings(), new GitLabApi(gitlab.settings(), meters),
              gitlab.freezes(), meters));
        }
      }
      // The gate may not depend on probe-workers: the calendar engine is wrapped here and injected (the dashboard's
      // environments page, /tollgate freeze).
      EngineCalendar calendar = EngineCalendar.of(file.root());
      SlackIntegration slack = slackSettings == null || !runsGate ? null : new SlackIntegration(slackSettings, calendar);

      TopicSetup topics = new TopicSetup(kafkaSettings.topics(), kafkaSettings.partitions(), kafkaSettings.replicationFactor());
      if (runsGate) {
        Map<String, BooleanSupplier> extra = new LinkedHashMap<>();
        ProbeWorkers[] holder = new ProbeWorkers[1];
        if (runsWorkers) {
          extra.put("workers", () -> holder[0] != null && holder[0].isRunning());
          // DOWN when checks stuck past their budget hold every probe thread the pool may add: evaluations would wait.
          extra.put("probe-pool", () -> holder[0] != null && holder[0].poolReady());
        }
        gate = GateService.start(vertx, gateConfig, client, topics, options.clock(), meters, extra,
            new GateService.Integrations(githubGate, gitlabGate, slack, calendar, attestation.keys()))
            .await(60, TimeUnit.SECONDS);
        if (runsWorkers) {
          workers = ProbeWorkers.start(workerConfig, registry, client, options.clock(), meters, gitCredentials);
          holder[0] = workers;
        }
      } else {
        workers = ProbeWorkers.start(workerConfig, registry, client, options.clock(), meters, gitCredentials);
        ProbeWorkers w = workers;
        ops = OpsServer.start(vertx, gateConfig.httpHost(), gateConfig.httpPort(), meters,
            Map.of("workers", w::isRunning, "probe-pool", w::poolReady));
      }
    } catch (Exception | Error e) {
      // The warm-ups began before the workers and the gate exist (the gate's with GateService.start, whose await may
      // throw before it returns one to stop): a start that failed must not leave them running.
      ProbeWorkers.cancelWarmup();
      GateWarmup.cancel();
      if (gate != null) {
        gate.stop().await(30, TimeUnit.SECONDS);
      }
      if (workers != null) {
        workers.close(Duration.ofSeconds(5));
      }
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      if (embedded != null) {
        embedded.close();
      }
      if (portInUse(e)) {
        throw new IllegalArgumentException("http.port: " + gateConfig.httpHost() + ":" + gateConfig.httpPort()
            + " is already in use by another process: stop it, or choose another port with --http-port or http.port", e);
      }
      throw e;
    }
    int port = gate != null ? gate.httpPort() : ops.port();
    AllInOne app = new AllInOne(embedded, vertx, gate, workers, ops, adminTokenFile, attestation, port);
    app.tracing = tracing;
    app.httpHost = gateConfig.httpHost();
    return app;
  }

  /** True when listening failed because the address is taken (java.net's BindException, or the native transport's). */
  static boolean portInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The registry with the calendar probe also honouring {@code freezes} (GitLab's deploy freeze periods, issue #9);
   * other probes, and registries without the calendar probe (tests), are unchanged.
   */
  static ProbeRegistry withImportedFreezes(ProbeRegistry registry, FreezeSource freezes) {
    return new ProbeRegistry(registry.all().stream()
        .map(p -> p instanceof FreezeCalendarProbe ? new FreezeCalendarProbe(freezes) : p).toList());
  }

  /** Reads the admin token, creating it (mode 600) on first start. */
  static String adminToken(Path file) {
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new IllegalArgumentException(file + " is empty: delete it to create a new admin token");
        }
        return token;
      }
      String token = Tokens.generate();
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create admin token file " + file, e);
    }
  }

  /** Waits until every part reports ready. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ready()) {
        return true;
      }
      Thread.sleep(20);
    }
    return ready();
  }

  /** True when the gate (if any) is ready and the workers (if any) run. */
  public boolean ready() {
    return (gate == null || gate.ready()) && (workers == null || workers.isRunning() && workers.poolReady());
  }

  /** The address the HTTP server listens on ({@code 127.0.0.1} unless configured otherwise). */
  public String httpHost() {
    return httpHost;
  }

  /** The HTTP port: the gate's API, or the worker's health/metrics port. */
  public int httpPort() {
    return httpPort;
  }

  /** Path of the generated admin token, or null when tokens come from the config. */
  public Path adminTokenFile() {
    return adminTokenFile;
  }

  /**
   * The data-dir file of the attestation signing key when no key is configured (created on first start), or null when
   * {@code attestations.keyFile} (or {@code keyEnv}) names one, or this process runs no gate.
   */
  public Path attestationKeyFile() {
    return attestation == null ? null : attestation.dataKey();
  }

  /** The id of the key this process signs verdicts with, or null when it runs no gate. */
  public String attestationKeyId() {
    return attestation == null ? null : attestation.keys().signing().keyId();
  }

  /** The embedded broker's bootstrap, or null when connected to a cluster. */
  public String embeddedBootstrap() {
    return kafka == null ? null : kafka.bootstrap();
  }

  /** The gate, when this process runs one. */
  public GateService gate() {
    return gate;
  }

  /** The workers, when this process runs them. */
  public ProbeWorkers workers() {
    return workers;
  }

  @Override
  public void close() {
    log.atInfo().addKeyValue("event", "tollgate.stopping").log("stopping");
    try {
      if (gate != null) {
        gate.stop().await(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      log.atWarn().addKeyValue("event", "gate.stop.failed").log("gate did not stop cleanly: {}", e.toString());
    }
    if (workers != null) {
      workers.close(Duration.ofSeconds(20));
    }
    try {
      if (ops != null) {
        ops.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.atWarn().addKeyValue("event", "vertx.stop.failed").log("vert.x did not stop cleanly: {}", e.toString());
    }
    if (kafka != null) {
      kafka.close();
    }
    if (tracing != null) {
      tracing.close();
    }
  }
}
