package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.Probe;
import dev.tollgate.probes.api.Rule;
import dev.tollgate.probes.api.RuleContext;
import dev.tollgate.probes.api.RuleId;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeRunnerTest {
  @TempDir
  Path dir;

  static Rule rule(String id, Severity severity, Function<RuleContext, List<RuleViolation>> check) {
    return new Rule() {
      public RuleId id() {
        return RuleId.of(id);
      }

      public Severity severity() {
        return severity;
      }

      public String summary() {
        return "summary of " + id;
      }

      public String help() {
        return "help for " + id;
      }

      public List<RuleViolation> check(RuleContext ctx) {
        return check.apply(ctx);
      }
    };
  }

  static Probe probe(Rule... rules) {
    return new Probe() {
      public ProbeId id() {
        return ProbeId.of("t");
      }

      public List<Rule> rules() {
        return List.of(rules);
      }
    };
  }

  FixtureRepo repo() {
    return FixtureRepo.create(dir).commit("a.txt", "1");
  }

  @Test
  void theProbesSummaryIsAppendedToTheReasonAndAThrowingOneErrorsTheProbe() {
    Rule warns = rule("t/warns", Severity.WARN, ctx -> List.of(RuleViolation.at("a.txt", 1)));
    Probe summarizing = new Probe() {
      public ProbeId id() {
        return ProbeId.of("t");
      }

      public List<Rule> rules() {
        return List.of(warns);
      }

      public String summary(RuleContext ctx) {
        return "read 2 Rails migrations";
      }
    };
    assertEquals("1 warning; read 2 Rails migrations", RuleHarness.of(summarizing).run(repo()).reason());
    Probe failing = new Probe() {
      public ProbeId id() {
        return ProbeId.of("t");
      }

      public List<Rule> rules() {
        return List.of(warns);
      }

      public String summary(RuleContext ctx) {
        throw new IllegalStateException("AKIAABCDEFGHIJKLMNOP");
      }
    };
    ProbeOutcome o = RuleHarness.of(failing).run(repo());
    assertEquals(ProbeStatus.ERROR, o.status(), "fail closed");
    assertFalse(o.reason().contains("AKIA"), o.reason());
  }

  @Test
  void aThrowingRuleMakesTheProbeErrorWithoutItsMessageAndKeepsOtherFindings() {
    ProbeOutcome o = RuleHarness.of(probe(
        rule("t/throws", Severity.BLOCK, ctx -> {
          throw new IllegalArgumentException("For input string: AKIAABCDEFGHIJKLMNOP");
        }),
        rule("t/warns", Severity.WARN, ctx -> List.of(RuleViolation.at("a.txt", 1))))).run(repo());
    assertEquals(ProbeStatus.ERROR, o.status());
    assertTrue(o.reason().startsWith("rule t/throws failed: IllegalArgumentException at ProbeRunnerTest.java:"), o.reason());
    assertFalse(o.reason().contains("AKIA"), "exception messages may quote repository content");
    assertEquals(1, o.findings().size());
  }

  @Test
  void statusFollowsTheWorstSeverityAndDefaultsComeFromTheRule() {
    ProbeOutcome info = RuleHarness.of(probe(rule("t/info", Severity.INFO, ctx -> List.of(RuleViolation.general("fyi")))))
        .run(repo());
    assertEquals(ProbeStatus.PASS, info.status());
    assertEquals("1 informational finding", info.reason());
    // Issue 20 item 15: a finding about no file had the fingerprint ":t/info:0".
    assertEquals("t/info", info.findings().get(0).fingerprint());
    ProbeOutcome mixed = RuleHarness.of(probe(
        rule("t/warn", Severity.WARN, ctx -> List.of(RuleViolation.at("a.txt", 1))),
        rule("t/block", Severity.BLOCK, ctx -> List.of(RuleViolation.at("a.txt", 2))))).run(repo());
    assertEquals(ProbeStatus.FAIL, mixed.status());
    assertEquals("1 blocking finding, 1 warning", mixed.reason());
    assertEquals("t/block", mixed.findings().get(0).ruleId(), "blocking findings first");
    assertEquals("summary of t/block", mixed.findings().get(0).message());
    assertEquals("help for t/block", mixed.findings().get(0).fix());
    assertEquals("a.txt:t/block:2", mixed.findings().get(0).fingerprint());
  }

  @Test
  void duplicateFingerprintsCountOnceAndFindingsAreBounded() {
    Rule many = rule("t/many", Severity.WARN, ctx -> IntStream.range(0, 30)
        .mapToObj(i -> RuleViolation.at("a.txt", 1 + i % 20)).toList());
    try (var changes = repo().changeSet()) {
      ProbeOutcome o = new ProbeRunner(5).run(probe(many), new RuleContext(changes,
          new dev.tollgate.contracts.evaluation.DeployTarget("t", dir.toString(), "prod", changes.candidate(), null),
          dev.tollgate.probes.api.RepoConfig.empty(), dev.tollgate.contracts.history.DeployHistory.empty(),
          dev.tollgate.probes.api.ServerSettings.empty(), java.time.Clock.systemUTC()));
      assertEquals(5, o.findings().size());
      assertTrue(o.findingsTruncated());
      assertEquals("20 warnings", o.reason(), "30 violations, 20 distinct fingerprints");
    }
  }

  @Test
  void retryAtIsSetOnlyWhenEveryBlockingFindingClearsByItself() {
    Instant t1 = Instant.parse("2026-12-24T00:00:00Z");
    Instant t2 = Instant.parse("2026-12-27T00:00:00Z");
    ProbeOutcome windows = RuleHarness.of(probe(rule("t/window", Severity.BLOCK, ctx -> List.of(
        RuleViolation.general("holiday").clearingAt(t1), RuleViolation.general("freeze").clearingAt(t2)))))
        .run(repo());
    assertEquals(t2, windows.retryAt(), "the later window decides");
    ProbeOutcome forever = RuleHarness.of(probe(rule("t/window", Severity.BLOCK, ctx -> List.of(
        RuleViolation.general("holiday").clearingAt(t1), RuleViolation.general("a leaked key")))))
        .run(repo());
    assertNull(forever.retryAt());
  }
}
