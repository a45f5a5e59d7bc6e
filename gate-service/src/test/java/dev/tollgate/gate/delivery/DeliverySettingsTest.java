package dev.tollgate.gate.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code delivery:} section: defaults, globs, and a bad value named by its key. */
class DeliverySettingsTest {
  static JsonNode yaml(String json) {
    return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
  }

  @Test
  void absentMeansOneDayAndGitFlowHotfixes() {
    DeliverySettings s = DeliverySettings.from(yaml("{}").path("delivery"));
    assertEquals(Duration.ofDays(1), s.failureWindow());
    assertTrue(s.isHotfix("hotfix/login"));
    assertTrue(s.isHotfix("refs/heads/Hotfix-42"));
    assertTrue(s.isHotfix("hotfix"));
    assertFalse(s.isHotfix("main"));
    assertFalse(s.isHotfix("feature/hotfix-docs"), "a glob matches the whole ref");
    assertFalse(s.isHotfix(null));
  }

  @Test
  void configuredGlobsAndWindow() {
    DeliverySettings s = DeliverySettings.from(yaml("{\"failureWindow\": \"4h\", \"hotfixRefs\": [\"release/*-fix\", \"*.patch\"]}"));
    assertEquals(Duration.ofHours(4), s.failureWindow());
    assertEquals(List.of("release/*-fix", "*.patch"), s.hotfixRefs());
    assertTrue(s.isHotfix("release/2.3-fix"));
    assertTrue(s.isHotfix("refs/tags/v1.2.patch"));
    assertFalse(s.isHotfix("hotfix/x"), "the defaults are replaced");
  }

  @Test
  void badValuesNameTheirKey() {
    assertEquals("delivery.failureWindow: expected a duration like 30s, 5m or PT30S, got \"soon\"",
        assertThrows(IllegalArgumentException.class, () -> DeliverySettings.from(yaml("{\"failureWindow\": \"soon\"}")))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeliverySettings.from(yaml("{\"failureWindow\": \"60d\"}")))
        .getMessage().startsWith("delivery.failureWindow: expected a duration from 1s to 30d"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeliverySettings.from(yaml("{\"hotfixRefs\": \"hotfix/*\"}")))
        .getMessage().startsWith("delivery.hotfixRefs"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeliverySettings.from(yaml("{\"window\": \"1d\"}")))
        .getMessage().contains("delivery"));
  }
}
