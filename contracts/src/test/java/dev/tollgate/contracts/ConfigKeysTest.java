package dev.tollgate.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
  static final Set<String> TOP = Set.of("tenants", "http", "environments", "defaults", "tokens", "kafka");

  @Test
  void suggestsTheKeyMeantForANearMiss() {
    assertEquals("environments", ConfigKeys.suggestion("enviroments", TOP));
    assertEquals("environments", ConfigKeys.suggestion("Environments", TOP));
    assertEquals("tokens", ConfigKeys.suggestion("tokesn", TOP)); // a transposition is one edit
    assertEquals("warningsBlock", ConfigKeys.suggestion("warningBlock", Set.of("warningsBlock", "deadline")));
  }

  @Test
  void suggestsNothingForAKeyThatIsNoNearMiss() {
    // Two edits in a four-letter key is another word, not a typo.
    assertNull(ConfigKeys.suggestion("gate", Set.of("http", "kafka")));
    assertNull(ConfigKeys.suggestion("version", TOP));
  }

  @Test
  void reportsEveryUnknownKeyOfAMappingAndCanRemoveThem() throws Exception {
    JsonNode node = Json.mapper().readTree("{\"tenants\": [], \"enviroments\": {}, \"versoin\": 1}");
    ConfigKeys.UnknownKeys e = assertThrows(ConfigKeys.UnknownKeys.class, () -> ConfigKeys.requireKnown(node, TOP, ""));
    assertEquals(List.of(
        "enviroments: unknown key, did you mean environments? (known: [defaults, environments, http, kafka, tenants, tokens])",
        "versoin: unknown key (known: [defaults, environments, http, kafka, tenants, tokens])"), e.problems());
    e.removeFromTree();
    assertFalse(node.has("enviroments") || node.has("versoin"));
    ConfigKeys.requireKnown(node, TOP, "");
  }

  @Test
  void namesTheKeyWithItsPath() throws Exception {
    JsonNode node = Json.mapper().readTree("{\"prot\": 1}");
    assertEquals("http.prot: unknown key, did you mean port? (known: [host, port])",
        assertThrows(ConfigKeys.UnknownKeys.class, () -> ConfigKeys.requireKnown(node, Set.of("host", "port"), "http")).getMessage());
    assertEquals("environments.x.prot: unknown key, did you mean port? (known: [host, port])",
        assertThrows(ConfigKeys.UnknownKeys.class,
            () -> ConfigKeys.requireKnown(node, Set.of("host", "port"), "environments.x.")).getMessage());
  }
}
