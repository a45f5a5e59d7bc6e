package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.Attacks;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 2, end to end (every real probe, a real broker): what a probe could not read completely is a NO_GO
 * with the reason, in production; in {@code staging}, whose server policy downgrades the limits, a GO whose findings
 * name the downgrade. Each attack of the review: an AWS key in a file over {@code maxFileBytes}, a migration over it
 * that ends in {@code DROP TABLE users;}, a key added and removed beyond the commit window (the window is 20 commits
 * here instead of 1,000, the same code path), an unsafe Deployment wrapped in a YAML alias bomb.
 */
class ReadLimitsIT {
  static final String CONFIG = """
      tenants: [acme]
      worker: {maxCommits: 20}
      environments:
        production: {}
        staging:
          readLimits: {fileSize: warn, commits: warn, unparseable: warn}
      """;

  @TempDir
  Path tmp;
  TestInstallation tollgate;

  @BeforeEach
  void start() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), CONFIG);
    tollgate.startGate();
    tollgate.startWorker("w1");
  }

  @AfterEach
  void stop() {
    tollgate.close();
  }

  static String awsKey() {
    return Attacks.awsKeyId(19);
  }

  JsonNode evaluate(FixtureRepo repo, String environment) {
    String body = "{\"repository\":\"" + repo.dir() + "\",\"environment\":\"" + environment + "\",\"tenant\":\"acme\","
        + "\"candidate\":\"" + repo.head() + "\"" + (repo.baseline() == null ? "" : ",\"baseline\":\"" + repo.baseline() + "\"")
        + ",\"probes\":[\"secrets\",\"migrations\",\"rollback\"]}";
    return tollgate.api().evaluate(body, 60).json();
  }

  static List<String> findings(JsonNode v, String severity) {
    List<String> out = new ArrayList<>();
    v.path("probes").forEach(p -> p.path("findings").forEach(f -> {
      if (f.path("severity").asText().equals(severity)) {
        out.add(f.path("ruleId").asText() + " " + f.path("file").asText(""));
      }
    }));
    return out;
  }

  /** A repository whose base release is recorded as the baseline; each test adds what the attack ships. */
  FixtureRepo base() {
    return FixtureRepo.create(tmp.resolve("repo")).commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint);\n")
        .deployed();
  }

  @Test
  void aKeyOverTheFileLimitAMigrationOverItAndAnAliasBombAreANoGoInProduction() {
    FixtureRepo repo = base();
    repo.commit("config/huge.properties", "aws.access.key.id=" + awsKey() + "\n" + "# padding\n".repeat(120_000));
    repo.commit("db/migration/V2__seed.sql", "-- generated\n".repeat(90_000) + "DROP TABLE users;\n");
    repo.commit("k8s/shop.yaml", Attacks.aliasBomb(Attacks.UNSAFE_DEPLOYMENT));
    JsonNode v = evaluate(repo, "production");
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals(List.of("secrets/scan-incomplete config/huge.properties", "secrets/scan-incomplete db/migration/V2__seed.sql",
        "migration/read-incomplete db/migration/V2__seed.sql", "rollback/read-incomplete db/migration/V2__seed.sql",
        "rollback/read-incomplete k8s/shop.yaml").stream().sorted().toList(),
        findings(v, "BLOCK").stream().filter(f -> f.contains("incomplete")).sorted().toList(), v.toString());
    assertFalse(v.toString().contains(awsKey()), "the key never shows");
  }

  @Test
  void theSameDeployIsAGoInStagingWhoseServerPolicyDowngradesTheLimitsAndSaysSo() {
    FixtureRepo repo = base();
    repo.commit("config/huge.properties", "aws.access.key.id=" + awsKey() + "\n" + "# padding\n".repeat(120_000));
    JsonNode v = evaluate(repo, "staging");
    assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals(List.of("secrets/scan-incomplete config/huge.properties"), findings(v, "WARN"), v.toString());
    assertTrue(v.toString().contains("downgraded to WARN for environment staging by readLimits.fileSize in the server's "
        + "tollgate.yml"), v.toString());
  }

  @Test
  void aKeyAddedAndRemovedBeyondTheCommitWindowIsANoGoAndTheHappyPathIsAGo() {
    FixtureRepo repo = base();
    repo.commit("app.env", "AWS_ACCESS_KEY_ID=" + awsKey() + "\n").delete("app.env");
    for (int i = 0; i < 21; i++) {
      repo.commit("notes.txt", "note " + i + "\n");
    }
    JsonNode v = evaluate(repo, "production");
    assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
    assertEquals(List.of("secrets/scan-incomplete "), findings(v, "BLOCK"), v.toString());
    // Happy path: a deploy within every limit is a GO.
    FixtureRepo small = FixtureRepo.create(tmp.resolve("small")).commit("README.md", "# shop\n").deployed()
        .commit("notes.txt", "a note\n");
    JsonNode ok = evaluate(small, "production");
    assertEquals("GO", ok.path("verdict").path("decision").asText(), ok.toString());
  }
}
