package dev.tollgate.probes.parity;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.ReadIncompleteRule;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.ServerSettings;
import java.util.List;

/**
 * Environment parity (#6): what goes to an environment passed the one it is promoted from, and the two
 * environments' configuration agree in keys, types, images, runtime versions and feature flags.
 */
public final class EnvironmentParityProbe implements Probe {
  private static final List<Rule> RULES = List.of(
      new FeatureFlagDriftRule(),
      new ImageDriftRule(),
      new InvalidParityConfigRule(),
      new MissingEnvKeyRule(),
      new PromotionProofRule(),
      new ReadIncompleteRule("parity",
          "A configuration file of a compared environment could not be read, so its drift is unknown.",
          "Fix the file's syntax or keep it under worker.maxFileBytes, or exclude it (parity.exclude in .tollgate.yml) when "
              + "it is not environment configuration; an operator may downgrade the limit for an environment (readLimits "
              + "in the server's tollgate.yml).",
          ctx -> ParityView.of(ctx).notRead()),
      new RuntimeDriftRule(),
      new TypeMismatchRule());

  @Override
  public ProbeId id() {
    return ProbeId.PARITY;
  }

  @Override
  public List<Rule> rules() {
    return RULES;
  }

  @Override
  public List<String> validateServerSettings(ServerSettings settings) {
    return ParitySettings.read(RepoConfig.empty(), settings, settings.environment()).errors();
  }

  @Override
  public List<String> validateRepositorySettings(RepoConfig repo, ServerSettings server,
      java.util.function.Function<String, java.util.Optional<String>> files) {
    return ParitySettings.read(repo, server, server.environment()).errors();
  }
}
