package dev.tollgate.contracts.warmup;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.contracts.check.CheckRequested;
import dev.tollgate.contracts.evaluation.DeployTarget;
import dev.tollgate.contracts.history.DeployHistory;
import dev.tollgate.contracts.probe.ProbeId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON warm-up writes and reads real messages, and each must read back equal. */
class JsonWarmupTest {
  private static final Instant AT = Instant.parse("2026-12-07T16:00:00Z");
  private static final CheckRequested CHECK = CheckRequested.of("ev-1", "req-1",
      new DeployTarget("acme", "https://github.com/acme/shop.git", "production", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null),
      ProbeId.SECRETS, AT.plusSeconds(30), AT, DeployHistory.empty());

  /** Jackson writes and reads it, but it is equal only to itself: what a codec that loses data looks like. */
  public static final class Lossy {
    public String name = "x";
  }

  @Test
  void realMessagesReadBackEqual() {
    assertDoesNotThrow(() -> JsonWarmup.roundTrip(List.of(CHECK)));
  }

  @Test
  void aMessageThatDoesNotReadBackEqualFailsTheWarmup() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonWarmup.roundTrip(List.of(CHECK, new Lossy())));
    assertEquals("a Lossy did not read back as written", e.getMessage());
  }
}
