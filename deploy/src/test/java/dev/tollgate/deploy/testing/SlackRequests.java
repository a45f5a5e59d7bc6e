package dev.tollgate.deploy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.slack.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * What Slack sends Tollgate, signed as Slack signs it (v0, over {@code v0:timestamp:body}): button clicks, form
 * submissions and slash commands, as {@code application/x-www-form-urlencoded} bodies.
 */
public final class SlackRequests {
  public static final String TEAM = "T0ACME0001";
  private final SlackSignature signer;

  public SlackRequests(String signingSecret) {
    this.signer = SlackSignature.of(signingSecret, Clock.systemUTC());
  }

  /** A click on one of the message's buttons. */
  public static ObjectNode click(String userId, String actionId, String evaluationId, String responseUrl) {
    ObjectNode p = Json.mapper().createObjectNode().put("type", "block_actions").put("trigger_id",
        "13345224609.738474920.8088930838d88f008e0" + UUID.randomUUID().toString().substring(0, 8)).put("response_url", responseUrl)
        .put("api_app_id", "A0TOLLGATE");
    p.putObject("user").put("id", userId).put("username", userId.toLowerCase()).put("team_id", TEAM);
    p.putObject("team").put("id", TEAM).put("domain", "acme");
    p.putObject("container").put("type", "message").put("channel_id", "C0PROD0001").put("is_ephemeral", false);
    p.putArray("actions").addObject().put("type", "button").put("action_id", actionId).put("block_id", "tollgate.override")
        .put("value", evaluationId).put("action_ts", Instant.now().getEpochSecond() + ".000");
    return p;
  }

  /** The submission of a form Tollgate opened ({@code view} as sent to {@code views.open}), with a reason typed in. */
  public static ObjectNode submit(String userId, JsonNode view, String reason) {
    ObjectNode p = Json.mapper().createObjectNode().put("type", "view_submission").put("api_app_id", "A0TOLLGATE");
    p.putObject("user").put("id", userId).put("team_id", TEAM);
    p.putObject("team").put("id", TEAM);
    ObjectNode v = p.putObject("view").put("id", "V1").put("type", "modal")
        .put("callback_id", view.path("callback_id").asText()).put("private_metadata", view.path("private_metadata").asText());
    v.putObject("state").putObject("values").putObject("reason").putObject("reason").put("type", "plain_text_input")
        .put("value", reason);
    return p;
  }

  /** The form body of an interaction. */
  public static String interactionBody(JsonNode payload) {
    return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
  }

  /** The form body of {@code /tollgate <text>}. */
  public static String commandBody(String userId, String text, String responseUrl) {
    return "token=deprecated&team_id=" + TEAM + "&team_domain=acme&channel_id=C0PROD0001&user_id=" + userId
        + "&command=" + URLEncoder.encode("/tollgate", StandardCharsets.UTF_8) + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + "&response_url=" + URLEncoder.encode(responseUrl, StandardCharsets.UTF_8) + "&trigger_id=1.2.3";
  }

  /** Posts {@code body} to {@code path} signed now. */
  public Api.Response send(Api api, String path, String body) {
    return sendAt(api, path, body, Instant.now());
  }

  /** Posts {@code body} signed with the timestamp {@code at} (a stale or future request). */
  public Api.Response sendAt(Api api, String path, String body, Instant at) {
    String ts = Long.toString(at.getEpochSecond());
    return api.post(path, body, "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp", ts,
        "X-Slack-Signature", signer.sign(ts, body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Posts {@code body} with a signature made with another secret. */
  public static Api.Response sendForged(Api api, String path, String body) {
    String ts = Long.toString(Instant.now().getEpochSecond());
    return api.post(path, body, "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp", ts,
        "X-Slack-Signature", SlackSignature.of("not-the-secret", Clock.systemUTC()).sign(ts, body.getBytes(StandardCharsets.UTF_8)));
  }
}
