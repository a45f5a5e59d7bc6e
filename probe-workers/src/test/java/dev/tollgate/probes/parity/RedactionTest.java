package dev.tollgate.probes.parity;

import static dev.tollgate.probes.parity.ParityFixtures.repo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.probe.Finding;
import dev.tollgate.probes.runtime.ProbeOutcome;
import dev.tollgate.probes.testing.FixtureRepo;
import dev.tollgate.probes.testing.RuleHarness;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret values in configuration never reach a finding, whichever rule reports the key and whichever format
 * holds it: findings go to Slack, PR comments and the audit log.
 */
class RedactionTest {
  private static final List<String> SECRETS = List.of(
      "Sup3rS3cretStaging", "hunter2pass", "sk_live_abcdefghijklmnop123", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      "pa55word", "AKIAIOSFODNN7EXAMPLE", "tfS3cret!Value", "pr0pS3cret", "C0nnStr!ngPass", "xK9mP2vL5nQ8wR3tY6zB1cD4fG7",
      "S3cr3tYaml", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0");
  @TempDir Path dir;

  private FixtureRepo leakyRepo() {
    return repo(dir,
        // dotenv: secret by key name on one side; credentials in a URL under an innocent name
        ".env.staging", "DB_PASSWORD=Sup3rS3cretStaging\nCALLBACK=https://user:hunter2pass@hooks.example.com/x\n",
        ".env.production", "LOG_LEVEL=info\n",
        // YAML: secret by name present on both sides (presence only), a flag holding a token, a typed secret,
        // an image reference with credentials, a version-like key holding an access key id, a JWT
        "chart/values-staging.yaml", """
            stripe: {apiKey: sk_live_abcdefghijklmnop123}
            features: {token-exchange: "ghp_abcdefghijklmnopqrstuvwxyz0123456789"}
            upstream: {ref: 42}
            worker: {image: "https://bob:pa55word@registry.example.com/worker:1"}
            license: {version: AKIAIOSFODNN7EXAMPLE}
            session: {cookie: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0}
            """,
        "chart/values-production.yaml", """
            stripe: {apiKey: 12345}
            features: {token-exchange: "other"}
            upstream: {ref: xK9mP2vL5nQ8wR3tY6zB1cD4fG7}
            worker: {image: "registry.example.com/worker:2"}
            license: {version: "2"}
            """,
        // tfvars, .properties and JSON: secrets on one side only
        "infra/staging.tfvars", "db_password = \"tfS3cret!Value\"\n",
        "infra/production.tfvars", "region = \"eu-west-1\"\n",
        "conf/staging/mail.properties", "mail.smtp.host=smtp\n",
        "conf/production/mail.properties", "mail.smtp.host=smtp\nmail.smtp.password=pr0pS3cret\n",
        "api/appsettings.Staging.json", "{\"ConnectionStrings\": {\"Main\": \"Server=db;Password=C0nnStr!ngPass\"}}",
        "api/appsettings.Production.json", "{}",
        // a file that does not parse, with a secret next to the error
        "web/values-staging.yaml", "a: 1\n",
        "web/values-production.yaml", "a: 1\npassword: [unclosed-S3cr3tYaml\n");
  }

  @Test
  void noSecretValueAppearsInAnyFindingField() {
    ProbeOutcome outcome = RuleHarness.of(new EnvironmentParityProbe())
        .withHistory(ParityFixtures.passedIn("staging")).run(leakyRepo());
    List<Finding> findings = outcome.findings();
    String rendered = RuleHarness.render(findings);
    // The rules did see the secret keys: the test would be vacuous otherwise.
    for (String expected : List.of("DB_PASSWORD: staging (set, redacted) vs production (missing)",
        "CALLBACK: staging (set, redacted) vs production (missing)",
        "features.token-exchange: staging (set, redacted) vs production (set, redacted)",
        "worker.image: staging (set, redacted) vs production (set, redacted)",
        "license.version: staging (set, redacted) vs production (set, redacted)",
        "session.cookie: staging (set, redacted) vs production (missing)",
        "db_password: staging (set, redacted) vs production (missing)",
        "mail.smtp.password: staging (missing) vs production (set, redacted)",
        "ConnectionStrings.Main: staging (set, redacted) vs production (missing)",
        "line 3: not valid YAML")) {
      assertTrue(rendered.contains(expected), () -> "expected \"" + expected + "\" in:\n" + rendered);
    }
    for (Finding f : findings) {
      for (String field : Arrays.asList(f.ruleId(), f.file(), f.message(), f.fix(), f.fingerprint(), f.commit())) {
        for (String secret : SECRETS) {
          assertFalse(Objects.toString(field, "").contains(secret),
              () -> "secret " + secret + " leaked into " + f.ruleId() + ": " + field);
        }
      }
    }
    assertFalse(outcome.reason().contains("S3cr"), outcome.reason());
  }

  @Test
  void secretKeysAreComparedByPresenceOnly() {
    // stripe.apiKey is a string in staging and a number in production: a type difference of a secret says
    // something about it, so it is not reported at all.
    String rendered = RuleHarness.render(RuleHarness.of(new TypeMismatchRule()).withHistory(ParityFixtures.passedIn("staging"))
        .run(leakyRepo()).findings());
    assertFalse(rendered.contains("stripe"), rendered);
    assertFalse(rendered.contains("upstream.ref"), rendered);
  }

  @Test
  void recognisesSecretsByNameAndByShape() {
    Redactor r = new Redactor(List.of(Glob.key("*.internalRef")));
    for (String key : List.of("db.password", "DB_PASSWORD", "spring.datasource.passwd", "api-key", "stripe.apiKey",
        "client_secret", "AUTH_TOKEN", "sentry.dsn", "aws.accessKey", "tls.privateKey", "x.internalRef",
        "Secret/app.data.anything")) {
      assertTrue(r.secretKey(key), key);
    }
    for (String key : List.of("server.port", "image.tag", "cache.key-prefix", "features.checkout", "author")) {
      assertFalse(r.secretKey(key), key);
    }
    for (String value : List.of("postgres://app:pw@db/app", "-----BEGIN RSA PRIVATE KEY-----\nMII", "AKIAIOSFODNN7EXAMPLE",
        "xoxb-123456789012-abcdefghij", "glpat-abcdefghijklmnopqrstu", "xK9mP2vL5nQ8wR3tY6zB1cD4fG7")) {
      assertTrue(Redactor.secretValue(Value.string(value)), value);
    }
    for (String value : List.of("https://example.com/path", "sha256:5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaa",
        "ghcr.io/acme/api:1.4.2@sha256:0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef01234567",
        "jdbc:postgresql://db.prod:5432/app", "eu-west-1", "Hello, production")) {
      assertFalse(Redactor.secretValue(Value.string(value)), value);
    }
  }
}
