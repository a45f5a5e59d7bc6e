package dev.tollgate.probes.api;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.probes.repo.ChangeSet;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Everything a rule may read about one deploy: the repository range ({@link ChangeSet}), the target, the
 * repository's {@code .tollgate.yml}, the deploy history and a clock. Rules of one probe share one context, so expensive views
 * (a parse of every migration, one pass of every secret pattern) are computed once via {@link #shared}.
 */
public final class RuleContext {
  private final ChangeSet changes;
  private final DeployTarget target;
  private final RepoConfig repoConfig;
  private final DeployHistory history;
  private final ServerSettings server;
  private final Clock clock;
  private final Map<Object, Object> shared = new ConcurrentHashMap<>();

  public RuleContext(ChangeSet changes, DeployTarget target, RepoConfig repoConfig, DeployHistory history,
      ServerSettings server, Clock clock) {
    this.changes = Objects.requireNonNull(changes, "changes");
    this.target = Objects.requireNonNull(target, "target");
    this.repoConfig = Objects.requireNonNull(repoConfig, "repoConfig");
    this.history = Objects.requireNonNull(history, "history");
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The commits and files between the running release and the candidate. */
  public ChangeSet changes() {
    return changes;
  }

  /** What is deployed where. */
  public DeployTarget target() {
    return target;
  }

  /** The repository's {@code .tollgate.yml} at the candidate commit (empty when absent). */
  public RepoConfig repoConfig() {
    return repoConfig;
  }

  /**
   * What the gate knew of past deploys when the evaluation was requested: recent deploys of the target
   * environment (the rollback target, deploy durations) and where the candidate already passed (promotion).
   * Empty for the CLI and for first deploys.
   */
  public DeployHistory history() {
    return history;
  }

  /** The operators' settings for this probe and environment, from the server's {@code tollgate.yml}. */
  public ServerSettings server() {
    return server;
  }

  /** The only clock a rule may read. */
  public Clock clock() {
    return clock;
  }

  /**
   * A value computed once per context and shared by the rules of the probe, e.g. one parse of all migrations.
   * Keys are compared with {@code equals}; use a private constant per kind of value.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(Object key, Supplier<T> compute) {
    Object value = shared.get(key);
    if (value == null) {
      // Computed outside the map: a shared value may itself use other shared values.
      value = compute.get();
      Object previous = shared.putIfAbsent(key, value);
      value = previous != null ? previous : value;
    }
    return (T) value;
  }
}
