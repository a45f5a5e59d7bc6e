package dev.tollgate.deploy;

import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code tollgate} command: {@code serve}, {@code check}, {@code token}. Exit codes: 0 success / GO,
 * 1 NO_GO, 2 usage or runtime error.
 */
@Command(name = "tollgate", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Deploy safety gate: go / no-go for every deploy, with reasons.",
    subcommands = {Cli.Serve.class, Cli.Check.class, ScanSecretsCommand.class, LintMigrationsCommand.class,
        CalendarCommand.class, VerifyCommand.class, LockCommands.Lock.class, LockCommands.Unlock.class,
        LockCommands.Queue.class, Cli.Config.class, Cli.Token.class, Cli.Kubernetes.class,
        CommandLine.HelpCommand.class})
public final class Cli implements Runnable {
  static final int GO = 0;
  static final int NO_GO = 1;
  static final int ERROR = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // CLI commands keep stdout for their output: logs go to stderr, warnings only. Set before any logger exists.
    if (args.length > 0 && !args[0].equals("serve")) {
      System.setProperty("tollgate.log.target", "System.err");
      System.setProperty("tollgate.log.level", "WARN");
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  static int run(String... args) {
    CommandLine cli = new CommandLine(new Cli());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tollgate: " + userMessage(e));
      return ERROR;
    });
    cli.setExitCodeExceptionMapper(e -> ERROR);
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: serve, check or token");
  }

  /**
   * What a person reads when a command fails: our own messages as they are; file and network errors in words, with
   * the file or port; never a Java class name. Anything else is logged with its stack trace for a bug report.
   */
  static String userMessage(Throwable e) {
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      return e.getMessage();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.NoSuchFileException f) {
        return "no such file or directory: " + f.getFile();
      }
      if (t instanceof java.nio.file.AccessDeniedException f) {
        return "permission denied: " + f.getFile();
      }
      if (t instanceof java.nio.file.FileSystemException f) {
        return f.getFile() + ": " + (f.getReason() == null ? "cannot be read or written" : f.getReason());
      }
      if (t instanceof java.net.BindException) {
        return "a port is already in use: " + (t.getMessage() == null ? "" : t.getMessage());
      }
      if (t instanceof java.io.IOException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    org.slf4j.LoggerFactory.getLogger(Cli.class).atError().addKeyValue("event", "cli.failed").setCause(e)
        .log("unexpected error");
    return "unexpected error" + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " (the log above has the details)";
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Cli.class.getPackage().getImplementationVersion();
      return new String[] {"tollgate " + (v == null ? "dev" : v)};
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Run Tollgate: with no Kafka given, an embedded broker, the gate and the probe workers in this process.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--config", description = "tollgate.yml (default: the built-in all-in-one configuration)")
    Path config;

    @Option(names = "--data-dir", defaultValue = "./tollgate-data",
        description = "Where the embedded broker, aggregator state, repository mirrors and admin token live (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--http-port", description = "HTTP port (default: http.port of the config, 8080)")
    Integer httpPort;

    @Option(names = "--http-host", description = "Address to listen on (default: http.host of the config, 127.0.0.1: this "
        + "machine only); 0.0.0.0 accepts every network interface")
    String httpHost;

    @Option(names = "--kafka-bootstrap", description = "host:port of an existing Kafka cluster (env TOLLGATE_KAFKA_BOOTSTRAP); "
        + "without it an embedded broker starts")
    String kafkaBootstrap;

    @Option(names = "--role", defaultValue = "all", description = "all, gate or worker (default: ${DEFAULT-VALUE})")
    String role;

    @Override
    public Integer call() throws Exception {
      long started = System.nanoTime();
      AllInOne.Role r = role(role);
      String bootstrap = kafkaBootstrap != null ? kafkaBootstrap : System.getenv("TOLLGATE_KAFKA_BOOTSTRAP");
      ServerConfigFile file = ServerConfigFile.read(config);
      AllInOne app = AllInOne.start(new AllInOne.Options(file, dataDir, httpPort, bootstrap, r, ProbeRegistry.production(),
          Clock.systemUTC(), httpHost));
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        app.close();
        stopped.countDown();
      }, "tollgate-shutdown"));
      boolean ready = app.awaitReady(Duration.ofSeconds(60));
      long ms = (System.nanoTime() - started) / 1_000_000;
      PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
      boolean loopback = app.httpHost().startsWith("127.") || app.httpHost().equals("localhost") || app.httpHost().equals("::1");
      out.println("Tollgate " + (ready ? "ready" : "started (not ready yet)") + " in " + ms + " ms, role " + role + ": http://"
          + (loopback || app.httpHost().equals("0.0.0.0") ? "localhost" : app.httpHost()) + ":" + app.httpPort()
          + (app.embeddedBootstrap() != null ? "  (embedded Kafka at " + app.embeddedBootstrap() + ")" : ""));
      out.println(loopback ? "Listening on " + app.httpHost() + " only (this machine); to accept other machines use "
          + "--http-host 0.0.0.0 (or http.host), and read docs/security.md first"
          : "Listening on " + app.httpHost() + ": reachable from the network");
      if (app.adminTokenFile() != null) {
        out.println("Admin API token: in " + app.adminTokenFile() + "  (e.g. TOKEN=$(cat " + app.adminTokenFile() + "))");
      }
      if (app.attestationKeyFile() != null) {
        // Says where the generated key is, never the key; verifiers fetch the public key from the API.
        out.println("Verdicts are signed with key " + app.attestationKeyId() + ", generated in " + app.attestationKeyFile()
            + " (public keys: GET /api/v1/attestations/keys; configure attestations.keyFile to use a key you manage)");
      }
      stopped.await();
      return 0;
    }

    static AllInOne.Role role(String role) {
      return switch (role.toLowerCase(Locale.ROOT)) {
        case "all" -> AllInOne.Role.ALL;
        case "gate" -> AllInOne.Role.GATE;
        case "worker" -> AllInOne.Role.WORKER;
        default -> throw new IllegalArgumentException("--role: expected all, gate or worker, got \"" + role + "\"");
      };
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Run the probes in this process on a local repository and print the verdict (no Kafka). "
          + "Exit code 0 GO, 1 NO_GO, 2 usage or error.")
  static final class Check implements Callable<Integer> {
    @Option(names = "--repo", required = true, description = "Path of a local git repository")
    Path repo;

    @Option(names = "--candidate", required = true, description = "Revision about to be deployed (sha, branch, tag, HEAD)")
    String candidate;

    @Option(names = "--baseline", description = "Revision running now; omit for a first deploy (the whole tree is checked)")
    String baseline;

    @Option(names = "--env", required = true, description = "Environment name from the config")
    String environment;

    @Option(names = "--probes", split = ",", description = "Only these probes (comma-separated)")
    List<String> probes = new ArrayList<>();

    @Option(names = "--config", description = "tollgate.yml (default: the built-in configuration)")
    Path config;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("--format: expected text or json, got \"" + format + "\"");
      }
      List<ProbeId> selected = new ArrayList<>();
      for (String p : probes) {
        try {
          selected.add(ProbeId.of(p.strip()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--probes: \"" + p + "\" is not a probe name");
        }
      }
      ProbeRegistry registry = ProbeRegistry.production();
      return check(ServerConfigFile.load(config), registry, new LocalCheck.Request(repo, candidate, baseline, environment, selected),
          format, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
    }

    static int check(ServerConfigFile config, ProbeRegistry registry, LocalCheck.Request request, String format, PrintWriter out)
        throws InterruptedException {
      LocalCheck.Outcome outcome = LocalCheck.run(config, registry, request, Clock.systemUTC());
      if (format.equals("json")) {
        out.println(Json.writeString(outcome.view()));
      } else {
        out.print(TextReport.render(outcome.view()));
      }
      out.flush();
      return outcome.verdict().decision() == Decision.GO ? GO : NO_GO;
    }
  }

  @Command(name = "token", mixinStandardHelpOptions = true, description = "Create API tokens and their config entries.",
      subcommands = {Token.New.class, Token.Hash.class})
  static final class Token implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: new or hash");
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
        description = "Print a new random token once, and the tokens: entry (with its SHA-256) for tollgate.yml.")
    static final class New implements Callable<Integer> {
      @Option(names = "--name", required = true, description = "Token name, shown in audit and evaluations")
      String name;

      @Option(names = "--role", defaultValue = "requester", description = "viewer, requester, approver or admin (default: ${DEFAULT-VALUE})")
      String role;

      @Option(names = "--tenant", defaultValue = "default", split = ",", description = "Tenants (default: ${DEFAULT-VALUE})")
      List<String> tenants;

      @Override
      public Integer call() {
        dev.tollgate.gate.auth.Role.parse(role, "--role");
        String token = Tokens.generate();
        System.out.println("token (shown once, store it as a CI secret): " + token);
        System.out.println("tollgate.yml entry:");
        System.out.println("tokens:");
        System.out.println("  - name: " + name);
        System.out.println("    sha256: " + Tokens.sha256(token));
        System.out.println("    role: " + role.toLowerCase(Locale.ROOT));
        System.out.println("    tenants: " + tenants);
        return 0;
      }
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
        description = "Read a token on standard input (not an argument, to keep it out of shell history) and print its SHA-256.")
    static final class Hash implements Callable<Integer> {
      @Override
      public Integer call() throws Exception {
        String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (token == null || token.isBlank()) {
          throw new IllegalArgumentException("expected the token on standard input");
        }
        System.out.println(Tokens.sha256(token.strip()));
        return 0;
      }
    }
  }

  @Command(name = "config", mixinStandardHelpOptions = true, description = "Check a tollgate.yml or a repository's .tollgate.yml.",
      subcommands = {Config.Validate.class})
  static final class Config implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: validate");
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Print every problem of a server tollgate.yml (as serve reads it: every section, reading each secret "
            + "file or variable, never printing a secret), or with --repository of a repository's .tollgate.yml (as the "
            + "probes read it at a commit). Exit 0 valid, 1 problems, 2 unreadable."})
    static final class Validate implements Callable<Integer> {
      @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "The file to check")
      Path file;

      @Option(names = "--repository", description = "FILE is a repository's .tollgate.yml (its feeds and secrets baseline are "
          + "read next to it, as at the repository's root)")
      boolean repository;

      @Option(names = "--config", paramLabel = "TOLLGATE_YML", description = "With --repository: the server tollgate.yml the "
          + "repository file tightens (default: the built-in one)")
      Path serverConfig;

      @Option(names = "--role", defaultValue = "all", description = "As serve --role: all, gate or worker (default: ${DEFAULT-VALUE})")
      String role;

      @Override
      public Integer call() {
        List<String> problems;
        if (repository) {
          problems = repositoryProblems();
        } else {
          if (serverConfig != null) {
            throw new IllegalArgumentException("--config: only with --repository (FILE is the server tollgate.yml)");
          }
          problems = ConfigValidator.validate(ServerConfigFile.read(file), ProbeRegistry.production(), System::getenv,
              Serve.role(role));
        }
        if (problems.isEmpty()) {
          System.out.println(file + ": valid");
          return 0;
        }
        problems.forEach(p -> System.out.println(file + ": " + p));
        return 1;
      }

      private List<String> repositoryProblems() {
        String yaml;
        try {
          yaml = java.nio.file.Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
          throw new IllegalArgumentException(file + ": no such file");
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          throw new IllegalArgumentException(file + ": cannot read it as UTF-8 text");
        }
        Path root = file.toAbsolutePath().getParent();
        return ConfigValidator.validateRepository(file.getFileName().toString(), yaml, ServerConfigFile.load(serverConfig),
            ProbeRegistry.production(), path -> readUnder(root, path));
      }

      /** A file of the repository by its path, never outside the repository's directory. */
      private static java.util.Optional<String> readUnder(Path root, String path) {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root) || !java.nio.file.Files.isRegularFile(p)) {
          return java.util.Optional.empty();
        }
        try {
          return java.util.Optional.of(java.nio.file.Files.readString(p));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          return java.util.Optional.empty();
        }
      }
    }
  }

  @Command(name = "kubernetes", mixinStandardHelpOptions = true, description = "Print Kubernetes resources generated from code.",
      subcommands = {Kubernetes.TopicsCommand.class})
  static final class Kubernetes implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: topics");
    }

    @Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Strimzi KafkaTopic resources for every Tollgate topic (deploy/kubernetes/overlays/*/topics/kafka-topics.yaml).")
    static final class TopicsCommand implements Callable<Integer> {
      @Option(names = "--partitions", defaultValue = "12", description = "Partitions per topic (default: ${DEFAULT-VALUE})")
      int partitions;

      @Option(names = "--replicas", defaultValue = "3", description = "Replication factor (default: ${DEFAULT-VALUE})")
      short replicas;

      @Option(names = "--cluster", defaultValue = "tollgate-kafka", description = "Strimzi cluster name (default: ${DEFAULT-VALUE})")
      String cluster;

      @Option(names = "--topic-namespace", defaultValue = "", description = "kafka.topicNamespace of the installation")
      String namespace;

      @Override
      public Integer call() {
        if (partitions < 1 || replicas < 1) {
          throw new IllegalArgumentException("--partitions and --replicas: expected positive numbers");
        }
        System.out.print(KubernetesTopics.render(dev.tollgate.contracts.Topics.namespaced(namespace), partitions, replicas, cluster));
        return 0;
      }
    }
  }

  /** The human-readable report of {@code check}. */
  static final class TextReport {
    private TextReport() {}

    static String render(EvaluationView v) {
      StringBuilder b = new StringBuilder();
      b.append("Tollgate check: ").append(v.repository()).append(" -> ").append(v.environment()).append('\n');
      b.append("candidate ").append(v.candidate(), 0, 12)
          .append(v.baseline() == null ? "  (first deploy: whole tree)" : "  baseline " + v.baseline().substring(0, 12)).append("\n\n");
      b.append(String.format(Locale.ROOT, "%-12s %-10s %-9s %8s  %s%n", "PROBE", "STATUS", "REQUIRED", "TIME", "REASON"));
      for (EvaluationView.ProbeView p : v.probes()) {
        b.append(String.format(Locale.ROOT, "%-12s %-10s %-9s %8s  %s%n", p.probe(), p.status(),
            p.required() == null ? "-" : p.required() ? "yes" : "no",
            p.durationMs() == null ? "-" : Durations.format(Duration.ofMillis(p.durationMs())), p.reason() == null ? "" : p.reason()));
      }
      b.append('\n').append("VERDICT: ").append(v.verdict().decision()).append('\n');
      for (Reason r : v.verdict().reasons()) {
        b.append("  - ").append(r.message()).append('\n');
      }
      List<Finding> findings = v.probes().stream().flatMap(p -> p.findings().stream()).toList();
      if (!findings.isEmpty()) {
        b.append("\nFINDINGS\n");
        for (Finding f : findings) {
          b.append("  ").append(f.severity()).append(' ').append(f.ruleId())
              .append(f.file() == null ? "" : " " + f.file() + (f.line() > 0 ? ":" + f.line() : "")).append('\n');
          b.append("      ").append(f.message()).append('\n');
          if (f.fix() != null) {
            b.append("      fix: ").append(f.fix()).append('\n');
          }
        }
      }
      return b.toString();
    }
  }
}
