package dev.tollgate.probes.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * secrets/example-credential: a documented example credential never blocks; in deployed configuration it is an INFO
 * finding. Example values are read from the shipped list, so no literal appears in this source.
 */
class ExampleCredentialRuleTest {
  private static final RuleBook BOOK = RuleBook.standard();
  private static final SecretScanner SCANNER = new SecretScanner(BOOK, RepoSecretsConfig.none(), null);
  private final RuleHarness harness = RuleHarness.of(new SecretLeakageProbe());
  private final Canary canary = new Canary(18);

  @TempDir
  Path dir;

  private static String example(String credential) {
    return BOOK.examples().stream().filter(e -> e.credential().equals(credential)).findFirst().orElseThrow().value();
  }

  @Test
  void flagsExampleKeyInDeployedConfigAsInfoNextToARealKeyThatBlocks() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("src/main/resources/application.yml", "aws:\n  accessKeyId: " + example("AWS access key ID")
            + "\n  fallbackKeyId: " + canary.awsKeyId() + "\n");

    ProbeOutcome outcome = harness.run(repo);

    assertEquals(List.of("secrets/aws-access-key-id src/main/resources/application.yml:3",
        "secrets/example-credential src/main/resources/application.yml:2"),
        SecretLeakageProbeTest.summary(outcome.findings()).stream().sorted().toList());
    Finding info = outcome.findings().stream().filter(f -> f.ruleId().equals("secrets/example-credential")).findFirst().orElseThrow();
    assertEquals(Severity.INFO, info.severity());
    assertTrue(info.message().startsWith("Documented example AWS access key ID (published at https://"),
        info.message());
    assertEquals(ProbeStatus.FAIL, outcome.status(), "the real key blocks; the example does not change that");
  }

  @Test
  void flagsExampleAloneInConfigWithoutFailingTheProbe() {
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("deploy/.env", "STRIPE_SECRET_KEY=" + example("Stripe test secret key") + "\n");

    ProbeOutcome outcome = harness.run(repo);

    assertEquals(List.of("secrets/example-credential deploy/.env:1"), SecretLeakageProbeTest.summary(outcome.findings()));
    assertEquals(ProbeStatus.PASS, outcome.status());
  }

  @Test
  void passesExamplesInSourceTestsAndDocs() {
    // Safe: examples in code, tests and docs are how SDKs and tutorials are written; none of it is deployed config.
    String key = example("AWS access key ID");
    FixtureRepo repo = FixtureRepo.create(dir).commit("README.md", "# app\n").deployed()
        .commit("src/main/java/App.java", "class App { String k = \"" + key + "\"; }\n")
        .commit("src/test/resources/application.yml", "aws:\n  accessKeyId: " + key + "\n")
        .commit("docs/setup.md", "export AWS_ACCESS_KEY_ID=" + key + "\n")
        .commit("examples/config.yml", "accessKeyId: " + key + "\n");
    harness.assertNoViolations(repo);
  }

  static Stream<KnownExample> examples() {
    return BOOK.examples().stream();
  }

  /** Every listed example is recognised by a rule, and only ever as an INFO finding in deployed config. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void flagsEveryListedExampleOnlyAsInfoInConfig(KnownExample e) {
    String line = "api_token: \"" + e.value() + "\"\n";
    List<SecretFinding> inConfig = SCANNER.scanFile("config/app.yml", line.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("secrets/example-credential"), inConfig.stream().map(SecretFinding::ruleId).toList(), e.value());
    assertEquals(Severity.INFO, inConfig.get(0).severity());
    assertEquals(List.of(), SCANNER.scanFile("src/Client.java", ("String apiToken = \"" + e.value() + "\";\n")
        .getBytes(StandardCharsets.UTF_8)), e.value());
  }
}
