package dev.tollgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.probe.ProbeId;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate check}: exit 0 GO, 1 NO_GO, 2 usage or error; text and JSON output. */
class CheckCommandTest {
  static final String CONFIG = """
      environments:
        staging: {probes: {pass: {}, warn: {}}}
        production: {probes: {pass: {}, fail: {}}}
      """;
  static final ProbeRegistry REGISTRY = TestProbes.registry(TestProbes.PASS, TestProbes.WARN, TestProbes.FAIL);

  @TempDir
  Path tmp;

  int check(FixtureRepo repo, String env, List<ProbeId> probes, String format, StringWriter out) throws Exception {
    return Cli.Check.check(ServerConfigFile.parse("test", CONFIG, true), REGISTRY,
        new LocalCheck.Request(repo.dir(), "HEAD", repo.baseline(), env, probes), format, new PrintWriter(out));
  }

  @Test
  void goExitsZeroAndPrintsAReadableTable() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1").deployed().commit("a.txt", "2");
    StringWriter out = new StringWriter();
    assertEquals(0, check(repo, "staging", List.of(), "text", out));
    String text = out.toString();
    assertTrue(text.contains("VERDICT: GO"), text);
    assertTrue(text.contains("warn         WARN"), text);
    assertTrue(text.contains("probe warn warned"), text);
  }

  @Test
  void noGoExitsOneAndJsonHasTheApiShape() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1");
    StringWriter out = new StringWriter();
    assertEquals(1, check(repo, "production", List.of(), "json", out));
    JsonNode v = Json.mapper().readTree(out.toString());
    assertEquals("COMPLETE", v.path("status").asText());
    assertEquals("NO_GO", v.path("verdict").path("decision").asText());
    assertEquals("CLI", v.path("source").asText());
    assertEquals(repo.head(), v.path("candidate").asText(), "HEAD was resolved to the full commit id");
    assertTrue(v.path("baseline").isNull(), "no baseline: a first deploy");
  }

  @Test
  void probesCanBeNarrowed() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1");
    assertEquals(0, check(repo, "production", List.of(ProbeId.of("pass")), "text", new StringWriter()));
  }

  @Test
  void usageAndInputErrorsExitTwo() {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("a.txt", "1");
    assertEquals(2, Cli.run("check", "--repo", repo.dir().toString(), "--env", "staging"), "missing --candidate");
    assertEquals(2, Cli.run("check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--env", "nowhere"));
    assertEquals(2, Cli.run("check", "--repo", repo.dir().toString(), "--candidate", "no-such-branch", "--env", "staging"));
    assertEquals(2, Cli.run("check", "--repo", tmp.resolve("missing").toString(), "--candidate", "HEAD", "--env", "staging"));
    assertEquals(2, Cli.run("check", "--repo", repo.dir().toString(), "--candidate", "HEAD", "--env", "staging", "--format", "xml"));
    assertEquals(2, Cli.run("serve", "--role", "everything"));
    assertEquals(2, Cli.run("no-such-command"));
    assertEquals(0, Cli.run("check", "--help"));
    assertEquals(0, Cli.run("--version"));
  }

  /**
   * Issue 20 item 7: with the built-in configuration, a repository's first production deploy was always NO_GO (the
   * rollback probe warned, production's warnings block) and nobody could override it. On an ordinary working day it
   * is GO, and the report says what a first deploy means.
   */
  @Test
  void theBuiltInConfigLetsAFirstProductionDeployThrough() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("app.properties", "server.port=8080\n");
    java.time.Clock wednesday = java.time.Clock.fixed(java.time.Instant.parse("2026-12-02T10:00:00Z"), java.time.ZoneOffset.UTC);
    LocalCheck.Outcome outcome = LocalCheck.run(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(repo.dir(), "HEAD", null, "production", List.of()), wednesday);
    String text = Cli.TextReport.render(outcome.view());
    assertEquals(dev.tollgate.contracts.verdict.Decision.GO, outcome.verdict().decision(), text);
    assertTrue(text.contains("INFO rollback/no-rollback-target\n      First deploy to production"), text);
  }

  /** Issue 20 item 15: a finding without a file printed a blank location (a trailing space after the rule id). */
  @Test
  void aFindingWithoutAFilePrintsNoLocation() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp).commit("app.properties", "x=1\n");
    LocalCheck.Outcome outcome = LocalCheck.run(ServerConfigFile.load(null), ProbeRegistry.production(),
        new LocalCheck.Request(repo.dir(), "HEAD", null, "staging", List.of(ProbeId.ROLLBACK)), java.time.Clock.systemUTC());
    String text = Cli.TextReport.render(outcome.view());
    assertTrue(text.lines().noneMatch(l -> l.endsWith(" ")), "no line ends in a blank:\n" + text);
  }
}
