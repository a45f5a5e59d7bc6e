package dev.tollgate.gate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Dashboard sign-in sessions, held on the server (the cookie carries only a random id). Bounded in number; a
 * session ends after {@code idle} without use or {@code lifetime} after sign-in, whichever comes first, or at sign
 * out. The token the user signed in with is never kept: the session holds the principal it stood for.
 *
 * <p>Sessions live in this gate's memory: behind a load balancer with several gates, route a browser to one gate
 * (sticky sessions), or it signs in again.
 */
public final class Sessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Cache<String, Session> sessions;
  private final Ticker ticker;
  private final Duration lifetime;

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
   * @param maxSessions at most this many sessions; the least recently used go first beyond it
   * @param idle a session unused this long ends
   * @param lifetime a session ends this long after sign-in, used or not
   */
  public Sessions(int maxSessions, Duration idle, Duration lifetime, Ticker ticker, MeterRegistry meters) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions: expected >= 1, got " + maxSessions);
    }
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
        .recordStats()
        .build();
    CaffeineCacheMetrics.monitor(meters, sessions, "tollgate.dashboard.sessions");
  }

  private long remaining(Session s, long now) {
    return Math.max(0, s.createdNanos() + lifetime.toNanos() - now);
  }

  /** Starts a session for {@code principal}. */
  public Session create(Principal principal) {
    Session s = new Session(random(), principal, random(), ticker.read());
    sessions.put(s.id(), s);
    return s;
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
