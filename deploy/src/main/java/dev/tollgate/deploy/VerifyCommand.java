package dev.tollgate.deploy;

import dev.tollgate.contracts.Checks;
import dev.tollgate.contracts.Durations;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.attestation.VerdictPredicate;
import dev.tollgate.gate.attestation.AttestationKey;
import dev.tollgate.gate.attestation.AttestationVerifier;
import dev.tollgate.gate.attestation.Dsse;
import dev.tollgate.gate.attestation.KeyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate verify}: may this commit be deployed to this environment, by a verdict Tollgate signed? Checks an
 * attestation ({@code GET /api/v1/evaluations/{id}/attestation}) offline against public keys the caller trusts. Exit
 * codes: see {@link AttestationVerifier.Outcome}, and 2 for usage errors and unreadable files.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a signed Tollgate verdict (an in-toto attestation in a DSSE envelope). Exit code 0 verified "
        + "(signature, subject, environment hold and the decision is GO or a valid OVERRIDDEN), 1 the verdict does not "
        + "permit the deploy (NO_GO, expired override, older than --max-age), 2 usage or unreadable file, 3 signature "
        + "invalid (altered, or not signed by a given key), 4 another commit, artifact, repository or tenant, 5 another "
        + "environment, 6 not a Tollgate attestation. --commit, --environment and --repository are required (or "
        + "--any-commit, --any-environment, --any-repository by name); an empty value counts as missing.")
final class VerifyCommand implements Callable<Integer> {
  static final int ERROR = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ATTESTATION", description = "The attestation file (the envelope JSON), or - for standard input")
  String attestation;

  @Option(names = "--key", required = true, paramLabel = "FILE",
      description = "Public keys to trust: PEM (openssl pkey -pubout) or a JWKS document (GET /api/v1/attestations/keys). "
          + "Repeat for several; any of them may have signed")
  List<Path> keys = new ArrayList<>();

  @Option(names = "--commit", paramLabel = "SHA", description = "The full commit id about to be deployed")
  String commit;

  @Option(names = {"--environment", "--env"}, paramLabel = "ENV", description = "The environment being deployed to")
  String environment;

  // Opt-outs by name: a pipeline that forgets --commit, --environment or --repository must not accept any commit's,
  // any environment's or another repository's GO (cosign asks for --certificate-identity, slsa-verifier for
  // --source-uri, for the same reason).
  @Option(names = "--any-commit", description = "Accept a verdict about whatever commit it names (an audit, not a deploy)")
  boolean anyCommit;

  @Option(names = "--any-environment", description = "Accept a verdict for whatever environment it names (an audit, not a deploy)")
  boolean anyEnvironment;

  @Option(names = "--artifact", paramLabel = "DIGEST", description = "An artifact digest that must be a subject, e.g. sha256:<hex>")
  String artifact;

  @Option(names = "--repository", paramLabel = "URL", description = "The repository the commit must belong to (any "
      + "spelling of it: with or without .git, http or https, a default port, the path in any case)")
  String repository;

  @Option(names = "--any-repository",
      description = "Accept a verdict about whatever repository it names (an audit, not a deploy)")
  boolean anyRepository;

  @Option(names = "--tenant", description = "The tenant the verdict must be for (a gate with several tenants signs them all "
      + "with one key, and each tenant has its own locks and approvers)")
  String tenant;

  @Option(names = "--max-age", paramLabel = "DURATION",
      description = "Refuse a verdict decided longer ago than this, e.g. 24h (default: any age)")
  String maxAge;

  @Option(names = "--at", description = "ISO-8601 instant the check is made at: override expiry, --max-age (default: now)")
  String at;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  String format;

  private final Clock clock;
  private final InputStream stdin;

  VerifyCommand() {
    this(Clock.systemUTC(), System.in);
  }

