package dev.tollgate.probes.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.tollgate.probes.testing.FixtureRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bare mirrors of a real remote (a file:// repository): clone on first use, fetch when a commit is missing. */
class MirrorCacheTest {
  @TempDir
  Path tmp;

  MirrorCache cache(long maxBytes) {
    return new MirrorCache(tmp.resolve("mirrors"), maxBytes, Duration.ofSeconds(30), Ticker.systemTicker(), new SimpleMeterRegistry());
  }

  @Test
  void clonesOnceAndFetchesOnlyWhenACommitIsMissing() throws Exception {
    FixtureRepo remote = FixtureRepo.create(tmp.resolve("remote")).commit("a.txt", "1");
    String url = remote.dir().toUri().toString();
    MirrorCache cache = cache(1L << 30);
    String first = remote.head();
    try (Repository mirror = cache.open(url, "remote", first)) {
      assertTrue(mirror.isBare());
      assertTrue(mirror.getObjectDatabase().has(ObjectId.fromString(first)));
    }
    remote.commit("a.txt", "2");
    try (Repository mirror = cache.open(url, "remote", remote.head(), first)) {
      assertTrue(mirror.getObjectDatabase().has(ObjectId.fromString(remote.head())), "fetched the new commit");
    }
    assertEquals(1, cache.size());
    // A new cache over the same directory finds the mirror again (the index survives a restart).
    assertEquals(1, cache(1L << 30).size());
  }

  @Test
  void anUnreachableRemoteOrAMissingCommitIsARepoAccessError() {
    MirrorCache cache = cache(1L << 30);
    assertThrows(RepoAccessException.class, () -> cache.open(tmp.resolve("nowhere").toUri().toString(), "nowhere",
        "0123456789abcdef0123456789abcdef01234567"));
    assertTrue(Files.notExists(tmp.resolve("mirrors").resolve(MirrorCache.keyOf("nowhere"))), "no half-cloned mirror left");
  }

  /**
   * SSRF through a redirect: an allowed host answers 302 to an internal address whose page is a marker. The clone
   * fails with a fixed reason, the internal address is never asked, and the marker appears nowhere.
   */
  @Test
  void flagsARedirectAndNeverFollowsItNorEchoesTheRemotesText() throws Exception {
    String marker = "INTERNAL-METADATA-" + System.nanoTime();
    AtomicInteger internalHits = new AtomicInteger();
    HttpServer internal = server();
    internal.createContext("/", x -> {
      internalHits.incrementAndGet();
      respond(x, 200, marker);
    });
    HttpServer allowed = server();
    allowed.createContext("/", x -> {
      x.getResponseHeaders().add("Location", "http://127.0.0.1:" + internal.getAddress().getPort() + "/latest/meta-data"
          + x.getRequestURI().getPath());
      respond(x, 302, marker);
    });
    internal.start();
    allowed.start();
    try {
      String url = "http://127.0.0.1:" + allowed.getAddress().getPort() + "/acme/shop.git";
      RepoAccessException e = assertThrows(RepoAccessException.class,
          () -> cache(1L << 30).open(url, "shop", "0123456789abcdef0123456789abcdef01234567"));
      assertEquals("cannot clone repository: the host answered with a redirect, which is refused (a moved or renamed "
          + "repository: use its current URL)", e.getMessage());
      assertEquals(0, internalHits.get(), "the redirect target was never requested");
      assertTrue(!String.valueOf(e.getMessage()).contains(marker));
    } finally {
      allowed.stop(0);
      internal.stop(0);
    }
  }

  /** A remote answering with a page that is not git: the reason is a classification, not the page. */
  @Test
  void flagsANonGitAnswerWithoutItsText() throws Exception {
    String marker = "SERVER-SAYS-" + System.nanoTime();
    HttpServer host = server();
    host.createContext("/", x -> respond(x, 500, marker));
    host.start();
    try {
      String url = "http://127.0.0.1:" + host.getAddress().getPort() + "/acme/shop.git";
      RepoAccessException e = assertThrows(RepoAccessException.class,
          () -> cache(1L << 30).open(url, "shop", "0123456789abcdef0123456789abcdef01234567"));
      assertTrue(e.getMessage().startsWith("cannot clone repository: "), e.getMessage());
      assertTrue(!e.getMessage().contains(marker), e.getMessage());
      assertTrue(!e.getMessage().contains("127.0.0.1"), "no URL either: " + e.getMessage());
    } finally {
      host.stop(0);
    }
  }

  /** The setting that refuses redirects is in every mirror, also in one cloned before it existed. */
  @Test
  void passesAPlainCloneAndEveryMirrorRefusesRedirects() throws Exception {
    FixtureRepo remote = FixtureRepo.create(tmp.resolve("remote")).commit("a.txt", "1");
    MirrorCache cache = cache(1L << 30);
    try (Repository mirror = cache.open(remote.dir().toUri().toString(), "remote", remote.head())) {
      assertEquals("false", mirror.getConfig().getString("http", null, "followRedirects"));
    }
  }

  private static HttpServer server() throws java.io.IOException {
    return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
  }

  private static void respond(com.sun.net.httpserver.HttpExchange x, int status, String body) throws java.io.IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "text/plain");
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
    x.close();
  }

  @Test
  void theLeastRecentlyUsedMirrorIsDeletedBeyondTheSizeBound() throws Exception {
    MirrorCache cache = cache(1); // 1 MB: each mirror weighs at least 1
    FixtureRepo one = FixtureRepo.create(tmp.resolve("one")).commit("a", "1");
    FixtureRepo two = FixtureRepo.create(tmp.resolve("two")).commit("b", "2");
    cache.open(one.dir().toUri().toString(), "one", one.head()).close();
    cache.open(two.dir().toUri().toString(), "two", two.head()).close();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (cache.size() > 1 && System.nanoTime() < deadline) {
      Thread.sleep(10); // Caffeine evicts asynchronously on its executor
    }
    assertEquals(1, cache.size());
  }
}
