package dev.tollgate.probes.runtime;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.CommitRange;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.RepoPolicy;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.repo.CommitInfo;
import dev.tollgate.probes.repo.RangeCheck;
import dev.tollgate.probes.repo.RepoAccessException;
import dev.tollgate.probes.repo.RepoSnapshots;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one {@link CheckRequested} into its {@link ProbeCompleted}: opens the repository range, reads the
 * repository's {@code .tollgate.yml}, runs the probe. Never throws: every failure becomes an ERROR result with
 * a reason, so the aggregator never waits for an answer that will not come.
 *
 * <p>This is the only place a worker makes a {@code ProbeCompleted}, and each one passes {@link ResultRedaction}
 * on its way out: no text that quotes the repository leaves the worker unmasked, whichever probe wrote it.
 */
public final class CheckExecutor {
  private final ProbeRegistry registry;
  private final Function<CheckRequested, ChangeSet> openChanges;
  private final ProbeRunner runner;
  private final ServerSettings server;
  private final Clock clock;
  private final String workerName;
  private final ResultRedaction redaction = new ResultRedaction(dev.tollgate.probes.secrets.SecretRedactor.standard());

  public CheckExecutor(ProbeRegistry registry, RepoSnapshots repos, ProbeRunner runner, ServerSettings server, Clock clock,
      String workerName) {
    this(registry, check -> repos.open(check.target()), runner, server, clock, workerName);
  }

  CheckExecutor(ProbeRegistry registry, Function<CheckRequested, ChangeSet> openChanges, ProbeRunner runner,
      ServerSettings server, Clock clock, String workerName) {
    this.registry = Objects.requireNonNull(registry);
    this.openChanges = Objects.requireNonNull(openChanges);
    this.runner = Objects.requireNonNull(runner);
    this.server = Objects.requireNonNull(server);
    this.clock = Objects.requireNonNull(clock);
    this.workerName = Objects.requireNonNull(workerName);
  }

  /** Runs the check. Never throws. */
  public ProbeCompleted execute(CheckRequested check) {
    return redaction.apply(run(check).forAttempt(check.attempt()));
  }

