package dev.tollgate.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.deploy.testing.GitServer;
import dev.tollgate.deploy.testing.SharedKafka;
import dev.tollgate.deploy.testing.TestInstallation;
import dev.tollgate.deploy.testing.TestProbes;
import dev.tollgate.probes.testing.FixtureRepo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 5, end to end: an allowed git host answers {@code 302} to an internal address that is not allowed,
 * whose page is a marker. The worker follows no redirect: the internal address is never asked, the probe's reason is a
 * fixed classification, and the marker is nowhere in the evaluation. Beside it, the same host serving a real
 * repository over smart HTTP gives a verdict.
 */
class RedirectSsrfIT {
  @TempDir
  Path tmp;

  @Test
  void aRedirectToAnInternalAddressIsRefusedAndItsPageNeverShows() throws Exception {
    String marker = "ami-id: INTERNAL-" + System.nanoTime();
    AtomicInteger internalHits = new AtomicInteger();
    HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    internal.createContext("/", x -> {
      internalHits.incrementAndGet();
      respond(x, 200, marker);
    });
    HttpServer allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    allowed.createContext("/", x -> {
      x.getResponseHeaders().add("Location", "http://127.0.0.1:" + internal.getAddress().getPort() + "/latest/meta-data/");
      respond(x, 302, marker);
    });
    internal.start();
    allowed.start();
    String host = "http://127.0.0.1:" + allowed.getAddress().getPort();
    try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
        TestProbes.registry(TestProbes.PASS), config(host))) {
      tollgate.startGate();
      tollgate.startWorker("w1");
      JsonNode v = tollgate.api().evaluate("{\"repository\":\"" + host + "/acme/shop.git\",\"environment\":\"production\","
          + "\"tenant\":\"acme\",\"candidate\":\"" + "ab".repeat(20) + "\"}", 60).json();
      assertEquals("NO_GO", v.path("verdict").path("decision").asText(), v.toString());
      assertEquals("cannot clone repository: the host answered with a redirect, which is refused (a moved or renamed "
          + "repository: use its current URL)", v.path("probes").get(0).path("reason").asText(), v.toString());
      assertFalse(v.toString().contains("INTERNAL-"), "the internal page never shows: " + v);
      assertEquals(0, internalHits.get(), "the internal address was never asked");
    } finally {
      allowed.stop(0);
      internal.stop(0);
    }
  }

  @Test
  void theSameHostServingARealRepositoryGivesAVerdict() throws Exception {
    FixtureRepo repo = FixtureRepo.create(tmp.resolve("shop")).commit("a.txt", "1\n");
    try (GitServer git = new GitServer((ownerRepo, user, password) -> true, Map.of())) {
      String url = git.serve("acme/shop", repo.dir(), false);
      try (TestInstallation tollgate = new TestInstallation(SharedKafka.bootstrap(), tmp.resolve("data"),
          TestProbes.registry(TestProbes.PASS), config(git.webUrl()))) {
        tollgate.startGate();
        tollgate.startWorker("w1");
        JsonNode v = tollgate.api().evaluate("{\"repository\":\"" + url + "\",\"environment\":\"production\","
            + "\"tenant\":\"acme\",\"candidate\":\"" + repo.head() + "\"}", 60).json();
        assertEquals("GO", v.path("verdict").path("decision").asText(), v.toString());
        assertTrue(git.requests().stream().anyMatch(r -> r.uri().contains("git-upload-pack")), "cloned over HTTP");
      }
    }
  }

  /** Only repositories under {@code host}/acme/ are allowed; no local paths. */
  static String config(String host) {
    return """
        tenants: [acme]
        repositories: {allowed: ["%s/acme/"], allowLocalPaths: false}
        environments:
          production: {probes: {pass: {deadline: 60s}}}
        """.formatted(host);
  }

  private static void respond(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/plain");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }
}
