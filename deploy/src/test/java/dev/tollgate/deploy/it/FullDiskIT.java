package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.deploy.testing.Api;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.probes.runtime.ProbeRegistry;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the workers' repository cache: the mirror of a remote repository cannot be written, so the
 * evaluation is a NO_GO naming the probe that could not read it (never PENDING, never a GO); once there is space
 * again, the next evaluation of the same repository is decided normally, over what the failed clone left behind.
 * The full disk is real: a 1 MiB tmpfs mounted on the cache directory (needs root, as on CI; skipped otherwise).
 */
@EnabledOnOs(OS.LINUX)
class FullDiskIT {
  static final String CONFIG = """
      tenants: [acme]
      environments:
        staging: {probes: {secrets: {}}}
      repositories:
        allowed: ["%s/acme/"]
      """;

  @TempDir
  Path tmp;
  Path cache;
  boolean mounted;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    cache = Files.createDirectories(tmp.resolve("data").resolve("repos"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tollgate-full-disk", cache.toString()) == 0;
    Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", "-l", cache.toString());
    }
  }

  static int run(String... command) throws Exception {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (java.io.IOException e) {
      return -1; // no mount command
    }
  }

  @Test
  void aFullRepositoryCacheIsANoGoWithTheReasonAndSpaceBackMeansDecidedAgain() throws Exception {
    // 2 MiB that do not compress: the clone needs more than the disk has.
    Random random = new Random(42);
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("repo")).commit("README.md", "shop\n");
    for (int i = 0; i < 4; i++) {
      byte[] blob = new byte[512 * 1024];
      random.nextBytes(blob);
      repo.commitBytes("assets/blob-" + i + ".bin", blob);
    }
    try (GitServer git = new GitServer((ownerRepo, user, password) -> true, Map.of());
        TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
            ProbeRegistry.production(), CONFIG.formatted(git.webUrl()))) {
      String url = git.serve("acme/shop", repo.dir(), false);
      tollgate.startGate();
      tollgate.startWorker("w1");
      String request = "{\"repository\":\"" + url + "\",\"environment\":\"staging\",\"tenant\":\"acme\",\"candidate\":\""
          + repo.head() + "\"}";

      Api.Response full = tollgate.api().evaluate(request, 60);
      JsonNode v = full.json().path("verdict");
      assertEquals("NO_GO", v.path("decision").asText(), full.body());
      JsonNode reason = v.path("reasons").get(0);
      assertEquals("PROBE_ERRORED", reason.path("code").asText(), full.body());
      assertEquals("secrets", reason.path("probe").asText(), full.body());
      assertTrue(full.body().contains("No space left on device"), "the reason says why: " + full.body());

      assertEquals(0, run("mount", "-o", "remount,size=64m", cache.toString()), "space is back");
      Api.Response after = tollgate.api().evaluate(request, 60);
      JsonNode w = after.json().path("verdict");
      assertEquals("GO", w.path("decision").asText(), after.body());
      assertFalse(after.body().contains("PROBE_ERRORED"), after.body());
    }
  }
}
