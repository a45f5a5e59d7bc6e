package dev.tollgate.probes.rollback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.Attacks;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rollback/read-incomplete: a manifest the probe could not read blocks, because the workloads it holds were never
 * checked. The review's attack: a Deployment with {@code nginx:latest} and no readiness probe, wrapped in a YAML alias
 * bomb, passed as if the file were not there.
 */
class ReadIncompleteRuleTest {
  private final RuleHarness harness = RuleHarness.of(RuleHarness.rule(new RollbackReadinessProbe(), "rollback/read-incomplete"));
  private final RuleHarness probe = RuleHarness.of(new RollbackReadinessProbe());
  @TempDir Path dir;

  static final String UNSAFE = Attacks.UNSAFE_DEPLOYMENT;

  static String aliasBomb() {
    return Attacks.aliasBomb(UNSAFE);
  }

  @Test
  void flagsADeploymentWrappedInAnAliasBomb() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", aliasBomb());
    harness.assertViolations(repo, """
        BLOCK rollback/read-incomplete k8s/shop.yaml
          deploy manifest cannot be read: it uses more than 50 aliases for collections (an alias bomb?)
        """);
    // The whole probe blocks, as it does on the same Deployment without the aliases.
    assertEquals(ProbeStatus.FAIL, probe.run(repo).status());
    var plain = FixtureRepo.create(dir.resolve("plain")).commit("k8s/shop.yaml", UNSAFE);
    assertEquals(ProbeStatus.FAIL, probe.run(plain).status());
  }

  @Test
  void flagsAManifestThatIsNotValidYaml() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", UNSAFE + "  broken: [unclosed\n");
    harness.assertViolations(repo, """
        BLOCK rollback/read-incomplete k8s/shop.yaml
          deploy manifest cannot be read: not valid YAML (line 11)
        """);
  }

  @Test
  void flagsAManifestOverTheFileLimit() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", UNSAFE + "# padding\n".repeat(110_000));
    harness.assertViolations(repo, """
        BLOCK rollback/read-incomplete k8s/shop.yaml
          possible deploy manifest not read: 1100156 bytes, over the file limit of 1048576 bytes (worker.maxFileBytes)
        """);
  }

  @Test
  void flagsAMigrationOverTheFileLimitToo() {
    var repo = FixtureRepo.create(dir).commit("README.md", "x\n").deployed()
        .commit("db/migration/V2__big.sql", "-- x\n".repeat(220_000) + "DROP TABLE users;\n");
    harness.assertViolations(repo, """
        BLOCK rollback/read-incomplete db/migration/V2__big.sql
          Migration not read: 1100018 bytes, over the file limit of 1048576 bytes (worker.maxFileBytes)
        """);
  }

  @Test
  void flagsADowngradedLimitAsInfoNamingTheDowngrade() {
    var repo = FixtureRepo.create(dir).commit("k8s/shop.yaml", aliasBomb());
    ProbeOutcome outcome = harness.withServerConfig("defaults:\n  readLimits: {unparseable: info}\n").run(repo);
    assertEquals(ProbeStatus.PASS, outcome.status(), outcome.reason());
    assertEquals("""
        INFO rollback/read-incomplete k8s/shop.yaml
          deploy manifest cannot be read: it uses more than 50 aliases for collections (an alias bomb?) (downgraded to \
        INFO for environment production by readLimits.unparseable in the server's tollgate.yml)""",
        RuleHarness.render(outcome.findings()));
  }

  @Test
  void passesReadableManifestsAndExcludedOrTemplatedFiles() {
    // Safe: the manifest parses; the broken file is excluded by the repository; a Helm template is not YAML until
    // rendered, so it is never read as a manifest.
    var repo = FixtureRepo.create(dir).commit(java.util.Map.of(
        "k8s/shop.yaml", UNSAFE,
        "testdata/broken.yaml", "kind: x\ncontainers: [\n",
        "chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        "chart/templates/deploy.yaml", "kind: Deployment\n{{- if .Values.x }}\ncontainers: {{ .Values.c }}\n{{- end }}\n",
        ".tollgate.yml", "rollback:\n  exclude: [testdata/]\n"), "manifests");
    harness.assertNoViolations(repo);
  }
}
