package dev.tollgate.probes.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.RepoConfig;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.runtime.CheckExecutor;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.runtime.ProbeRunner;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs one rule (or a whole probe) on a {@link FixtureRepo} and compares rendered findings as text (squawk's
 * inline snapshots):
 *
 * <pre>
 * harness.assertViolations(repo, """
 *     BLOCK migration/drop-column db/V2__drop_email.sql:1
 *       Migration drops a column that the running release may still read.
 *     """);
 * </pre>
 *
 * The repository's {@code .tollgate.yml} is read as the worker reads it. The clock is fixed at
 * {@link #DEFAULT_NOW} unless {@link #at} says otherwise; the environment is {@code production} unless
 * {@link #in} says otherwise.
 */
public final class RuleHarness {
  public static final Instant DEFAULT_NOW = Instant.parse("2026-11-26T10:00:00Z");

  private final Probe probe;
  private final Clock clock;
  private final String environment;
  private final DeployHistory history;
  private final ServerSettings server;

  private RuleHarness(Probe probe, Clock clock, String environment, DeployHistory history, ServerSettings server) {
    this.probe = probe;
    this.clock = clock;
    this.environment = environment;
    this.history = history;
    this.server = server;
  }

  /** A harness for one rule. */
  public static RuleHarness of(Rule rule) {
    return new RuleHarness(new SingleRuleProbe(rule), Clock.fixed(DEFAULT_NOW, ZoneOffset.UTC), "production", DeployHistory.empty(), ServerSettings.empty());
  }

  /** A harness for every rule of a probe. */
  public static RuleHarness of(Probe probe) {
    return new RuleHarness(probe, Clock.fixed(DEFAULT_NOW, ZoneOffset.UTC), "production", DeployHistory.empty(), ServerSettings.empty());
  }

  /** The same harness at another instant. */
  public RuleHarness at(Instant now) {
    return new RuleHarness(probe, Clock.fixed(now, ZoneOffset.UTC), environment, history, server);
  }

  /** The same harness with another clock. */
  public RuleHarness with(Clock newClock) {
    return new RuleHarness(probe, newClock, environment, history, server);
  }

  /** The same harness for another environment. */
  public RuleHarness in(String env) {
    return new RuleHarness(probe, clock, env, history, server);
  }

  /**
   * The same harness with server settings parsed from a {@code tollgate.yml} snippet (its {@code defaults} and
   * {@code environments} sections).
   */
  public RuleHarness withServerConfig(String yaml) {
    try {
      var root = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
      return new RuleHarness(probe, clock, environment, history,
          new ServerSettings(root.path("defaults"), root.path("environments"), environment));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The same harness with the deploy history the gate would attach. */
  public RuleHarness withHistory(DeployHistory newHistory) {
    return new RuleHarness(probe, clock, environment, newHistory, server);
  }

  /** Runs the probe and returns the outcome (status, reason, findings). */
  public ProbeOutcome run(FixtureRepo repo) {
    return run(repo, ctx -> { });
  }

  /** Runs the probe after letting the test inspect the context. */
  public ProbeOutcome run(FixtureRepo repo, Consumer<RuleContext> inspect) {
    try (ChangeSet changes = repo.changeSet()) {
      RepoConfig config = CheckExecutor.readRepoConfig(changes);
      RuleContext ctx = new RuleContext(changes, repo.target(environment), config, history, server.forEnvironment(environment),
          clock);
      inspect.accept(ctx);
      return new ProbeRunner(10_000).run(probe, ctx);
    }
  }

  /** Asserts the rendered findings equal {@code expected} (which must not be empty). */
  public void assertViolations(FixtureRepo repo, String expected) {
    ProbeOutcome outcome = run(repo);
    if (outcome.findings().isEmpty()) {
      fail("expected violations but there were none (use assertNoViolations for a safe case); status "
          + outcome.status() + ": " + outcome.reason());
    }
    assertEquals(expected.strip(), render(outcome.findings()).strip());
  }

  /** Asserts there are no findings and the probe did not error. */
  public void assertNoViolations(FixtureRepo repo) {
    ProbeOutcome outcome = run(repo);
    if (!outcome.findings().isEmpty() || outcome.status() == dev.tollgate.contracts.probe.ProbeStatus.ERROR) {
      fail("expected no violations, got " + outcome.status() + " (" + outcome.reason() + "):\n" + render(outcome.findings()));
    }
  }

  /** The rule of {@code probe} with id {@code id} (rules one class serves for several probes). */
  public static Rule rule(Probe probe, String id) {
    return probe.rules().stream().filter(r -> r.id().value().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(probe.id() + " has no rule " + id));
  }

  /** {@code SEVERITY rule-id file:line} then the message indented, one block per finding. */
  public static String render(List<Finding> findings) {
    return findings.stream().map(f -> f.severity() + " " + f.ruleId() + " "
        + (f.file() == null ? "-" : f.file() + (f.line() > 0 ? ":" + f.line() : "")) + "\n  " + f.message())
        .collect(Collectors.joining("\n"));
  }

  private record SingleRuleProbe(Rule rule) implements Probe {
    @Override
    public dev.tollgate.contracts.probe.ProbeId id() {
      return dev.tollgate.contracts.probe.ProbeId.of(rule.id().probePart());
    }

    @Override
    public List<Rule> rules() {
      return List.of(rule);
    }
  }
}
