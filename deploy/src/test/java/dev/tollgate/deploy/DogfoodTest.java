package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.gate.view.EvaluationView;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tollgate gates its own releases: every production probe, on this repository's own history and tree, with the
 * built-in configuration (production: warnings block). No secret shipped, no drift, manifests pinned and probed.
 * The clock is fixed on an ordinary working day: the calendar probe rightly blocks production on holidays.
 */
class DogfoodTest {
  static final Clock WEDNESDAY = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
  Path root;

  @BeforeEach
  void checkout() {
    root = Path.of("..").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isDirectory(root.resolve(".git")), "runs in a git checkout");
  }

  /**
   * The whole tree as a first deploy with the built-in configuration: every probe passes, and production's gate says
   * GO. A first deploy has no release to roll back to, which the rollback probe says as information (issue 20: as a
   * warning, production's warningsBlock refused every first deploy and nobody could override it).
   */
  @Test
  void tollgatePassesItsOwnProductionGate() throws Exception {
    LocalCheck.Outcome outcome = LocalCheck.run(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(root, "HEAD", null, "production", List.of()), WEDNESDAY);
    String report = Cli.TextReport.render(outcome.view());
    assertEquals(ProbeRegistry.production().ids().size(), outcome.view().probes().size(), report);
    for (EvaluationView.ProbeView p : outcome.view().probes()) {
      List<String> unsafe = p.findings().stream().filter(f -> f.severity() != Severity.INFO)
          .map(f -> f.ruleId()).distinct().toList();
      assertEquals(List.of(), unsafe, report);
      assertEquals("PASS", p.status(), report);
    }
    assertTrue(outcome.view().probes().stream().flatMap(p -> p.findings().stream())
        .anyMatch(f -> f.ruleId().equals("rollback/no-rollback-target") && f.severity() == Severity.INFO), report);
    assertEquals(Decision.GO, outcome.verdict().decision(), report);
  }

  /**
   * A release over a running one has a rollback target: the rollback probe, which reads the manifests of the whole
   * candidate tree (deploy/kubernetes, deploy/Dockerfile), says GO. Over HEAD itself, so the history's shape (a large
   * merge as the last commit) cannot make the blast radius vary.
   */
  @Test
  void tollgatesManifestsPassTheRollbackProbe() throws Exception {
    LocalCheck.Outcome outcome = LocalCheck.run(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(root, "HEAD", "HEAD", "production", List.of(ProbeId.ROLLBACK)), WEDNESDAY);
    String report = Cli.TextReport.render(outcome.view());
    assertEquals(Decision.GO, outcome.verdict().decision(), report);
    // .tollgate.yml requires secrets too, so the check runs it beside rollback.
    EvaluationView.ProbeView rollback = outcome.view().probes().stream()
        .filter(p -> p.probe().equals(ProbeId.ROLLBACK.value())).findFirst().orElseThrow(() -> new AssertionError(report));
    assertEquals("PASS", rollback.status(), report);
    assertTrue(rollback.findings().stream().allMatch(f -> f.severity() == Severity.INFO), report);
  }
}
