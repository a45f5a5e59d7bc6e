package dev.tollgate.deploy.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest people create the Slack app from points at the routes the gate serves and asks for no more than it uses. */
class SlackAppManifestTest {
  @Test
  void urlsAreTheGatesRoutesAndScopesAreMinimal() throws Exception {
    JsonNode m = new YAMLMapper().readTree(Path.of("slack-app-manifest.yaml").toFile());
    assertEquals("https://tollgate.example.com/slack/interactions", m.path("settings").path("interactivity").path("request_url").asText());
    assertTrue(m.path("settings").path("interactivity").path("is_enabled").asBoolean());
    JsonNode command = m.path("features").path("slash_commands").path(0);
    assertEquals("/tollgate", command.path("command").asText());
    assertEquals("https://tollgate.example.com/slack/commands", command.path("url").asText());
    List<String> scopes = new ArrayList<>();
    m.path("oauth_config").path("scopes").path("bot").forEach(s -> scopes.add(s.asText()));
    assertEquals(List.of("chat:write", "commands"), scopes);
    assertTrue(!m.path("settings").path("socket_mode_enabled").asBoolean(), "requests come over HTTPS, signed");
  }
}
