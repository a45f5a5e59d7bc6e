package dev.tollgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.evaluation.RepositoryAllowList;
import dev.tollgate.deploy.gitlab.GitLabConfig;
import dev.tollgate.deploy.slack.SlackConfig;
import dev.tollgate.gate.GateConfig;
import dev.tollgate.gate.policy.ServerPolicy;
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

/**
 * {@code tollgate config validate}: every problem of a {@code tollgate.yml}, each naming its key. Sections and
 * environments are checked one by one, so one mistake does not hide the next; the probes check their own
 * operator settings ({@link Probe#validateServerSettings}).
 */
final class ConfigValidator {
  private ConfigValidator() {}

  static List<String> validate(ServerConfigFile file, ProbeRegistry registry) {
    return validate(file, registry, name -> null);
  }

  /**
   * @param variables environment variables, for secrets named by {@code ...Env} keys (the platform sections read their
   *     secrets to validate them; nothing is printed of them)
   */
  static List<String> validate(ServerConfigFile file, ProbeRegistry registry, Function<String, String> variables) {
    Set<String> problems = new LinkedHashSet<>();
    JsonNode root = file.root();
    check(problems, () -> KafkaSettings.from(file.section("kafka"), null));
    check(problems, () -> TracingSetup.endpoint(file.section("tracing"), null));
    check(problems, () -> RepositoryAllowList.fromConfig(file.section("repositories"), file.builtIn()));
    check(problems, () -> WorkerConfig.from(file.section("worker"), new RepositoryAllowList(List.of(), true, List.of()),
        Topics.standard(), Path.of("."), ServerSettings.empty()));
    JsonNode environments = file.section("environments");
    problems.addAll(dev.tollgate.probes.api.ReadLimits.validate(file.section("defaults"),
        environments.isObject() ? environments : com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
    if (environments.isMissingNode() || !environments.isObject() || environments.isEmpty()) {
      problems.add("environments: expected a mapping with at least one environment");
    } else {
      for (Map.Entry<String, JsonNode> env : environments.properties()) {
        ObjectNode one = Json.mapper().createObjectNode();
        one.set(env.getKey(), env.getValue());
        check(problems, () -> ServerPolicy.from(file.section("defaults"), one, registry.ids()));
        ServerSettings settings = new ServerSettings(file.section("defaults"), environments, env.getKey());
        for (Probe probe : registry.all()) {
          problems.addAll(probe.validateServerSettings(settings));
        }
      }
    }
    // Slack: keys, secrets (files or environment variables) and channels of configured environments.
    Set<String> environmentNames = new LinkedHashSet<>();
    if (environments.isObject()) {
      environments.fieldNames().forEachRemaining(environmentNames::add);
    }
    check(problems, () -> SlackConfig.from(file.section("slack"), environmentNames, tenants(root), variables, Clock.systemUTC()));
    // The rest of the gate's part (http, gate, tenants, tokens), with one valid environment so only these count.
    ObjectNode rest = root.isObject() ? ((ObjectNode) root).deepCopy() : Json.mapper().createObjectNode();
    rest.set("environments", Json.mapper().createObjectNode().set("validation", Json.mapper().createObjectNode()));
    rest.remove("defaults");
    check(problems, () -> GateConfig.from(rest, Topics.standard(), Path.of("."), registry.ids(), List.of(), file.builtIn()));
    JsonNode gitlab = file.section("gitlab");
    if (!gitlab.isMissingNode()) {
      check(problems, () -> GitLabConfig.from(gitlab, tenants(root), environmentNames, variables));
    }
    return new ArrayList<>(problems);
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

  private static void check(Set<String> problems, Runnable validation) {
    try {
      validation.run();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }
}
