package dev.tollgate.probes.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.RepoPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The repository's .tollgate.yml: strict keys, and the gate policy it contributes. */
class RepoConfigTest {
  static final Set<ProbeId> KNOWN = Set.of(ProbeId.SECRETS, ProbeId.MIGRATIONS, ProbeId.CALENDAR);

  @Test
  void mergesDefaultsAndTheEnvironmentTighteningOnly() {
    RepoConfig c = RepoConfig.parse(".tollgate.yml@abc", """
        version: 1
        defaults:
          requiredProbes: [secrets]
          deadlines: {secrets: 30s}
        environments:
          production:
            requiredProbes: [migrations]
            deadlines: {secrets: 10s, migrations: 2m}
            warningsBlock: true
        """);
    RepoPolicy p = c.policyFor("production", KNOWN);
    assertNull(p.error());
    assertEquals(List.of(ProbeId.SECRETS, ProbeId.MIGRATIONS), p.requiredProbes());
    assertEquals(Map.of(ProbeId.SECRETS, Duration.ofSeconds(10), ProbeId.MIGRATIONS, Duration.ofMinutes(2)), p.deadlines());
    assertTrue(p.warningsBlock());
    RepoPolicy staging = c.policyFor("staging", KNOWN);
    assertEquals(List.of(ProbeId.SECRETS), staging.requiredProbes());
    assertFalse(staging.warningsBlock());
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsNamingTheKey() {
    assertEquals("enviroments: unknown key, did you mean environments? (known: [calendar, defaults, environments, migrations, parity, rollback, secrets, version])",
        assertThrows(IllegalArgumentException.class, () -> RepoConfig.parse("s", "enviroments: {}")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> RepoConfig.parse("s", "environments: {prod: {requiredProbe: [x]}}")).getMessage()
        .startsWith("environments.prod.requiredProbe: unknown key"));
    assertEquals("version: expected 1", assertThrows(IllegalArgumentException.class,
        () -> RepoConfig.parse("s", "version: 2")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RepoConfig.parse("s", "a: [unclosed")).getMessage()
        .startsWith("not valid YAML"));
    RepoPolicy bad = RepoConfig.parse("s", "environments: {prod: {requiredProbes: [secret]}}").policyFor("prod", KNOWN);
    assertEquals("environments.prod.requiredProbes: an entry names an unknown probe (known: [calendar, migrations, secrets])",
        bad.error());
    RepoPolicy badDeadline = RepoConfig.parse("s", "defaults: {deadlines: {secrets: soon}}").policyFor("prod", KNOWN);
    // A repository's values are never echoed: they reach verdict reasons, audit exports and Kafka.
    assertEquals("defaults.deadlines.secrets: expected a duration such as 30s, 5m or PT30S", badDeadline.error());
  }

  @Test
  void anEmptyFileIsNoPolicyAndAliasBombsAreRefused() {
    assertTrue(RepoConfig.parse("s", "").isEmpty());
    assertTrue(RepoConfig.parse("s", "# only a comment\n").policyFor("prod", KNOWN).requiredProbes().isEmpty());
    String bomb = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
    assertThrows(IllegalArgumentException.class, () -> RepoConfig.parse("s", bomb));
  }
}
