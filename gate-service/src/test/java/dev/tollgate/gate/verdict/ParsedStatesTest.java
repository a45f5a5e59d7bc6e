package dev.tollgate.gate.verdict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.contracts.Json;
import dev.tollgate.contracts.evaluation.DeployTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregator's parsed copies: used only for the exact stored bytes, bounded by bytes, least recently used out. */
class ParsedStatesTest {
  static AggregationState state(String id) {
    return new AggregationState(AggregationState.VERSION, id, "req-" + id,
        new DeployTarget("acme", "/repo", "staging", "3f2c9a1b8e7d6c5b4a39281706f5e4d3c2b1a098", null),
        Instant.parse("2026-12-07T20:00:00Z"), "test", false, Map.of(), null, null, null, null, Duration.ZERO, 0, null,
        List.of(), Map.of(), List.of(), "ci", List.of(), null, null);
  }

  @Test
  void usesTheCopyOnlyForTheBytesItWasKeptWith() {
    ParsedStates copies = new ParsedStates(1 << 20);
    AggregationState a = state("a");
    byte[] bytes = Json.write(a);
    copies.put("a", bytes, a);
    assertSame(a, copies.get("a", bytes));
    assertSame(a, copies.get("a", bytes.clone()), "equal bytes: the same state");
    assertEquals(a, Json.read(bytes, AggregationState.class), "what the copy stands for");

    byte[] other = Json.write(state("a").withVotes(Map.of()).decided(dev.tollgate.contracts.verdict.Decision.NO_GO,
        Instant.parse("2026-12-07T20:00:01Z"), 1, null, List.of()));
    assertNull(copies.get("a", other), "the store holds something else: no copy");
    assertNull(copies.get("a", bytes), "and the copy is gone for good");
    assertEquals(0, copies.size());
    assertEquals(0, copies.bytes());
    copies.put("b", Json.write(state("b")), state("b"));
    assertNull(copies.get("b", null), "deleted from the store: no copy");
  }

  @Test
  void keepsAtMostItsBytesDroppingTheLeastRecentlyUsed() {
    int one = Json.write(state("s00")).length;
    ParsedStates copies = new ParsedStates(10L * one);
    for (int i = 0; i < 10; i++) {
      String id = String.format("s%02d", i);
      copies.put(id, Json.write(state(id)), state(id));
    }
    assertEquals(10, copies.size());
    assertNotNull(copies.get("s00", Json.write(state("s00"))), "s00 used: now the most recent");
    for (int i = 10; i < 1_000; i++) {
      String id = String.format("s%02d", i);
      copies.put(id, Json.write(state(id)), state(id));
      assertTrue(copies.bytes() <= 10L * one, "bounded: " + copies.bytes());
    }
    assertTrue(copies.size() <= 10);
    assertNull(copies.get("s00", Json.write(state("s00"))), "evicted in its turn");
    assertNotNull(copies.get("s999", Json.write(state("s999"))), "the newest is kept");
  }

  @Test
  void aStateLargerThanTheBoundIsNotKept() {
    ParsedStates copies = new ParsedStates(10);
    copies.put("a", Json.write(state("a")), state("a"));
    assertEquals(0, copies.size());
    assertThrows(IllegalArgumentException.class, () -> new ParsedStates(-1));
  }
}
