package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.verdict.Decision;
import dev.tollgate.contracts.verdict.ProbeSummary;
import dev.tollgate.contracts.verdict.Reason;
import dev.tollgate.contracts.verdict.ReasonCode;
import dev.tollgate.contracts.verdict.VerdictReached;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.VerdictStatement;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tollgate verify}: one exit code per outcome, a reason a person can act on, JSON for pipelines. */
class VerifyCommandTest {
  static final Instant AT = Instant.parse("2026-11-26T10:15:30Z");
  static final String SHA = "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098";
  static final String REPO = "https://github.com/acme/shop.git";
  static final DeployTarget TARGET = new DeployTarget("acme", REPO, "production", SHA, null);

  @TempDir
  Path dir;
  final AttestationKey key = AttestationKey.generate();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  Path pub;

  @BeforeEach
  void keys() throws Exception {
    pub = dir.resolve("pub.pem");
    Files.writeString(pub, key.publicPem());
  }

  static VerdictReached verdict(Decision decision) {
    List<Reason> reasons = decision == Decision.GO ? List.of()
        : List.of(new Reason(ReasonCode.PROBE_FAILED, ProbeId.SECRETS, "probe secrets failed: 1 blocking finding"));
    return VerdictReached.of("0b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req", TARGET, decision, reasons, List.of(new ProbeSummary(
        ProbeId.SECRETS, true, decision == Decision.GO ? ProbeStatus.PASS : ProbeStatus.FAIL, null, Duration.ofSeconds(30), 0, 0)),
        "server:1", AT, AT.plusSeconds(1), 1, null, false);
  }

  Path envelope(VerdictReached v) throws Exception {
    Path file = dir.resolve("attestation-" + v.decision() + ".json");
    Files.write(file, VerdictStatement.sign(v, key).envelope());
    return file;
  }