  VerifyCommand(Clock clock, InputStream stdin) {
    this.clock = clock;
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    AttestationVerifier.Result result;
    try {
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("--format: expected text or json, got \"" + format + "\"");
      }
      commit = given(commit);
      environment = given(environment);
      repository = given(repository);
      List<String> missing = new ArrayList<>();
      required(missing, commit, anyCommit, "--commit SHA", "--any-commit", "any commit's GO");
      required(missing, environment, anyEnvironment, "--environment ENV", "--any-environment",
          "any environment's GO (staging's for production)");
      required(missing, repository, anyRepository, "--repository URL", "--any-repository",
          "a GO about the same commit in another repository (a fork)");
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", missing));
      }
      if (tenant != null && tenant.isBlank()) {
        throw new IllegalArgumentException("--tenant is empty (an unset variable?): name the tenant, or leave the option out");
      }
      if (commit != null && !Checks.isCommit(commit.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("--commit: expected a full commit id (40 or 64 hex characters), got \""
            + Checks.abbreviate(commit) + "\"");
      }
      String digest = artifact == null ? null : Checks.artifactDigestOf(artifact);
      if (artifact != null && digest == null) {
        throw new IllegalArgumentException("--artifact: expected a full digest like sha256:<64 hex characters>, got \""
            + Checks.abbreviate(artifact) + "\"");
      }
      Instant when;
      try {
        when = at == null ? clock.instant() : Instant.parse(at);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("--at: expected an ISO-8601 instant like 2026-12-24T10:00:00Z, got \"" + at + "\"");
      }
      Duration age = maxAge == null ? null : Durations.parse(maxAge, "--max-age");
      List<AttestationKey> trusted = new ArrayList<>();
      for (Path k : keys) {
        try {
          trusted.addAll(KeyFiles.parse(Files.readString(k, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new IllegalArgumentException("--key " + k + ": cannot read it");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--key " + k + ": " + e.getMessage());
        }
      }
      byte[] envelope = read();
      result = AttestationVerifier.verify(envelope, trusted, new AttestationVerifier.Expectations(
          commit == null ? null : commit.toLowerCase(Locale.ROOT), environment, digest, repository, age, tenant), when);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("tollgate verify: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return ERROR;
    }
    if (format.equals("json")) {
      out.println(Json.writeString(json(result)));
    } else {
      out.println((result.verified() ? "" : "NOT VERIFIED (" + result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + "): ") + result.reason());
    }
    out.flush();
    return result.outcome().exitCode();
  }

  /** A value left empty (an unset variable in a pipeline) is no value: it must not turn a check off or fail it as a mismatch. */
  private static String given(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Adds why {@code value} is required, or that it contradicts {@code any}. */
  private static void required(List<String> problems, String value, boolean any, String option, String anyOption,
      String accepted) {
    String name = option.substring(0, option.indexOf(' '));
    if (value == null && !any) {
      problems.add(option + " is required (missing or empty): without it " + accepted + " verifies (" + anyOption
          + " to accept that)");
    } else if (value != null && any) {
      problems.add(name + " and " + anyOption + " contradict each other");
    }
  }

  private byte[] read() {
    try {
      if (attestation.equals("-")) {
        return stdin.readNBytes(Dsse.MAX_ENVELOPE_BYTES + 1);
      }
      return Files.readAllBytes(Path.of(attestation));
    } catch (IOException e) {
      throw new IllegalArgumentException(attestation + ": cannot read it");
    }
  }

  private static Map<String, Object> json(AttestationVerifier.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verified", r.verified());
    m.put("outcome", r.outcome().name());
    m.put("exitCode", r.outcome().exitCode());
    m.put("reason", r.reason());
    m.put("keyId", r.keyId());
    VerdictPredicate p = r.predicate();
    if (p != null) {
      m.put("evaluationId", p.evaluationId());
      m.put("tenant", p.tenant());
      m.put("decision", p.decision());
      m.put("revision", p.revision());
      m.put("repository", p.repository());
      m.put("environment", p.environment());
      m.put("commit", p.candidate());
      m.put("artifactDigests", p.artifactDigests());
      m.put("decidedAt", p.decidedAt());
    }
    return m;
  }
}
