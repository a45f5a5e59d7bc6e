package dev.tollgate.gate.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  @Test
  void membersAreSortedAtEveryLevelWithoutWhitespace() {
    ObjectNode a = Json.mapper().createObjectNode();
    a.put("zeta", 1).put("alpha", true);
    a.putObject("mid").put("b", "x").put("a", "y");
    a.putArray("list").add(3).add("two").addObject().put("y", 1).put("x", 2);
    ObjectNode b = Json.mapper().createObjectNode();
    b.putArray("list").add(3).add("two").addObject().put("x", 2).put("y", 1);
    b.putObject("mid").put("a", "y").put("b", "x");
    b.put("alpha", true).put("zeta", 1);
    String expected = "{\"alpha\":true,\"list\":[3,\"two\",{\"x\":2,\"y\":1}],\"mid\":{\"a\":\"y\",\"b\":\"x\"},\"zeta\":1}";
    assertEquals(expected, new String(CanonicalJson.bytes(a), StandardCharsets.UTF_8));
    assertEquals(expected, new String(CanonicalJson.bytes(b), StandardCharsets.UTF_8), "insertion order does not matter");
  }

  @Test
  void stringsAreEscapedTheRfc8785Way() {
    ObjectNode n = Json.mapper().createObjectNode().put("s", "q\" b\\ \n\t\r\b\f \u0001 / é €");
    assertEquals("{\"s\":\"q\\\" b\\\\ \\n\\t\\r\\b\\f \\u0001 / é €\"}", new String(CanonicalJson.bytes(n), StandardCharsets.UTF_8));
  }

  @Test
  void keysSortByUtf16CodeUnits() {
    // RFC 8785 3.2.3: "€" (U+20AC) sorts before an astral character (surrogates D83D...) and after "A".
    ObjectNode n = Json.mapper().createObjectNode().put("\uD83D\uDE00", 1).put("€", 2).put("A", 3);
    assertEquals("{\"A\":3,\"€\":2,\"\uD83D\uDE00\":1}", new String(CanonicalJson.bytes(n), StandardCharsets.UTF_8));
  }

  @Test
  void fractionsAreRefusedRatherThanWrittenNonCanonically() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.bytes(Json.mapper().createObjectNode().put("f", 0.5)));
  }
}
