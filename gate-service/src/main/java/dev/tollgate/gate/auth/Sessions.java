package dev.tollgate.gate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dashboard sign-in sessions, held on the server (the cookie carries only a random id). Bounded per principal: a
 * principal's new session beyond {@code maxPerPrincipal} ends that principal's oldest, never anyone else's, so one
 * token signing in over and over cannot sign everybody out. A session ends after {@code idle} without use or
 * {@code lifetime} after sign-in, whichever comes first, or at sign out. The token the user signed in with is never
 * kept: the session holds the principal it stood for.
 *
 * <p>Sessions live in this gate's memory: behind a load balancer with several gates, route a browser to one gate
 * (sticky sessions), or it signs in again.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cache<String, Session> sessions;
  private final Ticker ticker;
  private final Duration lifetime;
  private final int maxPerPrincipal;
  /** Each principal's live session ids, oldest first; guarded by {@code this}. */
  private final Map<String, Deque<String>> byPrincipal = new HashMap<>();

  /**
   * One signed-in browser.
   *
   * @param id the cookie value (256 random bits)
   * @param csrfToken sent back by the page in {@code X-CSRF-Token} with every state-changing request
   * @param createdNanos the ticker's time at sign-in
   */
  public record Session(String id, Principal principal, String csrfToken, long createdNanos) {
    /** True when {@code presented} is this session's CSRF token (constant-time comparison). */
    public boolean csrfMatches(String presented) {
      return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.UTF_8),
          presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Session[principal=" + principal.name() + "]"; // never the id or the CSRF token
    }
  }

  /**
   * @param maxPerPrincipal at most this many sessions per principal; its oldest ends when it signs in once more
   * @param maxSessions at most this many sessions in all, a backstop above {@code maxPerPrincipal} times the number of
   *     principals (beyond it the least recently used go first)
   * @param idle a session unused this long ends
   * @param lifetime a session ends this long after sign-in, used or not
   */
  public Sessions(int maxPerPrincipal, int maxSessions, Duration idle, Duration lifetime, Ticker ticker, MeterRegistry meters) {
    if (maxPerPrincipal < 1 || maxSessions < maxPerPrincipal) {
      throw new IllegalArgumentException("expected 1 <= maxPerPrincipal <= maxSessions, got " + maxPerPrincipal + ", "
          + maxSessions);
    }
    this.maxPerPrincipal = maxPerPrincipal;
    if (idle.isNegative() || idle.isZero() || lifetime.compareTo(idle) < 0) {
      throw new IllegalArgumentException("expected 0 < idle <= lifetime, got idle " + idle + ", lifetime " + lifetime);
    }
    this.ticker = ticker;
    this.lifetime = lifetime;
    long idleNanos = idle.toNanos();
    this.sessions = Caffeine.newBuilder()
        .maximumSize(maxSessions)
        .ticker(ticker)
        .expireAfter(new Expiry<String, Session>() {
          @Override
          public long expireAfterCreate(String key, Session s, long now) {
            return Math.min(idleNanos, remaining(s, now));
          }

          @Override
          public long expireAfterUpdate(String key, Session s, long now, long current) {
            return current;
          }

          @Override
          public long expireAfterRead(String key, Session s, long now, long current) {
            // Each use extends the idle time, never past the absolute lifetime.
            return Math.min(idleNanos, remaining(s, now));
          }
        })
        // Synchronous, so a principal's list forgets a session as soon as it ends (expired, evicted, signed out).
        .executor(Runnable::run)
        .removalListener((String id, Session s, RemovalCause cause) -> {
          if (s != null) {
            forget(s.principal().name(), id);
          }
        })
        .recordStats()
        .build();
    CaffeineCacheMetrics.monitor(meters, sessions, "tollgate.dashboard.sessions");
  }

  private long remaining(Session s, long now) {
    return Math.max(0, s.createdNanos() + lifetime.toNanos() - now);
  }

  /** Starts a session for {@code principal}, ending its oldest beyond {@code maxPerPrincipal}. */
  public Session create(Principal principal) {
    Session s = new Session(random(), principal, random(), ticker.read());
    List<String> ended = new ArrayList<>();
    synchronized (this) {
      Deque<String> own = byPrincipal.computeIfAbsent(principal.name(), k -> new ArrayDeque<>());
      while (own.size() >= maxPerPrincipal) {
        ended.add(own.pollFirst());
      }
      own.addLast(s.id());
    }
    ended.forEach(sessions::invalidate);
    sessions.put(s.id(), s);
    return s;
  }

  private synchronized void forget(String principal, String id) {
    Deque<String> own = byPrincipal.get(principal);
    if (own != null && own.remove(id) && own.isEmpty()) {
      byPrincipal.remove(principal);
    }
  }

  /** Live sessions of {@code principal} (tests, metrics). */
  public int sessionsOf(String principal) {
    sessions.cleanUp();
    synchronized (this) {
      Deque<String> own = byPrincipal.get(principal);
      return own == null ? 0 : own.size();
    }
  }

  /** The live session with this id, if any (a use: it extends the idle time). */
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    return Optional.ofNullable(sessions.getIfPresent(id));
  }

  /** True while the session lives; unlike {@link #find} not a use (an open live stream does not keep it alive). */
  public boolean isLive(String id) {
    return id != null && sessions.policy().getIfPresentQuietly(id) != null;
  }

  /** Ends a session (sign out). */
  public void invalidate(String id) {
    if (id != null) {
      sessions.invalidate(id);
    }
  }

  /** Live sessions, approximately (tests, metrics). */
  public long size() {
    sessions.cleanUp();
    return sessions.estimatedSize();
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
