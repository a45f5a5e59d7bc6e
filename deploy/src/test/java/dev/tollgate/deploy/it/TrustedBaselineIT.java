package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.audit.AuditKind;
import dev.tollgate.contracts.audit.AuditRecorded;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #19, item 3: the baseline is the gate's, not the requester's. The review got a GO for a commit that adds a
 * credential by asking for {@code baseline == candidate} (every probe: "no findings"), and by recording a deploy of a
 * never-evaluated commit through {@code POST /api/v1/deployments}, which became the next baseline. Now a baseline counts
 * only when Tollgate decided GO or OVERRIDDEN for it in that environment; otherwise the range starts at the last deploy
 * it did (or the whole tree), and the verdict says so; a deploy recorded without a GO is a {@code GATE_BYPASSED} audit
 * record and never a baseline; and a baseline the candidate does not descend from blocks, except for a rollback to a
 * commit decided GO there. The real secrets probe on real git repositories, a real broker, gate, worker and HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustedBaselineIT {
  static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  @TempDir
  static Path tmp;
  TestInstallation tollgate;

  @BeforeAll
  void start() throws Exception {
    String config = """
        tenants: [acme]
        environments:
          production: {probes: {secrets: {}}}
        """;
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), config);
    tollgate.startGate();
    tollgate.startWorker("w1");
  }

  @AfterAll
  void stop() {
    tollgate.close();
  }

  /** A GitHub token made at test time (never in the sources: the repository stays clean for its own scanner). */
  static String token() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder("ghp" + "_");
    for (int i = 0; i < 36; i++) {
      b.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return b.toString();
  }

  JsonNode evaluate(FixtureRepo repo, String candidate, String baseline) {
    Api.Response r = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"production\",\"candidate\":\"" + candidate + "\""
        + (baseline == null ? "" : ",\"baseline\":\"" + baseline + "\"") + "}", 60);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String decision(JsonNode v) {
    return v.path("verdict").path("decision").asText();
  }

  Api.Response deployed(FixtureRepo repo, String commit) {
    return tollgate.api(TestInstallation.REQUESTER).post("/api/v1/deployments", "{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"production\",\"commit\":\"" + commit + "\",\"status\":\"succeeded\"}");
  }

  void awaitLastDeployed(FixtureRepo repo, String commit) throws InterruptedException {
    for (int i = 0; i < 200 && !tollgate.gate().views().lastDeployed("acme", repo.dir().toString(), "production").orElse("")
        .equals(commit); i++) {
      Thread.sleep(25);
    }
  }

  @Test
  void baselineEqualToACandidateThatAddsAKeyIsCheckedFromTheLastTrustedBaseline() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("same")).commit("README.md", "# shop\n");
    String clean = repo.head();
    assertEquals("GO", decision(evaluate(repo, clean, null)), "a first deploy of a clean tree");
    String leaky = repo.commit("app.env", "GITHUB_TOKEN=" + token() + "\n").head();

    JsonNode attack = evaluate(repo, leaky, leaky);
    assertEquals("NO_GO", decision(attack), "the review's GO: " + attack);
    assertTrue(attack.path("baseline").isNull(), "nothing deployed: checked as a first deploy, " + attack.path("baseline"));
    assertEquals(leaky, attack.path("untrustedBaseline").asText());
    assertTrue(attack.path("verdict").path("reasons").toString().contains("baseline " + leaky.substring(0, 12) + " is not trusted"),
        attack.path("verdict").toString());
    assertTrue(attack.toString().contains("secrets/github-pat"), "the key is found: " + attack);

    // The happy path beside it: a re-check of a commit that passed here is the no-op it asks for.
    JsonNode recheck = evaluate(repo, clean, clean);
    assertEquals("GO", decision(recheck), recheck.toString());
    assertEquals(clean, recheck.path("baseline").asText());
    assertTrue(recheck.path("untrustedBaseline").isNull());
    assertEquals(0, recheck.path("verdict").path("reasons").size(), recheck.toString());
  }

  @Test
  void aDeployRecordedWithoutAGoIsABypassAndNeverTheNextBaseline() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("recorded")).commit("README.md", "# shop\n");
    String released = repo.head();
    assertEquals("GO", decision(evaluate(repo, released, null)));
    Api.Response ok = deployed(repo, released);
    assertEquals(202, ok.status(), ok.body());
    assertFalse(ok.json().path("bypass").asBoolean(), "a deploy of a GO: not a bypass");
    awaitLastDeployed(repo, released);

    String leaky = repo.commit("app.env", "GITHUB_TOKEN=" + token() + "\n").head();
    Api.Response unchecked = deployed(repo, leaky);
    assertEquals(202, unchecked.status(), unchecked.body());
    assertTrue(unchecked.json().path("bypass").asBoolean(), "never evaluated: " + unchecked.body());
    awaitLastDeployed(repo, leaky);
    String next = repo.commit("README.md", "# shop\n\nnothing to see here\n").head();

    JsonNode v = evaluate(repo, next, null);
    assertEquals("NO_GO", decision(v), "the review's GO: the recorded commit became the baseline. " + v);
    assertEquals(released, v.path("baseline").asText(), "checked from the last deploy Tollgate decided GO for");
    assertEquals(leaky, v.path("untrustedBaseline").asText());
    assertTrue(v.toString().contains("secrets/github-pat"), v.toString());
    JsonNode asked = evaluate(repo, next, leaky);
    assertEquals("NO_GO", decision(asked), "asking for it by name does not help: " + asked);
    assertEquals(released, asked.path("baseline").asText());

    List<AuditRecorded> audit = List.of();
    for (int i = 0; i < 200 && audit.isEmpty(); i++) {
      audit = tollgate.gate().views().audit().list(a -> a.kind() == AuditKind.GATE_BYPASSED && leaky.equals(a.commit()), 10);
      Thread.sleep(25);
    }
    assertEquals(1, audit.size(), String.valueOf(audit));
    assertEquals("ci", audit.get(0).actor(), "the token that recorded it");
    assertTrue(audit.get(0).detail().contains("never GO or OVERRIDDEN"), audit.get(0).detail());
    assertTrue(tollgate.gate().views().audit().list(a -> a.kind() == AuditKind.GATE_BYPASSED && released.equals(a.commit()), 10)
        .isEmpty(), "the deploy of the GO is not");
  }

  @Test
  void aBaselineTheCandidateDoesNotDescendFromBlocksUnlessItIsARollbackToAGoCommit() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("branches")).commit("README.md", "# shop\n");
    String root = repo.head();
    assertEquals("GO", decision(evaluate(repo, root, null)));
    try (Git git = Git.open(repo.dir().toFile())) {
      git.checkout().setCreateBranch(true).setName("hotfix").setStartPoint(root).call();
    }
    String hotfix = repo.commit("fix.txt", "hotfix\n").head();
    assertEquals("GO", decision(evaluate(repo, hotfix, root)));
    assertFalse(deployed(repo, hotfix).json().path("bypass").asBoolean());
    awaitLastDeployed(repo, hotfix);
    try (Git git = Git.open(repo.dir().toFile())) {
      git.checkout().setName("main").call();
    }
    String mainline = repo.commit("feature.txt", "feature\n").head();

    JsonNode v = evaluate(repo, mainline, hotfix);
    assertEquals("NO_GO", decision(v), v.toString());
    assertEquals(hotfix, v.path("baseline").asText(), "a trusted baseline, but not an ancestor of the candidate");
    JsonNode finding = v.path("probes").get(0).path("findings").get(0);
    assertEquals("range/baseline-not-ancestor", finding.path("ruleId").asText(), v.toString());
    assertEquals("BLOCK", finding.path("severity").asText());
    assertTrue(finding.path("message").asText().contains(hotfix) && finding.path("message").asText().contains(mainline),
        finding.toString());

    // The happy path beside it: rolling back to a commit decided GO here is allowed, though it is older.
    JsonNode rollback = evaluate(repo, root, hotfix);
    assertEquals("GO", decision(rollback), rollback.toString());
    assertFalse(rollback.toString().contains("range/baseline-not-ancestor"), rollback.toString());
  }
}
