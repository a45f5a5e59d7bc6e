package dev.tollgate.deploy;

import dev.tollgate.contracts.ConfigKeys;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code tollgate config validate}: every problem of a server {@code tollgate.yml} (read by {@link ServerSetup}, as
 * {@code serve} reads it) or of a repository's {@code .tollgate.yml} (read as the workers read it at the candidate
 * commit), each naming its key.
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
    return validate(file, registry, variables, AllInOne.Role.ALL);
  }

  /** As {@code serve --role role} would read the file. */
  static List<String> validate(ServerConfigFile file, ProbeRegistry registry, Function<String, String> variables,
      AllInOne.Role role) {
    return ServerSetup.read(file, new ServerSetup.Inputs(Path.of("."), null, role, List.of(), registry, variables,
        Clock.systemUTC())).problems();
  }

  /**
   * Problems of a repository's {@code .tollgate.yml}: its keys, the gate policy of every environment it names (and of
   * the server's environments, when a server configuration is given), and each probe's section, checked by the probe.
   *
   * @param server the server configuration whose environments and probe settings the repository file tightens
   */
  static List<String> validateRepository(String source, String yaml, ServerConfigFile server, ProbeRegistry registry,
      Function<String, Optional<String>> files) {
    Set<String> problems = new LinkedHashSet<>();
    RepoConfig repo;
    try {
      repo = RepoConfig.parse(source, yaml);
    } catch (ConfigKeys.UnknownKeys e) {
      return e.problems();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
    Set<String> environments = new LinkedHashSet<>();
    repo.section("environments").fieldNames().forEachRemaining(environments::add);
    if (server.section("environments").isObject()) {
      server.section("environments").fieldNames().forEachRemaining(environments::add);
    }
    if (environments.isEmpty()) {
      environments.add("production"); // the defaults still apply to some environment
    }
    for (String env : environments) {
      RepoPolicy policy = repo.policyFor(env, registry.ids());
      if (policy.error() != null) {
        problems.add(policy.error());
      }
      ServerSettings settings = new ServerSettings(server.section("defaults"), server.section("environments"), env);
      for (Probe probe : registry.all()) {
        problems.addAll(probe.validateRepositorySettings(repo, settings, files));
      }
    }
    return new ArrayList<>(problems);
  }
}
