package dev.tollgate.probes.repo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded on-disk cache of bare mirrors of remote repositories. The index is a Caffeine cache weighed by
 * each mirror's size on disk; evicting an entry deletes its directory. A mirror is fetched when a commit a
 * check needs is missing, never on a timer. One lock per repository serializes clone, fetch and delete.
 *
 * <p>Outbound fetches follow no HTTP redirect ({@code http.followRedirects=false} in every mirror's configuration):
 * the allow list and the internal-address check judged the URL asked for, and a redirect would send the request
 * (and, for a private repository, its credentials) to a host nobody checked. Errors are reported as a fixed
 * classification ({@link #classify}), never the remote's text: a page an allowed host serves, or redirects to, must
 * not come back in every probe's reason.
 */
public final class MirrorCache {
  private static final Logger log = LoggerFactory.getLogger(MirrorCache.class);
  private static final long MB = 1 << 20;

  private final Path root;
  private final Duration fetchTimeout;
  private final Cache<String, Long> index;
  private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param root directory holding the mirrors ({@code <hash>.git})
   * @param maxBytes total size the mirrors may take; the least recently used are deleted beyond it
   */
  public MirrorCache(Path root, long maxBytes, Duration fetchTimeout, Ticker ticker, MeterRegistry meters) {
    this.root = root;
    this.fetchTimeout = fetchTimeout;
    long maxWeightMb = Math.max(1, maxBytes / MB);
    this.index = Caffeine.newBuilder()
        .maximumWeight(maxWeightMb)
        .weigher((String key, Long bytes) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes / MB)))
        .removalListener((String key, Long bytes, RemovalCause cause) -> {
          if (key != null && cause.wasEvicted()) {
            delete(key);
          }
        })
        .ticker(ticker)
        .recordStats()
        .build();
    CaffeineCacheMetrics.monitor(meters, index, "tollgate.repo.mirrors");
    try {
      Files.createDirectories(root);
      try (Stream<Path> dirs = Files.list(root)) {
        dirs.filter(d -> d.getFileName().toString().endsWith(".git"))
            .forEach(d -> index.put(d.getFileName().toString(), sizeOf(d)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use mirror directory " + root, e);
    }
  }

  /**
   * Opens the mirror of {@code url}, cloning or fetching so that every commit in {@code needed} is present.
   * The caller owns the returned repository and must close it.
   *
   * @throws RepoAccessException when the remote cannot be reached or lacks a needed commit
   */
  public Repository open(String url, String identity, String... needed) {
    return open(url, identity, null, needed);
  }

  /**
   * Opens the mirror of {@code url} like {@link #open(String, String, String...)}, authenticating clone and fetch
   * with {@code credentials} (HTTP basic, through JGit's credentials provider: the URL stored in the mirror never
   * carries them). Callers give a mirror read with credentials an identity of its own (per tenant), so a private
   * mirror is never served to a caller without those credentials.
   *
   * @param credentials null for anonymous access
   */
  public Repository open(String url, String identity, GitCredentials.Credentials credentials, String... needed) {
    String key = keyOf(identity);
    Path dir = root.resolve(key);
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      try {
        if (!Files.isDirectory(dir)) {
          cloneMirror(url, dir, credentials);
          OpenRepositories.forget(dir.toFile());
          index.put(key, sizeOf(dir));
        } else if (!hasAll(dir, needed)) {
          fetch(url, dir, credentials);
          OpenRepositories.forget(dir.toFile()); // new packs: read from a fresh pack list
          index.put(key, sizeOf(dir));
        } else if (index.getIfPresent(key) == null) {
          index.put(key, sizeOf(dir)); // a mirror from before this process: sized once, not on every open
        }
        return OpenRepositories.open(dir.toFile());
      } catch (IOException e) {
        throw new RepoAccessException("cannot open mirror of " + identity + ": " + e.getMessage(), e);
      }
    }
  }

  /** Number of mirrors in the index (tests, metrics). */
  public long size() {
    index.cleanUp();
    return index.estimatedSize();
  }

  private void cloneMirror(String url, Path dir, GitCredentials.Credentials credentials) {
    long started = System.nanoTime();
    Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
    deleteTree(partial);
    // A mirror clone is an empty bare repository and one fetch of every ref: done in two steps so the configuration
    // that refuses redirects is in place before the first request (CloneCommand would fetch before we could set it).
    try (Git git = Git.init().setBare(true).setDirectory(partial.toFile()).call()) {
      refuseRedirects(git.getRepository());
      git.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/*:refs/*"))
          .setCredentialsProvider(provider(credentials)).setTimeout((int) fetchTimeout.toSeconds()).call();
    } catch (GitAPIException | IOException | RuntimeException e) {
      deleteTree(partial);
      throw new RepoAccessException("cannot clone repository: " + classify(e), e);
    }
    try {
      Files.move(partial, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.atInfo().addKeyValue("event", "repo.mirror.cloned").addKeyValue("mirror", dir.getFileName().toString())
        .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000).log("mirror cloned");
  }

  private void fetch(String url, Path dir, GitCredentials.Credentials credentials) throws IOException {
    long started = System.nanoTime();
    try (Git git = Git.open(dir.toFile())) {
      refuseRedirects(git.getRepository()); // mirrors cloned before redirects were refused
      git.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/*:refs/*")).setRemoveDeletedRefs(true)
          .setCredentialsProvider(provider(credentials)).setTimeout((int) fetchTimeout.toSeconds()).call();
    } catch (GitAPIException | RuntimeException e) {
      throw new RepoAccessException("cannot fetch repository: " + classify(e), e);
    }
    log.atInfo().addKeyValue("event", "repo.mirror.fetched").addKeyValue("mirror", dir.getFileName().toString())
        .addKeyValue("durationMs", (System.nanoTime() - started) / 1_000_000).log("mirror fetched");
  }

  /** JGit asks the provider only when the server demands authentication (401), so public remotes never see it. */
  private static UsernamePasswordCredentialsProvider provider(GitCredentials.Credentials credentials) {
    return credentials == null ? null : new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password());
  }

  private static boolean hasAll(Path dir, String... ids) throws IOException {
    try (Repository repo = OpenRepositories.open(dir.toFile())) {
      for (String id : ids) {
        if (id != null && !repo.getObjectDatabase().has(ObjectId.fromString(id))) {
          return false;
        }
      }
      return true;
    }
  }

  private void delete(String key) {
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      OpenRepositories.forget(root.resolve(key).toFile());
      deleteTree(root.resolve(key));
      log.atInfo().addKeyValue("event", "repo.mirror.evicted").addKeyValue("mirror", key).log("mirror evicted");
    }
  }

  static String keyOf(String identity) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12) + ".git";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets {@code http.followRedirects=false} in the mirror's configuration, which JGit's HTTP transport reads. */
  static void refuseRedirects(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    if (!"false".equals(config.getString("http", null, "followRedirects"))) {
      config.setString("http", null, "followRedirects", "false");
      config.save();
    }
  }

  /**
   * What went wrong, in our words only. The exceptions' own texts are not used: JGit puts what the remote answered
   * into them (the first line of a page that is not a git advertisement, a server's error body), and that text is
   * the remote's, possibly an internal page it redirected to.
   */
  static String classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("No space left on device")) {
        // Our own disk, not the remote's words: operators need to know it is the mirror volume.
        return "the worker's disk is full (No space left on device): free the mirror volume or lower worker.maxMirrorBytes";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "the host cannot be resolved";
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
        return "the host refused the connection or cannot be reached";
      }
      if (t instanceof java.net.SocketTimeoutException || t instanceof java.io.InterruptedIOException) {
        return "the host did not answer in time (worker.fetchTimeout)";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return "the TLS connection failed (certificate or protocol)";
      }
      if (t instanceof org.eclipse.jgit.errors.NoRemoteRepositoryException) {
        return "the repository was not found (or the credentials may not read it)";
      }
      if (t instanceof org.eclipse.jgit.errors.TransportException) {
        String m = String.valueOf(t.getMessage());
        if (m.contains("followRedirects") || m.contains("edirect")) {
          return "the host answered with a redirect, which is refused (a moved or renamed repository: use its current URL)";
        }
        if (m.contains("not authorized") || m.contains("Authentication is required") || m.contains("401")
            || m.contains("403")) {
          return "the host refused the credentials (not authorized)";
        }
        if (m.contains("not found") || m.contains("404")) {
          return "the repository was not found (or the credentials may not read it)";
        }
      }
    }
    return "the transfer failed (" + (e instanceof GitAPIException || e instanceof org.eclipse.jgit.errors.TransportException
        ? "transport error" : e.getClass().getSimpleName()) + ")";
  }
}
