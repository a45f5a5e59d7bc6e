package dev.tollgate.gate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Ticker ticker = nanos::get;
  private final Principal alice = new Principal("alice", Role.APPROVER, Set.of("acme"));

  private final Principal mallory = new Principal("mallory", Role.VIEWER, Set.of("acme"));

  private Sessions sessions(int max) {
    return new Sessions(max, max, Duration.ofMinutes(30), Duration.ofHours(2), ticker, new SimpleMeterRegistry());
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void aSessionUnusedForTheIdleTimeEnds() {
    Sessions s = sessions(10);
    String id = s.create(alice).id();
    advance(Duration.ofMinutes(29));
    assertTrue(s.find(id).isPresent(), "used within 30 minutes");
    advance(Duration.ofMinutes(29));
    assertTrue(s.find(id).isPresent(), "each use extends the idle time");
    advance(Duration.ofMinutes(31));
    assertTrue(s.find(id).isEmpty(), "31 minutes unused");
  }

  @Test
  void aSessionInUseStillEndsAtItsLifetime() {
    Sessions s = sessions(10);
    String id = s.create(alice).id();
    for (int i = 0; i < 11; i++) {
      advance(Duration.ofMinutes(10));
      assertTrue(s.find(id).isPresent(), "at " + (i + 1) * 10 + " minutes");
    }
    advance(Duration.ofMinutes(10));
    assertTrue(s.find(id).isEmpty(), "two hours after sign-in, used every 10 minutes");
  }

  @Test
  void isLiveDoesNotCountAsUse() {
    Sessions s = sessions(10);
    String id = s.create(alice).id();
    for (int i = 0; i < 3; i++) {
      advance(Duration.ofMinutes(9));
      assertTrue(s.isLive(id));
    }
    advance(Duration.ofMinutes(4)); // 31 minutes since the last real use (sign-in)
    assertFalse(s.isLive(id), "a live stream's heartbeat must not keep an idle session alive");
  }

  @Test
  void theNumberOfSessionsIsBounded() {
    Sessions s = sessions(50);
    for (int i = 0; i < 500; i++) {
      s.create(alice);
    }
    assertTrue(s.size() <= 50, "sessions: " + s.size());
  }

  @Test
  void oneTokenSigningInTenThousandTimesEndsOnlyItsOwnOldestSessions() {
    Sessions s = new Sessions(20, 10_000, Duration.ofMinutes(30), Duration.ofHours(2), ticker, new SimpleMeterRegistry());
    String victim = s.create(alice).id();
    String first = s.create(mallory).id();
    String last = null;
    for (int i = 0; i < 10_050; i++) {
      last = s.create(mallory).id();
    }
    assertTrue(s.find(victim).isPresent(), "another principal's session survives");
    assertTrue(s.find(first).isEmpty(), "the flooder's own oldest session ended");
    assertTrue(s.find(last).isPresent());
    assertEquals(20, s.sessionsOf("mallory"));
    assertEquals(1, s.sessionsOf("alice"));
    assertTrue(s.size() <= 21, "sessions: " + s.size());
  }

  @Test
  void anEndedSessionFreesItsPlaceInItsPrincipalsCap() {
    Sessions s = new Sessions(2, 10, Duration.ofMinutes(30), Duration.ofHours(2), ticker, new SimpleMeterRegistry());
    String a = s.create(alice).id();
    String b = s.create(alice).id();
    s.invalidate(a);
    String c = s.create(alice).id();
    assertTrue(s.find(b).isPresent(), "signing out one session made room: the other stays");
    advance(Duration.ofMinutes(31));
    assertEquals(0, s.sessionsOf("alice"), "expired sessions leave the count");
    assertTrue(s.find(c).isEmpty());
  }

  @Test
  void signOutEndsTheSessionAndIdsAndTokensAreUnguessable() {
    Sessions s = sessions(10);
    Sessions.Session a = s.create(alice);
    Sessions.Session b = s.create(alice);
    assertNotEquals(a.id(), b.id());
    assertNotEquals(a.csrfToken(), b.csrfToken());
    assertEquals(43, a.id().length(), "256 bits, base64url");
    s.invalidate(a.id());
    assertTrue(s.find(a.id()).isEmpty());
    assertTrue(s.find(b.id()).isPresent());
    assertTrue(s.find("").isEmpty());
    assertTrue(s.find(null).isEmpty());
  }

  @Test
  void theCsrfTokenMustMatchExactly() {
    Sessions.Session a = sessions(10).create(alice);
    assertTrue(a.csrfMatches(a.csrfToken()));
    assertFalse(a.csrfMatches(null));
    assertFalse(a.csrfMatches(""));
    assertFalse(a.csrfMatches(a.csrfToken().substring(1)));
    assertFalse(a.toString().contains(a.id()) || a.toString().contains(a.csrfToken()), a.toString());
  }

  @Test
  void nonsensicalLimitsFailAtConstruction() {
    assertThrows(IllegalArgumentException.class,
        () -> new Sessions(0, 10, Duration.ofMinutes(1), Duration.ofHours(1), ticker, new SimpleMeterRegistry()));
    assertThrows(IllegalArgumentException.class,
        () -> new Sessions(11, 10, Duration.ofMinutes(1), Duration.ofHours(1), ticker, new SimpleMeterRegistry()));
    assertThrows(IllegalArgumentException.class,
        () -> new Sessions(10, 10, Duration.ofHours(2), Duration.ofHours(1), ticker, new SimpleMeterRegistry()));
  }
}
