package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 6, end to end: with {@code localRoots}, a path under a root that leads elsewhere — a symbolic link,
 * a {@code .git} file's {@code gitdir:} — is a 400 naming the escape, and a path swapped for a link after the gate
 * accepted it is refused by the worker (NO_GO with the reason). A plain repository under the root gets its verdict.
 */
class LocalRootsIT {
  @TempDir
  Path tmp;

  @Test
  void escapesAreRefusedByTheGateAndByTheWorkerAndAPlainRepositoryPasses() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("repos"));
    FixtureRepo secret = FixtureRepo.create(tmp.resolve("elsewhere/payroll")).commit("salaries.csv", "alice,1\n");
    String config = """
        tenants: [acme]
        repositories: {allowLocalPaths: true, localRoots: ["%s"]}
        environments:
          production: {probes: {pass: {deadline: 60s}}}
        """.formatted(root);
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config)) {
      tollgate.startGate();
      Api api = tollgate.api();

      Path link = Files.createSymbolicLink(root.resolve("link"), secret.dir());
      Api.Response viaLink = api.post("/api/v1/evaluations", body(link, secret.head()));
      assertEquals(400, viaLink.status(), viaLink.body());
      assertEquals("local path leads outside repositories.localRoots (through a symbolic link)",
          viaLink.json().path("detail").asText(), viaLink.body());

      Path gitFile = Files.createDirectories(root.resolve("gitfile"));
      Files.writeString(gitFile.resolve(".git"), "gitdir: " + secret.dir().resolve(".git") + "\n");
      Api.Response viaGitFile = api.post("/api/v1/evaluations", body(gitFile, secret.head()));
      assertEquals(400, viaGitFile.status(), viaGitFile.body());
      assertTrue(viaGitFile.json().path("detail").asText().contains("git directory"), viaGitFile.body());

      // Accepted while plain, swapped for a link before any worker opens it: the worker checks again.
      FixtureRepo shop = FixtureRepo.create(root.resolve("shop")).commit("a.txt", "1\n");
      Api.Response accepted = api.post("/api/v1/evaluations", body(shop.dir(), secret.head()));
      assertEquals(202, accepted.status(), accepted.body());
      Files.move(shop.dir(), tmp.resolve("moved"));
      Files.createSymbolicLink(shop.dir(), secret.dir());
      tollgate.startWorker("w1");
      JsonNode v = api.get("/api/v1/evaluations/" + accepted.json().path("id").asText() + "?waitSeconds=60").json();
      assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
      assertEquals("repository not allowed: local path leads outside repositories.localRoots (through a symbolic link)",
          v.path("probes").get(0).path("reason").asText(), v.toString());

      // Happy path: a plain repository under the root.
      FixtureRepo plain = FixtureRepo.create(root.resolve("plain")).commit("a.txt", "1\n");
      JsonNode ok = api.evaluate(body(plain.dir(), plain.head()), 60).json();
      assertEquals("GO", ok.path("verdict").path("decision").asText(), ok.toString());
    }
  }

  static String body(Path repo, String commit) {
    return "{\"repository\":\"" + repo + "\",\"environment\":\"production\",\"tenant\":\"acme\",\"candidate\":\"" + commit + "\"}";
  }
}
