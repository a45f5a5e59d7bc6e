package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.deploy.attestation.AttestationConfig;
import dev.tollgate.deploy.github.GitHubConfig;
import dev.tollgate.deploy.gitlab.GitLabConfig;
import dev.tollgate.deploy.slack.SlackConfig;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.auth.Tokens;
import dev.tollgate.gate.policy.ServerPolicy;
import dev.tollgate.gate.slack.SlackSettings;
import dev.tollgate.probes.WorkerConfig;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything {@code serve} reads from {@code tollgate.yml}, read in one place: {@code serve} starts from it and
 * {@code tollgate config validate} prints its problems, so the two cannot disagree.
 *
 * <p>Every section, every environment and every probe's settings are checked on their own, so one mistake does not
 * hide the next. Within a mapping every unknown key is reported (with the key meant, for a near miss); the section is
 * then read again without them, so its first bad value is reported too. Secrets are read (files, environment
 * variables) to check them, and never appear in a problem.
 *
 * @param otlpEndpoint where traces go, or null when tracing is off
 */
record ServerSetup(KafkaSettings kafka, GateConfig gate, WorkerConfig worker, GitHubConfig github, GitLabConfig gitlab,
    SlackSettings slack, String otlpEndpoint) {

  /**
   * What {@code serve} adds to the file.
   *
   * @param kafkaBootstrap the {@code --kafka-bootstrap} flag or environment, or null
   * @param extraTokens tokens made by the launcher (the all-in-one's admin token)
   * @param env environment variables, for secrets named by {@code ...Env} keys and {@code OTEL_EXPORTER_OTLP_ENDPOINT}
   */
  record Inputs(Path dataDir, String kafkaBootstrap, AllInOne.Role role, List<Tokens.Entry> extraTokens, ProbeRegistry registry,
      Function<String, String> env, Clock clock) {}

  /** The setup when the file is valid (else null), and every problem, each naming its key. */
  record Result(ServerSetup setup, List<String> problems) {
    /**
     * The setup.
     *
     * @throws IllegalArgumentException listing every problem
     */
    ServerSetup orThrow(String source) {
      if (problems.isEmpty()) {
        return setup;
      }
      throw new IllegalArgumentException("config " + source + ": " + (problems.size() == 1 ? problems.get(0)
          : problems.size() + " problems:\n  " + String.join("\n  ", problems)));
    }
  }

  /** Reads and checks every section of {@code file}. Never throws for a problem of the file: it is in the result. */
  static Result read(ServerConfigFile file, Inputs in) {
    Problems problems = new Problems();
    // A copy: unknown keys are removed from it to find the problems they hide.
    ObjectNode root = file.root().isObject() ? ((ObjectNode) file.root()).deepCopy() : Json.mapper().createObjectNode();
    problems.check(() -> {
      file.requireKnownKeys(root);
      return null;
    });
    String hint = file.repositoryFileHint();
    if (hint != null) {
      problems.add(hint);
    }
    KafkaSettings kafka = problems.check(() -> KafkaSettings.from(root.path("kafka"), in.kafkaBootstrap()));
    Topics topics = kafka == null ? Topics.standard() : kafka.topics();
    String otlp = problems.check(() -> TracingSetup.endpoint(root.path("tracing"), in.env().apply("OTEL_EXPORTER_OTLP_ENDPOINT")));
    problems.check(() -> RepositoryAllowList.fromConfig(root.path("repositories"), file.builtIn()));
    problems.check(() -> WorkerConfig.from(root.path("worker"), new RepositoryAllowList(List.of(), true, List.of()), topics,
        in.dataDir(), ServerSettings.empty()));
    checkEnvironments(root, in.registry(), problems);
    // The rest of the gate's part (http, gate, tenants, tokens), with one valid environment so that only these count.
    ObjectNode rest = root.deepCopy();
    rest.set("environments", Json.mapper().createObjectNode().set("validation", Json.mapper().createObjectNode()));
    rest.remove(List.of("defaults", "repositories"));
    problems.check(() -> GateConfig.from(rest, topics, in.dataDir(), in.registry().ids(), in.extraTokens(), file.builtIn()));
    if (in.role() == AllInOne.Role.GATE && root.path("tokens").isMissingNode() && in.extraTokens().isEmpty()) {
      problems.add("tokens: a gate started with --role gate needs its API tokens in tollgate.yml, so that every gate behind"
          + " the Service accepts the same ones (create one with `tollgate token new --name admin --role admin --tenant '*'`)");
    }
    Set<String> tenants = tenants(root);
    Set<String> environments = new LinkedHashSet<>();
    if (root.path("environments").isObject()) {
      root.path("environments").fieldNames().forEachRemaining(environments::add);
    }
    GitHubConfig github = problems.check(() -> GitHubConfig.from(root.path("github"), tenants, in.env()));
    GitLabConfig gitlab = problems.check(() -> GitLabConfig.from(root.path("gitlab"), tenants, environments, in.env()));
    SlackSettings slack = problems.check(() -> SlackConfig.from(root.path("slack"), environments, tenants, in.env(), in.clock()));
    problems.check(() -> {
      AttestationConfig.validate(root.path("attestations"), in.env());
      return null;
    });
    if (!problems.isEmpty()) {
      return new Result(null, problems.list());
    }
    // Valid: the parts, read from the file as it is (each call above succeeded on the same content).
    GateConfig gate = GateConfig.from(file.root(), topics, in.dataDir(), in.registry().ids(), in.extraTokens(), file.builtIn());
    WorkerConfig worker = WorkerConfig.from(file.section("worker"),
        RepositoryAllowList.fromConfig(file.section("repositories"), file.builtIn()), topics, in.dataDir(),
        new ServerSettings(file.section("defaults"), file.section("environments"), ""));
    return new Result(new ServerSetup(kafka, gate, worker, github, gitlab, slack, otlp), List.of());
  }

  /** Each environment's policy and each probe's settings for it, on their own. */
  private static void checkEnvironments(ObjectNode root, ProbeRegistry registry, Problems problems) {
    JsonNode environments = root.path("environments");
    // How much each read limit weighs per environment: read by every probe, so checked here once for all of them.
    dev.tollgate.probes.api.ReadLimits.validate(root.path("defaults"),
        environments.isObject() ? environments : com.fasterxml.jackson.databind.node.MissingNode.getInstance())
        .forEach(problems::add);
    if (!environments.isObject() || environments.isEmpty()) {
      problems.add("environments: expected a mapping with at least one environment");
      // The defaults still count: checked with an environment that sets nothing.
      ObjectNode none = Json.mapper().createObjectNode();
      none.set("validation", Json.mapper().createObjectNode());
      problems.check(() -> ServerPolicy.from(root.path("defaults"), none, registry.ids()));
      return;
    }
    for (Map.Entry<String, JsonNode> env : environments.properties()) {
      ObjectNode one = Json.mapper().createObjectNode();
      one.set(env.getKey(), env.getValue());
      problems.check(() -> ServerPolicy.from(root.path("defaults"), one, registry.ids()));
      ServerSettings settings = new ServerSettings(root.path("defaults"), environments, env.getKey());
      for (Probe probe : registry.all()) {
        probe.validateServerSettings(settings).forEach(problems::add);
      }
    }
  }

  /** The configured tenant names as written (their syntax is GateConfig's to check). */
  private static Set<String> tenants(JsonNode root) {
    JsonNode node = root.path("tenants");
    Set<String> tenants = new LinkedHashSet<>();
    if (node.isArray()) {
      node.forEach(t -> tenants.add(t.asText("")));
    }
    return tenants.isEmpty() ? Set.of("default") : tenants;
  }

  /** Problems in the order found, each once (a shared section checked with every environment reports once). */
  private static final class Problems {
    /** Passes over one section: enough for every mapping's unknown keys, then its first bad value. */
    private static final int MAX_PASSES = 20;
    private final Set<String> found = new LinkedHashSet<>();

    /** Runs one section's reader; its problems are recorded and null returned. */
    <T> T check(Supplier<T> reader) {
      for (int pass = 0; pass < MAX_PASSES; pass++) {
        try {
          return reader.get();
        } catch (ConfigKeys.UnknownKeys e) {
          found.addAll(e.problems());
          e.removeFromTree();
        } catch (IllegalArgumentException e) {
          add(e.getMessage());
          return null;
        }
      }
      return null;
    }

    void add(String problem) {
      found.add(problem);
    }

    boolean isEmpty() {
      return found.isEmpty();
    }

    List<String> list() {
      return new ArrayList<>(found);
    }
  }
}
