package dev.tollgate.gate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.contracts.Json;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code deployReporter} flag of a token entry: read strictly, carried by the principal. */
class TokensTest {
  static final String HASH = Tokens.sha256("tg_argo");

  static JsonNode tokens(String extra) throws Exception {
    return Json.mapper().readTree("[{\"name\": \"argo\", \"sha256\": \"" + HASH + "\", \"role\": \"requester\","
        + " \"tenants\": [\"acme\"]" + extra + "}]");
  }

  @Test
  void aTokenMarkedDeployReporterAuthenticatesAsOneAndOthersDoNot() throws Exception {
    Principal argo = Tokens.of(Tokens.parse(tokens(", \"deployReporter\": true"), Set.of("acme"))).authenticate("tg_argo")
        .orElseThrow();
    assertTrue(argo.deployReporter());
    assertEquals(Role.REQUESTER, argo.role(), "the flag grants no other right");
    assertFalse(Tokens.of(Tokens.parse(tokens(""), Set.of("acme"))).authenticate("tg_argo").orElseThrow().deployReporter());
    assertFalse(Tokens.of(Tokens.parse(tokens(", \"deployReporter\": false"), Set.of("acme"))).authenticate("tg_argo")
        .orElseThrow().deployReporter());
  }

  @Test
  void flagsADeployReporterThatIsNotTrueOrFalseNamingTheKey() throws Exception {
    var e = assertThrows(IllegalArgumentException.class, () -> Tokens.parse(tokens(", \"deployReporter\": \"yes\""),
        Set.of("acme")));
    assertEquals("tokens[0].deployReporter: expected true or false, got string \"yes\"", e.getMessage());
    var misspelt = assertThrows(IllegalArgumentException.class, () -> Tokens.parse(tokens(", \"deployreporter\": true"),
        Set.of("acme")));
    assertTrue(misspelt.getMessage().startsWith("tokens[0]"), misspelt.getMessage());
  }
}
