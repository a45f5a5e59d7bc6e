package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.Attacks;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository author attacks what the probes see, end to end (a real worker, a real broker, real repositories): the
 * candidate's {@code .tollgate.yml} exempts the key and the DROP it ships in the same range; a key hides behind a NUL
 * or in UTF-16. Each is a NO_GO naming what it found; a policy change deployed on its own is a GO and applies from the
 * next range on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepositoryAuthorIT {
  @TempDir
  static Path tmp;
  TestInstallation tollgate;

  @BeforeAll
  void start() throws Exception {
    tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"), ProbeRegistry.production(), """
        tenants: [acme]
        environments:
          production: {}
        """);
    tollgate.startGate();
    tollgate.startWorker("w1");
  }

  @AfterAll
  void stop() {
    tollgate.close();
  }

  JsonNode evaluate(FixtureRepo repo) {
    Api.Response r = tollgate.api(TestInstallation.REQUESTER).evaluate("{\"repository\":\"" + repo.dir()
        + "\",\"environment\":\"production\",\"candidate\":\"" + repo.head() + "\""
        + (repo.baseline() == null ? "" : ",\"baseline\":\"" + repo.baseline() + "\"")
        + ",\"probes\":[\"secrets\",\"migrations\",\"rollback\"]}", 60);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String decision(JsonNode v) {
    return v.path("verdict").path("decision").asText();
  }

  static List<String> blocking(JsonNode v) {
    List<String> out = new ArrayList<>();
    v.path("probes").forEach(p -> p.path("findings").forEach(f -> {
      if (f.path("severity").asText().equals("BLOCK")) {
        out.add(f.path("ruleId").asText() + " " + f.path("file").asText(""));
      }
    }));
    return out;
  }

  /** Evaluates the head (a GO), records its deploy and waits until the gate trusts it as the next baseline. */
  FixtureRepo released(FixtureRepo repo) throws InterruptedException {
    assertEquals("GO", decision(evaluate(repo)), "the release itself is clean");
    Api.Response ok = tollgate.api(TestInstallation.REQUESTER).post("/api/v1/deployments", "{\"repository\":\""
        + repo.dir() + "\",\"environment\":\"production\",\"commit\":\"" + repo.head() + "\",\"status\":\"succeeded\"}");
    assertTrue(ok.status() < 300, ok.body());
    for (int i = 0; i < 400 && !tollgate.gate().views().lastDeployed("acme", repo.dir().toString(), "production")
        .orElse("").equals(repo.head()); i++) {
      Thread.sleep(25); // the deploy record reaches the gate's views through Kafka
    }
    return repo.deployed();
  }

  @Test
  void aPolicyThatExemptsWhatTheSameRangeShipsIsANoGo() throws Exception {
    String key = Attacks.awsKeyId(33);
    FixtureRepo repo = released(FixtureRepo.create(tmp.resolve("loosen"))
        .commit("db/migration/V1__init.sql", "CREATE TABLE users (id bigint, email text);\n"));
    repo.commit(Map.of(".tollgate.yml", Attacks.policyExempting("db/"),
        "db/prod.env", "AWS_ACCESS_KEY_ID=" + key + "\n",
        "db/migration/V2__drop.sql", "DROP TABLE users;\n"), "move settings");
    JsonNode v = evaluate(repo);
    assertEquals("NO_GO", decision(v), v.toString());
    List<String> found = blocking(v);
    assertTrue(found.contains("secrets/aws-access-key-id db/prod.env"), found.toString());
    assertTrue(found.contains("migration/drop-table db/migration/V2__drop.sql"), found.toString());
    assertTrue(v.toString().contains("judged by the repository policy at the baseline"), v.toString());
    assertFalse(v.toString().contains(key), "the key never shows");
  }

  @Test
  void aKeyBehindANulOrInUtf16IsANoGo() throws Exception {
    String key = Attacks.awsKeyId(34);
    FixtureRepo repo = released(FixtureRepo.create(tmp.resolve("hidden")).commit("README.md", "# shop\n"));
    repo.commitBytes("config/prod.env", Attacks.behindNul("AWS_ACCESS_KEY_ID=" + key + "\n"))
        .commitBytes("config/win.env", Attacks.utf16("AWS_ACCESS_KEY_ID=" + key + "\r\n"))
        .commitBytes("config/bom.env", Attacks.bomThen("\nAWS_ACCESS_KEY_ID=" + key + "\n"));
    JsonNode v = evaluate(repo);
    assertEquals("NO_GO", decision(v), v.toString());
    assertEquals(List.of("secrets/aws-access-key-id config/bom.env", "secrets/aws-access-key-id config/prod.env",
        "secrets/aws-access-key-id config/win.env"),
        blocking(v).stream().sorted().toList(), v.toString());
    assertFalse(v.toString().contains(key), "the key never shows");
  }

  @Test
  void aPolicyChangeDeployedOnItsOwnIsAGoAndAppliesToTheNextRange() throws Exception {
    FixtureRepo repo = released(FixtureRepo.create(tmp.resolve("happy")).commit("README.md", "# shop\n"));
    repo.commit(".tollgate.yml", "secrets: {allowPaths: [\"fixtures/**\"]}\n");
    released(repo).commit("fixtures/aws.env", "AWS_ACCESS_KEY_ID=" + Attacks.awsKeyId(35) + "\n");
    JsonNode v = evaluate(repo);
    assertEquals("GO", decision(v), v.toString());
  }

  @Test
  void aSpringBootChangelogThatIncludesFromTheClasspathIsAGo() throws Exception {
    // The common layout: the master changelog includes classpath:db/changelog/... files of the same repository.
    String master = "src/main/resources/db/changelog/db.changelog-master.xml";
    String head = "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n";
    FixtureRepo repo = released(FixtureRepo.create(tmp.resolve("spring")).commit(master, head
        + "  <changeSet id=\"1\" author=\"dev\"><createTable tableName=\"users\"><column name=\"id\" type=\"bigint\"/>"
        + "</createTable></changeSet>\n</databaseChangeLog>\n"));
    repo.commit(Map.of(master, head + "  <changeSet id=\"1\" author=\"dev\"><createTable tableName=\"users\"><column "
        + "name=\"id\" type=\"bigint\"/></createTable></changeSet>\n"
        + "  <include file=\"classpath:db/changelog/changes/002-orders.xml\"/>\n</databaseChangeLog>\n",
        "src/main/resources/db/changelog/changes/002-orders.xml", head + "  <changeSet id=\"2\" author=\"dev\">"
        + "<createTable tableName=\"orders\"><column name=\"id\" type=\"bigint\"/></createTable></changeSet>\n"
        + "</databaseChangeLog>\n"), "orders");
    JsonNode v = evaluate(repo);
    assertEquals("GO", decision(v), v.toString());
  }
}