  int runWithInput(String stdin, String... args) {
    CommandLine cli = new CommandLine(new VerifyCommand(Clock.fixed(AT.plusSeconds(60), ZoneOffset.UTC),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  int run(String... args) {
    return runWithInput("", args);
  }

  @Test
  void exitsZeroOnlyWhenSignatureSubjectEnvironmentAndDecisionHold() throws Exception {
    Path go = envelope(verdict(Decision.GO));
    assertEquals(0, run(go.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO), out + " " + err);
    assertTrue(out.toString().startsWith("verified: GO for production, commit " + SHA), out.toString());
  }

  @Test
  void eachFailureHasItsExitCodeAndReason() throws Exception {
    Path go = envelope(verdict(Decision.GO));
    assertEquals(1, run(envelope(verdict(Decision.NO_GO)).toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertTrue(out.toString().startsWith("NOT VERIFIED (not permitted): the verdict is NO_GO: probe secrets failed"), out.toString());

    Path other = dir.resolve("other.pem");
    Files.writeString(other, AttestationKey.generate().publicPem());
    assertEquals(3, run(go.toString(), "--key", other.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO), "a key that did not sign it");

    JsonNode env = Json.mapper().readTree(go.toFile());
    byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
    payload[40] ^= 1;
    ((com.fasterxml.jackson.databind.node.ObjectNode) env).put("payload", Base64.getEncoder().encodeToString(payload));
    Path flipped = dir.resolve("flipped.json");
    Files.write(flipped, Json.write(env));
    out.getBuffer().setLength(0);
    assertEquals(3, run(flipped.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertTrue(out.toString().contains("altered"), out.toString());

    assertEquals(4, run(go.toString(), "--key", pub.toString(), "--commit", "0".repeat(40),
        "--environment", "production", "--repository", REPO), "another commit");
    assertEquals(4, run(go.toString(), "--key", pub.toString(), "--commit", SHA,

            "--environment", "production", "--repository", REPO, "--artifact", "sha256:" + "1".repeat(64)),
        "an artifact it does not name");
    assertEquals(5, run(go.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "staging", "--repository", REPO));
    out.getBuffer().setLength(0);
    assertEquals(1, run(go.toString(), "--key", pub.toString(), "--max-age", "30s", "--commit", SHA,
        "--environment", "production", "--repository", REPO), "decided a minute before the check");
    assertTrue(out.toString().contains("more than 30s ago: request a new evaluation"), out.toString());
    assertEquals(0, run(go.toString(), "--key", pub.toString(), "--max-age", "24h", "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    Path notAnEnvelope = dir.resolve("evaluation.json");
    Files.writeString(notAnEnvelope, "{\"id\":\"x\",\"status\":\"COMPLETE\"}");
    assertEquals(6, run(notAnEnvelope.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
  }

  @Test
  void usageErrorsAndUnreadableFilesAreExitTwoNamingTheOption() throws Exception {
    Path go = envelope(verdict(Decision.GO));
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", "3f2c9a1",
        "--environment", "production", "--repository", REPO), "an abbreviated commit could match another");
    assertTrue(err.toString().contains("--commit: expected a full commit id"), err.toString());
    assertEquals(2, run(go.toString(), "--key", dir.resolve("missing.pem").toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertEquals(2, run(dir.resolve("missing.json").toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    Path privateKey = dir.resolve("private.pem");
    Files.writeString(privateKey, key.privatePem());
    assertEquals(2, run(go.toString(), "--key", privateKey.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertTrue(err.toString().contains("this is a private key"), err.toString());
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--at", "tomorrow", "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--max-age", "a while", "--commit", SHA,
        "--environment", "production", "--repository", REPO));
    assertEquals(2, run(go.toString()), "--key is required");
  }

  @Test
  void readsStandardInputAndJwksAndAnswersJson() throws Exception {
    Path jwks = dir.resolve("keys.json");
    Files.writeString(jwks, "{\"keys\":[" + Json.writeString(key.jwk()) + "]}");
    String envelope = Files.readString(envelope(verdict(Decision.GO)));
    assertEquals(0, runWithInput(envelope, "-", "--key", jwks.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--format", "json"), err.toString());
    JsonNode json = Json.mapper().readTree(out.toString());
    assertEquals("VERIFIED", json.path("outcome").asText());
    assertEquals(0, json.path("exitCode").asInt());
    assertEquals("GO", json.path("decision").asText());
    assertEquals(SHA, json.path("commit").asText());
    assertEquals(key.keyId(), json.path("keyId").asText());
  }

  @Test
  void verifiesAP256AttestationWithItsPemOrJwksAndRefusesItWithAnEd25519Key() throws Exception {
    AttestationKey p256 = AttestationKey.generate(AttestationKey.Kind.P256);
    Path file = dir.resolve("p256.json");
    Files.write(file, VerdictStatement.sign(verdict(Decision.GO), p256).envelope());
    Path p256Pem = dir.resolve("p256.pem");
    Files.writeString(p256Pem, p256.publicPem());
    assertEquals(0, run(file.toString(), "--key", p256Pem.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO), out + " " + err);
    assertTrue(out.toString().contains("signed by key " + p256.keyId()), out.toString());
    Path jwks = dir.resolve("both.json");
    Files.writeString(jwks, "{\"keys\":[" + Json.writeString(key.jwk()) + "," + Json.writeString(p256.jwk()) + "]}");
    assertEquals(0, run(file.toString(), "--key", jwks.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO), "a JWKS with both kinds");
    assertEquals(3, run(file.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO), "the Ed25519 key did not sign it");
  }

  @Test
  void theArtifactMustBeASubjectOfTheStatement() throws Exception {
    String image = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    Path withImage = dir.resolve("with-image.json");
    Files.write(withImage, VerdictStatement.sign(verdict(Decision.GO).withArtifactDigests(List.of(image)), key).envelope());
    assertEquals(0, run(withImage.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--artifact", image), out + " " + err);
    assertEquals(0, run(withImage.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--artifact", image.toUpperCase(java.util.Locale.ROOT)
        .replace("SHA256", "sha256")), "hex in either case");
    out.getBuffer().setLength(0);
    assertEquals(4, run(withImage.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--artifact", "sha256:" + "1".repeat(64)));
    assertTrue(out.toString().contains("it names " + image), out.toString());
    assertEquals(2, run(withImage.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--artifact", "sha256:abc"), "not a digest");
    assertEquals(2, run(withImage.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--artifact", "sha256:" + "9f86d081".repeat(4)),
        "a truncated digest is a usage error, as the API's 400, not another image");
  }

  /**
   * Attack: a pipeline that forgets --commit, --environment or --repository is handed staging's GO, a GO of another
   * commit, or a fork's GO of the same commit, and deploys it to production. As cosign (--certificate-identity) and
   * slsa-verifier (--source-uri) do, the CLI refuses to verify without saying what it verifies: a usage error naming
   * every missing option at once, unless the caller opts out by name.
   */
  @Test
  void aVerifyThatDoesNotNameTheCommitEnvironmentAndRepositoryIsAUsageErrorUnlessTheCallerSaysAny() throws Exception {
    Path go = envelope(verdict(Decision.GO));
    assertEquals(2, run(go.toString(), "--key", pub.toString()), "none");
    assertTrue(err.toString().contains("--commit SHA is required") && err.toString().contains("--environment ENV is required")
        && err.toString().contains("--repository URL is required"), "every missing option in one error: " + err);
    err.getBuffer().setLength(0);
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--repository", REPO),
        "no --environment: staging's GO would pass");
    assertTrue(err.toString().contains("--environment ENV is required") && !err.toString().contains("--commit SHA"), err.toString());
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--environment", "production", "--repository", REPO),
        "no --commit: any commit's GO");
    err.getBuffer().setLength(0);
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production"),
        "no --repository: a fork's GO of the same commit would pass");
    assertTrue(err.toString().contains("--repository URL is required") && err.toString().contains("--any-repository"),
        err.toString());
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--artifact", "sha256:" + "1".repeat(64), "--environment",
        "production", "--repository", REPO), "an artifact alone says someone asked about it, not that it is the commit");
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--any-commit", "--environment", "production",
        "--repository", REPO), "--commit and --any-commit contradict each other");
    err.getBuffer().setLength(0);
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
        "--any-environment", "--repository", REPO), "--environment and --any-environment contradict each other");
    assertTrue(err.toString().contains("--environment and --any-environment contradict each other"), err.toString());
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
        "--repository", REPO, "--any-repository"), "--repository and --any-repository contradict each other");
    out.getBuffer().setLength(0);
    assertEquals(0, run(go.toString(), "--key", pub.toString(), "--any-commit", "--any-environment", "--any-repository"),
        out + " " + err);
    assertEquals(0, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--any-environment", "--any-repository"),
        out + " " + err);
    assertEquals(1, run(envelope(verdict(Decision.NO_GO)).toString(), "--key", pub.toString(), "--any-commit",
        "--any-environment", "--any-repository"), "the decision is checked whatever the caller opted out of");
  }

  /**
   * Attack: the pipeline's variable is unset ({@code --environment "$DEPLOY_ENV"} with DEPLOY_ENV empty). An empty
   * value is a missing value, the same usage error (exit 2), not a mismatch (exit 5) a script might treat differently,
   * and never a check turned off.
   */
  @Test
  void anEmptyValueIsTheSameRequiredErrorAsAMissingOne() throws Exception {
    Path go = envelope(verdict(Decision.GO));
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "", "--repository", REPO));
    assertTrue(err.toString().contains("--environment ENV is required (missing or empty)"), err.toString());
    err.getBuffer().setLength(0);
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", " ", "--environment", "production",
        "--repository", ""));
    assertTrue(err.toString().contains("--commit SHA is required") && err.toString().contains("--repository URL is required"),
        err.toString());
    assertEquals(2, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
        "--repository", REPO, "--tenant", ""), "an empty --tenant would check nothing");
  }

  /**
   * Attack: a fork (or a copy in another allowed repository) holds the same commit, and its GO for production is handed
   * to this repository's pipeline. --repository refuses it in any spelling of either repository, as the locks compare.
   */
  @Test
  void aForksGoForTheSameCommitIsRefusedAndAnotherSpellingOfTheRepositoryIsTheSame() throws Exception {
    VerdictReached fork = VerdictReached.of("2b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req",
        new DeployTarget("acme", "https://github.com/mallory/shop.git", "production", SHA, null), Decision.GO, List.of(),
        List.of(), "server:1", AT, AT.plusSeconds(1), 1, null, false);
    Path file = dir.resolve("fork.json");
    Files.write(file, VerdictStatement.sign(fork, key).envelope());
    assertEquals(4, run(file.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
        "--repository", REPO), out + " " + err);
    assertTrue(out.toString().contains("repository https://github.com/mallory/shop.git, not " + REPO), out.toString());
    Path go = envelope(verdict(Decision.GO));
    for (String spelling : List.of("https://github.com/acme/shop", "https://github.com/Acme/Shop.GIT",
        "http://github.com:80/acme//shop/", "https://GitHub.com.:443/acme/shop.git")) {
      assertEquals(0, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
          "--repository", spelling), spelling + ": " + out + " " + err);
    }
    out.getBuffer().setLength(0);
    assertEquals(0, run(go.toString(), "--key", pub.toString(), "--commit", SHA, "--environment", "production",
        "--repository", REPO));
    assertTrue(out.toString().contains("repository " + REPO + ", tenant acme"), "the text names the tenant: " + out);
  }

  /**
   * Attack: a token for another tenant asks the gate about the same repository, commit and environment. That tenant
   * has no lock (locks, queues and approvers are per tenant), so its GO is signed by the same key: --tenant refuses it.
   */
  @Test
  void anotherTenantsGoForTheSameCommitAndEnvironmentIsRefusedWithTenant() throws Exception {
    VerdictReached globex = VerdictReached.of("1b6c2f0e-5d1a-4c1e-9b38-3f1d2a7c9e11", "req",
        new DeployTarget("globex", TARGET.repository(), "production", SHA, null), Decision.GO, List.of(), List.of(), "server:1",
        AT, AT.plusSeconds(1), 1, null, false);
    Path file = dir.resolve("globex.json");
    Files.write(file, VerdictStatement.sign(globex, key).envelope());
    out.getBuffer().setLength(0);
    assertEquals(4, run(file.toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO,
        "--tenant", "acme"), out + " " + err);
    assertTrue(out.toString().contains("tenant globex, not acme"), out.toString());
    assertEquals(0, run(envelope(verdict(Decision.GO)).toString(), "--key", pub.toString(), "--commit", SHA,
        "--environment", "production", "--repository", REPO, "--tenant", "acme"), out + " " + err);
  }
}
