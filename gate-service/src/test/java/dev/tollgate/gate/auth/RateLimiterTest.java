package dev.tollgate.gate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Ticker ticker = nanos::get;

  @Test
  void aBurstThenOnePerIntervalPerKey() {
    RateLimiter limiter = new RateLimiter(3, Duration.ofSeconds(6), 100, ticker);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, limiter.acquire("mallory"), "attempt " + (i + 1));
    }
    Duration wait = limiter.acquire("mallory");
    assertEquals(Duration.ofSeconds(6), wait, "the fourth waits for the next permit");
    assertEquals(Duration.ZERO, limiter.acquire("alice"), "another key has its own bucket");
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertTrue(limiter.acquire("mallory").compareTo(Duration.ofSeconds(1)) <= 0, "almost there");
    nanos.addAndGet(Duration.ofSeconds(7).toNanos());
    assertEquals(Duration.ZERO, limiter.acquire("mallory"));
  }

  @Test
  void tenThousandAttemptsGetAtMostTheBurstAndTheRefill() {
    RateLimiter limiter = new RateLimiter(10, Duration.ofSeconds(6), 100, ticker);
    int allowed = 0;
    for (int i = 0; i < 10_000; i++) {
      nanos.addAndGet(Duration.ofMillis(1).toNanos()); // 10 s in all
      if (limiter.acquire("mallory").isZero()) {
        allowed++;
      }
    }
    assertEquals(11, allowed, "10 at once, one more after 6 s");
  }

  @Test
  void nonsensicalSettingsFailAtConstruction() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, Duration.ofSeconds(1), 1, ticker));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, Duration.ZERO, 1, ticker));
  }
}
