package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.probes.repo.ChangeSet;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The warm-up runs every production probe on its generated repository, and nothing when turned off. */
class WarmupTest {
  private final ProbeRegistry registry = ProbeRegistry.production();
  private final Warmup warmup = new Warmup(registry, new ProbeRunner(200), ChangeSet.Limits.DEFAULT, Clock.systemUTC());

  @Test
  void everyProbeRunsWithoutAnErrorOnTheGeneratedRepository() {
    Warmup.Report r = warmup.run(Duration.ofMillis(1));
    // The budget is checked before each round: the first round always runs, whole.
    assertEquals(1, r.rounds());
    assertEquals(registry.ids().size(), r.checks());
    assertEquals(0, r.errors(), "a probe that errors on the warm-up repository warms nothing");
  }

  @Test
  void aLongBudgetStopsWhenTheRoundsStopGettingFasterOrAtTheCap() {
    Warmup.Report r = warmup.run(Duration.ofMinutes(10));
    // Never on the budget: it stops paying long before ten minutes (PlateauTest pins the rule itself).
    assertTrue(r.stoppedBy() == Warmup.Stop.PLATEAU || r.stoppedBy() == Warmup.Stop.CAP, r.toString());
    assertTrue(r.rounds() > Plateau.WINDOW && r.rounds() <= Warmup.MAX_ROUNDS, r.toString());
    assertEquals(r.rounds() * registry.ids().size(), r.checks());
    assertEquals(0, r.errors());
  }

  @Test
  void aShortBudgetStopsOnTheBudget() {
    Warmup.Report r = warmup.run(Duration.ofMillis(1));
    assertEquals(Warmup.Stop.BUDGET, r.stoppedBy());
  }

  @Test
  void aZeroBudgetDoesNothing() {
    Warmup.Report r = warmup.run(Duration.ZERO);
    assertEquals(0, r.checks());
    assertTrue(r.took().isZero());
    assertEquals(Warmup.Stop.OFF, r.stoppedBy());
  }
}
