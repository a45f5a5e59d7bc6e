package dev.tollgate.gate.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * A token bucket per key (a client address, a token's principal): {@code burst} attempts at once, then one more every
 * {@code every}. Bounded in keys (an idle key is forgotten once its bucket would be full again); time comes from an
 * injected {@link Ticker}, so tests advance it instead of sleeping. Thread-safe.
 */
public final class RateLimiter {
  private final int burst;
  private final long everyNanos;
  private final Ticker ticker;
  private final Cache<String, Bucket> buckets;

  /** Permits left and when they were counted; guarded by itself. */
  private static final class Bucket {
    private double permits;
    private long at;

    Bucket(int permits, long at) {
      this.permits = permits;
      this.at = at;
    }
  }

  /**
   * @param burst attempts allowed at once
   * @param every one attempt more per this long
   * @param maxKeys keys remembered at most (the least recently used are forgotten: they start full again)
   */
  public RateLimiter(int burst, Duration every, int maxKeys, Ticker ticker) {
    if (burst < 1 || every.isNegative() || every.isZero() || maxKeys < 1) {
      throw new IllegalArgumentException("expected burst >= 1, every > 0, maxKeys >= 1, got " + burst + ", " + every + ", "
          + maxKeys);
    }
    this.burst = burst;
    this.everyNanos = every.toNanos();
    this.ticker = ticker;
    this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).ticker(ticker)
        .expireAfterAccess(every.multipliedBy(burst)).build();
  }

  /**
   * Takes one attempt for {@code key}.
   *
   * @return zero when the attempt may go ahead, else how long until the next one may (for {@code Retry-After})
   */
  public Duration acquire(String key) {
    long now = ticker.read();
    Bucket b = buckets.get(key, k -> new Bucket(burst, now));
    synchronized (b) {
      b.permits = Math.min(burst, b.permits + (double) (now - b.at) / everyNanos);
      b.at = now;
      if (b.permits >= 1) {
        b.permits -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - b.permits) * everyNanos));
    }
  }
}
