package dev.tollgate.probes.api;

import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.probes.repo.ChangeSet;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
  /** True when the repository's policy is the baseline's (the worker's second pass, see {@link #atBaselinePolicy}). */
  private final boolean baselinePolicy;
  private final Set<String> policyFilesRead = ConcurrentHashMap.newKeySet();

  public RuleContext(ChangeSet changes, DeployTarget target, RepoConfig repoConfig, DeployHistory history,
      ServerSettings server, Clock clock) {
    this(changes, target, repoConfig, history, server, clock, false);
  }

  private RuleContext(ChangeSet changes, DeployTarget target, RepoConfig repoConfig, DeployHistory history,
      ServerSettings server, Clock clock, boolean baselinePolicy) {
    this.baselinePolicy = baselinePolicy;
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

  /**
   * A file of the repository that is policy rather than what ships (a secrets baseline, a freeze calendar): read at
   * the commit {@link #repoConfig()} comes from, and remembered, so the worker knows whether the range changed a
   * policy it was judged by.
   */
  public Optional<String> readPolicyFile(String path) {
    policyFilesRead.add(path);
    return baselinePolicy ? changes.readBaselineText(path) : changes.readCandidateText(path);
  }

  /** The paths {@link #readPolicyFile} was asked for. */
  public Set<String> policyFilesRead() {
    return Set.copyOf(policyFilesRead);
  }

  /** True in the context of {@link #atBaselinePolicy}. */
  public boolean baselinePolicy() {
    return baselinePolicy;
  }

  /**
   * The same deploy judged by the repository's policy at the baseline, {@code baselineConfig} and the policy files
   * there: a range that loosens its own policy is also judged by the policy it started from.
   */
  public RuleContext atBaselinePolicy(RepoConfig baselineConfig) {
    return new RuleContext(changes, target, baselineConfig, history, server, clock, true);
  }

  /** What is deployed where. */
  public DeployTarget target() {
    return target;
  }

  /**
   * The repository's {@code .tollgate.yml} at the candidate commit (empty when absent), or at the baseline in the
   * context of {@link #atBaselinePolicy}.
   */
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
