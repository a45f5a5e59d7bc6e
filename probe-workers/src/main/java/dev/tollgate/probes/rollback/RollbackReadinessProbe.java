package dev.tollgate.probes.rollback;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.ReadIncompleteRule;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.migration.MigrationSet;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.ServerSettings;
import java.util.List;

/**
 * Rollback readiness (#5): before the deploy, prove it can be undone quickly and without data loss. There is a
 * release to go back to, that release works on the schema this deploy leaves, the migrations have their way back,
 * images are pinned so "the previous image" means one image, rollouts halt on a bad release, a rollback fits the
 * time budget, and the release is small enough to undo. User documentation: docs/rollback.md.
 */
public final class RollbackReadinessProbe implements Probe {
  private static final List<Rule> RULES = List.of(
      new BlastRadiusRule(),
      new IncompatibleSchemaRule(),
      new InvalidRollbackConfigRule(),
      new IrreversibleMigrationRule(),
      new MutableImageRule(),
      new NoRollbackTargetRule(),
      new ReadIncompleteRule("rollback",
          "A deploy manifest or migration could not be read, so whether this deploy can be rolled back is unknown.",
          "Make the file valid YAML without alias tricks and under worker.maxFileBytes, or list it in rollback.exclude of "
              + ".tollgate.yml when it is not a deploy manifest; an operator may downgrade the limit for an environment "
              + "(readLimits in the server's tollgate.yml).",
          // The migrations tell whether the schema change can be undone: one not read may be the irreversible one.
          ctx -> java.util.stream.Stream.concat(Manifests.of(ctx).notRead().stream(),
              MigrationSet.of(ctx).notRead().stream()).toList()),
      new RolloutCannotStopRule(),
      new SlowRollbackRule());

  @Override
  public ProbeId id() {
    return ProbeId.ROLLBACK;
  }

  @Override
  public List<Rule> rules() {
    return RULES;
  }

  @Override
  public List<String> validateServerSettings(ServerSettings settings) {
    return RollbackSettings.validateServer(settings.section("rollback"), settings.environment());
  }

  @Override
  public List<String> validateRepositorySettings(RepoConfig repo, ServerSettings server,
      java.util.function.Function<String, java.util.Optional<String>> files) {
    return RollbackSettings.read(server.section("rollback"), repo, server.environment()).problems().stream()
        .map(RollbackSettings.Problem::message).toList();
  }
}