  private ProbeCompleted run(CheckRequested check) {
    Instant started = clock.instant();
    Optional<Probe> probe = registry.find(check.probe());
    if (probe.isEmpty()) {
      return unredactedError(check, started, null, "worker " + workerName + " has no probe '" + check.probe() + "' (it has "
          + registry.ids().stream().map(Object::toString).toList() + ")");
    }
    try (ChangeSet changes = openChanges.apply(check)) {
      RepoConfig config;
      RepoPolicy policy;
      try {
        config = readRepoConfig(changes);
        policy = withBaselinePolicy(config.policyFor(check.target().environment(), registry.ids()), changes,
            check.target().environment());
      } catch (IllegalArgumentException e) {
        config = RepoConfig.empty();
        policy = RepoPolicy.invalid(repoConfigSource(changes), e.getMessage());
      }
      Optional<Finding> unrelated = RangeCheck.problem(changes, check.target().environment(), check.historyOrEmpty());
      if (unrelated.isPresent()) {
        // The range is not the deploy's change: no rule of any probe can judge it, so every probe blocks.
        return ProbeCompleted.of(check.evaluationId(), check.checkId(), check.requestId(), check.probe(), ProbeStatus.FAIL,
            "1 blocking finding", List.of(unrelated.get()), false, policy, workerName, started, clock.instant(), null);
      }
      ProbeOutcome outcome = runner.run(probe.get(),
          new RuleContext(changes, check.target(), config, check.historyOrEmpty(),
              server.forEnvironment(check.target().environment()), clock), CheckExecutor::atBaselinePolicy);
      return ProbeCompleted.of(check.evaluationId(), check.checkId(), check.requestId(), check.probe(), outcome.status(),
          outcome.reason(), outcome.findings(), outcome.findingsTruncated(), policy, workerName, started, clock.instant(),
          outcome.retryAt()).withRange(range(changes));
    } catch (RepoAccessException e) {
      return unredactedError(check, started, null, e.getMessage());
    } catch (UncheckedIOException e) {
      return unredactedError(check, started, null, "cannot read the repository: " + e.getCause().getMessage());
    } catch (RuntimeException e) {
      return unredactedError(check, started, null, "probe " + check.probe() + " failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The commits this deploy ships, for the gate's lead time: none for a first deploy (the whole history is no change
   * waiting to ship) or an empty range (a redeploy, a rollback). The walk is shared with the probes that read the
   * commits anyway (the change set keeps it); for the others it reads commit headers only.
   */
  static CommitRange range(ChangeSet changes) {
    if (changes.firstDeploy()) {
      return null;
    }
    List<CommitInfo> commits = changes.commits();
    if (commits.isEmpty()) {
      return null;
    }
    Instant oldest = commits.get(0).authoredAt();
    Instant newest = oldest;
    for (CommitInfo c : commits) {
      oldest = c.authoredAt().isBefore(oldest) ? c.authoredAt() : oldest;
      newest = c.authoredAt().isAfter(newest) ? c.authoredAt() : newest;
    }
    return new CommitRange(commits.size(), oldest, newest, changes.commitsTruncated());
  }

  /** An ERROR result for {@code check}, e.g. when it ran out of time. */
  public ProbeCompleted error(CheckRequested check, Instant started, RepoPolicy policy, String reason) {
    return redaction.apply(unredactedError(check, started, policy, reason));
  }

  private ProbeCompleted unredactedError(CheckRequested check, Instant started, RepoPolicy policy, String reason) {
    return ProbeCompleted.of(check.evaluationId(), check.checkId(), check.requestId(), check.probe(), ProbeStatus.ERROR,
        reason, List.of(), false, policy, workerName, started, clock.instant(), null).forAttempt(check.attempt());
  }

  /**
   * Reads {@code .tollgate.yml} (or {@code .tollgate.yaml}) at the candidate.
   *
   * @throws IllegalArgumentException when the file exists but is invalid
   */
  public static RepoConfig readRepoConfig(ChangeSet changes) {
    for (String name : RepoConfig.FILE_NAMES) {
      Optional<String> text = changes.readCandidateText(name);
      if (text.isEmpty() && changes.candidateOverLimit(name).isPresent()) {
        // Not "no file": a policy that cannot be read must not be taken for no policy.
        throw new IllegalArgumentException(name + "@" + changes.candidate() + ": larger than the file limit of "
            + changes.limits().maxFileBytes() + " bytes (worker.maxFileBytes)");
      }
      if (text.isPresent()) {
        String source = name + "@" + changes.candidate();
        try {
          return RepoConfig.parse(source, text.get());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
      }
    }
    return RepoConfig.empty();
  }

  /**
   * The context of a second pass under the repository's policy at the baseline, when the range changes a file the
   * first pass took policy from ({@code .tollgate.yml}, a secrets baseline, a freeze calendar); else null. The author
   * of a change writes the candidate's policy: a peer gate reads protection settings from the base, not the head, and
   * so does this one, by also judging the range by the policy it started from (a first deploy has none; a rollback to
   * an earlier commit goes back to what was judged under its own policy).
   */
  static RuleContext atBaselinePolicy(RuleContext candidate) {
    ChangeSet changes = candidate.changes();
    boolean changed = (RepoConfig.FILE_NAMES.stream().anyMatch(changes::differsFromBaseline)
        || candidate.policyFilesRead().stream().anyMatch(changes::differsFromBaseline)) && changes.baselineIsAncestor();
    return changed ? candidate.atBaselinePolicy(readBaselineRepoConfig(changes)) : null;
  }

  /**
   * {@code .tollgate.yml} at the baseline; empty (the service's defaults, the strictest a repository can be judged by)
   * when absent, unreadable or invalid there: its errors were the baseline's, not this range's.
   */
  private static RepoConfig readBaselineRepoConfig(ChangeSet changes) {
    for (String name : RepoConfig.FILE_NAMES) {
      Optional<String> text = changes.readBaselineText(name);
      if (text.isPresent()) {
        try {
          return RepoConfig.parse(name + "@" + changes.baseline().orElseThrow(), text.get());
        } catch (IllegalArgumentException e) {
          return RepoConfig.empty();
        }
      }
      if (changes.baselineOverLimit(name).isPresent()) {
        return RepoConfig.empty();
      }
    }
    return RepoConfig.empty();
  }

  /**
   * The gate policy of {@code .tollgate.yml} with the baseline's joined in when the range changes the file: a range
   * cannot drop a required probe or a deadline its repository set for itself and be judged without it. The
   * candidate's errors stay (an invalid file is a NO_GO). As for the probes ({@link #atBaselinePolicy}), only when the
   * baseline is the candidate's ancestor: a rollback to an earlier commit is judged by its own policy, not a newer one.
   */
  private RepoPolicy withBaselinePolicy(RepoPolicy candidate, ChangeSet changes, String environment) {
    if (candidate.error() != null || RepoConfig.FILE_NAMES.stream().noneMatch(changes::differsFromBaseline)
        || !changes.baselineIsAncestor()) {
      return candidate;
    }
    RepoPolicy before = readBaselineRepoConfig(changes).policyFor(environment, registry.ids());
    if (before.error() != null) {
      return candidate;
    }
    Set<ProbeId> required = new LinkedHashSet<>(candidate.requiredProbes());
    required.addAll(before.requiredProbes());
    Map<ProbeId, Duration> deadlines = new LinkedHashMap<>(candidate.deadlines());
    before.deadlines().forEach((probe, d) -> deadlines.merge(probe, d, (a, b) -> a.compareTo(b) <= 0 ? a : b));
    return new RepoPolicy(candidate.source(), List.copyOf(required), deadlines,
        candidate.warningsBlock() || before.warningsBlock(), null);
  }

  private static String repoConfigSource(ChangeSet changes) {
    return RepoConfig.FILE_NAMES.get(0) + "@" + changes.candidate();
  }

  /** This worker's name as it appears in results. */
  public String workerName() {
    return workerName;
  }
}
