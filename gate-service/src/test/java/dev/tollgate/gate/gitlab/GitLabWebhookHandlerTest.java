package dev.tollgate.gate.gitlab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.contracts.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parts of the webhook that need no broker (the rest is proven end to end by GitLabDeploymentApprovalIT). */
class GitLabWebhookHandlerTest {
  @Test
  void readsGitLabsHookTimestampsAndIsoTimesAndNothingElse() {
    // GitLab writes "2021-04-28 21:50:00 +0200" in Deployment Hooks (protocols §2.2).
    assertEquals(Optional.of(Instant.parse("2021-04-28T19:50:00Z")), GitLabWebhookHandler.instant(new TextNode("2021-04-28 21:50:00 +0200")));
    assertEquals(Optional.of(Instant.parse("2026-11-26T10:00:00Z")), GitLabWebhookHandler.instant(new TextNode("2026-11-26T11:00:00+01:00")));
    assertEquals(Optional.empty(), GitLabWebhookHandler.instant(new TextNode("yesterday")));
    assertEquals(Optional.empty(), GitLabWebhookHandler.instant(Json.mapper().createObjectNode()));
  }
}
