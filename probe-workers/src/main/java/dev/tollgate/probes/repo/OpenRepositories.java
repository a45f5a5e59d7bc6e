package dev.tollgate.probes.repo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Repositories kept open between checks, one per git directory. Opening a repository is cheap, but its first read
 * loads the index of every pack it touches, and a mirror gains a pack with each fetch: opened anew for every check
 * (five per evaluation), reading pack indexes was half of what a worker spent on a fresh commit. An open repository
 * keeps them, and finds packs added since on its own (JGit rescans the pack directory when an object is missing).
 *
 * <p>Bounded by count and idle time; a repository evicted while a check still reads it closes when that check
 * closes it (JGit counts its users). Callers close what they get, as with any repository.
 */
final class OpenRepositories {
  private static final Cache<String, Repository> OPEN = Caffeine.newBuilder()
      .maximumSize(256)
      .expireAfterAccess(Duration.ofMinutes(10))
      .removalListener((String dir, Repository repo, RemovalCause cause) -> {
        if (repo != null) {
          repo.close(); // the cache's own use; users still reading keep it open until they close it
        }
      })
      .recordStats()
      .build();

  private OpenRepositories() {}

  /** Publishes hits and misses ({@code tollgate.repo.open}). */
  static void bindMetrics(MeterRegistry meters) {
    CaffeineCacheMetrics.monitor(meters, OPEN, "tollgate.repo.open");
  }

  /**
   * The repository at {@code gitDir}, opened once and shared; the caller closes it.
   *
   * @throws IOException when it is not a repository
   */
  static Repository open(File gitDir) throws IOException {
    try {
      Repository repo = OPEN.get(gitDir.getAbsolutePath(), dir -> {
        try {
          return new FileRepositoryBuilder().setGitDir(new File(dir)).setMustExist(true).build();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      repo.incrementOpen();
      return repo;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Forgets the repository at {@code gitDir} (a mirror fetched, recloned or deleted): the next open reads it anew. */
  static void forget(File gitDir) {
    OPEN.invalidate(gitDir.getAbsolutePath());
  }
}
