package dev.tollgate.probes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.probe.ProbeCompleted;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.contracts.probe.ProbeStatus;
import dev.tollgate.contracts.probe.Severity;
import dev.tollgate.probes.api.RuleViolation;
import dev.tollgate.probes.api.ServerSettings;
import dev.tollgate.probes.repo.ChangeSet;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One redactor for every message (issue 19, item 4): whatever probe wrote a text, a credential in it leaves the worker
 * as its preview only. The review's two attacks: a migration default that is an AWS key, quoted by
 * {@code migration/missing-lock-timeout}; a {@code .tollgate.yml} whose values are keys.
 */
class ResultRedactionTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  static String awsKey(long seed) {
    return dev.tollgate.probes.testing.Attacks.awsKeyId(seed);
  }

  static ProbeCompleted execute(FixtureRepo repo, ProbeId probe, List<dev.tollgate.probes.api.Probe> probes) {
    CheckExecutor executor = new CheckExecutor(new ProbeRegistry(probes),
        check -> repo.changeSet(ChangeSet.Limits.DEFAULT), new ProbeRunner(200), ServerSettings.empty(), CLOCK, "test");
    CheckRequested check = CheckRequested.of("ev-1", "req-1", repo.target("production"), probe,
        CLOCK.instant().plusSeconds(60), CLOCK.instant(), null);
    return executor.execute(check);
  }

  @Test
  void flagsAKeyQuotedByTheMigrationsProbeAndShowsOnlyItsPreview() {
    String key = awsKey(1);
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint);\n")
        .deployed().commit("db/migration/V2__key.sql", "ALTER TABLE users ADD k text DEFAULT '" + key + "';\n");
    ProbeCompleted result = execute(repo, ProbeId.MIGRATIONS,
        List.of(new dev.tollgate.probes.migration.MigrationSafetyProbe()));
    String json = Json.writeString(result);
    assertTrue(result.findings().stream().anyMatch(f -> f.ruleId().equals("migration/missing-lock-timeout")), json);
    assertFalse(json.contains(key), json);
    assertFalse(json.contains(key.substring(4, 12)), "no more than the preview: " + json);
    assertTrue(json.contains("AKIA…"), json);
  }

  @Test
  void aRedactedResultKeepsTheCommitRangeTheGatesLeadTimeReads() {
    // Redaction rebuilds the result; the range (a count and two times, no text) must survive it.
    FixtureRepo repo = FixtureRepo.create(dir).commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint);\n")
        .deployed().commit("db/migration/V2__key.sql", "ALTER TABLE users ADD k text DEFAULT '" + awsKey(3) + "';\n");
    ProbeCompleted result = execute(repo, ProbeId.MIGRATIONS,
        List.of(new dev.tollgate.probes.migration.MigrationSafetyProbe()));
    assertTrue(Json.writeString(result).contains("AKIA…"), "the result was redacted");
    assertEquals(1, result.range().commits());
  }

  @Test
  void flagsKeysInTheRepositoryConfigurationWithoutEchoingThem() {
    String key = awsKey(2);
    FixtureRepo repo = FixtureRepo.create(dir).commit(".tollgate.yml", "version: " + key + "\n");
    ProbeCompleted versioned = execute(repo, ProbeId.MIGRATIONS,
        List.of(new dev.tollgate.probes.migration.MigrationSafetyProbe()));
    assertEquals(".tollgate.yml@" + repo.head() + ": version: expected 1", versioned.repoPolicy().error());
    // A key can also be a key of the file: names are shown, so the redactor masks it.
    FixtureRepo named = FixtureRepo.create(dir.resolve("b")).commit(".tollgate.yml", key + ": 1\n");
    ProbeCompleted result = execute(named, ProbeId.MIGRATIONS,
        List.of(new dev.tollgate.probes.migration.MigrationSafetyProbe()));
    String json = Json.writeString(result);
    assertTrue(result.repoPolicy().error().contains("AKIA…: unknown key"), json);
    assertFalse(json.contains(key), json);
  }

  @Test
  void flagsSecretsInEveryTextFieldEvenFromAProbeThatForgotToRedact() {
    String key = awsKey(3);
    var careless = ProbeRunnerTest.probe(ProbeRunnerTest.rule("t/careless", Severity.BLOCK, ctx -> List.of(
        new RuleViolation("conf/" + key + ".txt", 1, "found " + key, "remove " + key, null, null, "fp:" + key, null))));
    FixtureRepo repo = FixtureRepo.create(dir).commit("a.txt", "x\n");
    ProbeCompleted result = execute(repo, ProbeId.of("t"), List.of(careless));
    String json = Json.writeString(result);
    assertEquals(ProbeStatus.FAIL, result.status());
    assertFalse(json.contains(key), json);
    assertEquals("found AKIA…", result.findings().get(0).message());
  }

  @Test
  void flagsTextThatTriesToExemptItselfWithAnInlineAllow() {
    String key = awsKey(4);
    ResultRedaction redaction = new ResultRedaction(dev.tollgate.probes.secrets.SecretRedactor.standard());
    ProbeCompleted raw = ProbeCompleted.of("e", "c", "r", ProbeId.of("t"), ProbeStatus.ERROR,
        "x = '" + key + "' -- tollgate:allow", List.of(), false, null, "w", null, CLOCK.instant(), null);
    assertFalse(redaction.apply(raw).reason().contains(key));
  }

  @Test
  void passesResultsWithoutSecretsUnchanged() {
    ResultRedaction redaction = new ResultRedaction(dev.tollgate.probes.secrets.SecretRedactor.standard());
    ProbeCompleted plain = ProbeCompleted.of("e", "c", "r", ProbeId.of("t"), ProbeStatus.FAIL, "1 blocking finding",
        List.of(new dev.tollgate.contracts.probe.Finding("migration/drop-column", Severity.BLOCK, "db/V2__x.sql", 1,
            "Drops column `users.email` (sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08)",
            "Stop reading it first.", "db/V2__x.sql:migration/drop-column:1", "0123456789abcdef0123456789abcdef01234567")),
        false, null, "w", null, CLOCK.instant(), null);
    assertSame(plain, redaction.apply(plain));
  }

  /**
   * Structural: only {@link CheckExecutor} (which redacts) and {@link ResultRedaction} make a {@code ProbeCompleted}
   * in the worker, so a new probe or code path cannot publish an unredacted one.
   */
  @Test
  void flagsAnyOtherPlaceThatBuildsAProbeCompleted() throws IOException {
    Path main = Path.of("src", "main", "java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(main)) {
      offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.endsWith(Path.of("runtime", "CheckExecutor.java")) && !p.endsWith(Path.of("runtime", "ResultRedaction.java")))
          .filter(p -> {
            try {
              String s = Files.readString(p);
              return s.contains("ProbeCompleted.of(") || s.contains("new ProbeCompleted(");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).map(Path::toString).toList();
    }
    assertEquals(List.of(), offenders, "build ProbeCompleted only in CheckExecutor, which redacts it");
  }
}
