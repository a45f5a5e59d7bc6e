package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.probes.runtime.ProbeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Tollgate gates its own releases: every production probe, on this repository's own history and tree, with the
 * built-in configuration, says GO for production (no secret shipped, no drift, manifests pinned and probed).
 * The clock is fixed on an ordinary working day: the calendar probe rightly blocks production on holidays.
 */
class DogfoodTest {
  @Test
  void tollgatePassesItsOwnProductionGate() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isDirectory(root.resolve(".git")), "runs in a git checkout");
    Clock wednesday = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    LocalCheck.Outcome outcome = LocalCheck.run(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(root, "HEAD", null, "production", List.of()), wednesday);
    String report = Cli.TextReport.render(outcome.view());
    assertEquals(Decision.GO, outcome.verdict().decision(), report);
    assertTrue(outcome.view().probes().size() >= ProbeRegistry.production().ids().size(), report);
  }
}
