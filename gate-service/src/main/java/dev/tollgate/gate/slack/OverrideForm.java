package dev.tollgate.gate.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.contracts.Json;
import dev.tollgate.gate.view.EvaluationView;
import java.io.IOException;
import java.util.Optional;

/**
 * The modal that asks for the reason of an override vote ({@code views.open}), and reading its submission. The
 * reason is required (10 to 500 characters, as the override policy demands); Slack enforces the length in the form
 * and the gate checks it again on submission.
 */
final class OverrideForm {
  static final String CALLBACK_ID = "tollgate.override";
  static final String REASON_BLOCK = "reason";
  static final String REASON_ACTION = "reason";
  static final int MIN_REASON = 10;
  static final int MAX_REASON = 500;

  /**
   * What the form carries back to the gate in {@code private_metadata} (Slack returns it untouched in the signed
   * submission): which evaluation, approve or reject, and where to reply.
   */
  record Context(String evaluationId, boolean approve, String responseUrl) {
    String encode() {
      ObjectNode o = Json.mapper().createObjectNode().put("e", evaluationId).put("a", approve);
      if (responseUrl != null) {
        o.put("r", responseUrl);
      }
      return o.toString();
    }

    static Optional<Context> decode(String metadata) {
      try {
        JsonNode o = Json.mapper().readTree(metadata == null ? "" : metadata);
        if (o == null || !o.path("e").isTextual() || !o.path("a").isBoolean()) {
          return Optional.empty();
        }
        return Optional.of(new Context(o.path("e").asText(), o.path("a").asBoolean(), o.path("r").asText(null)));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  private OverrideForm() {}

  static ObjectNode view(EvaluationView evaluation, Context context) {
    boolean approve = context.approve();
    ObjectNode view = Json.mapper().createObjectNode().put("type", "modal").put("callback_id", CALLBACK_ID)
        .put("private_metadata", context.encode());
    view.set("title", VerdictMessage.plainText(approve ? "Approve override" : "Reject deploy"));
    view.set("submit", VerdictMessage.plainText(approve ? "Approve" : "Reject"));
    view.set("close", VerdictMessage.plainText("Cancel"));
    ArrayNode blocks = view.putArray("blocks");
    String what = VerdictMessage.code(VerdictMessage.shortRepo(evaluation.repository())) + " → "
        + VerdictMessage.code(evaluation.environment()) + " at " + VerdictMessage.code(VerdictMessage.shortSha(evaluation.candidate()));
    blocks.add(VerdictMessage.section(approve
        ? "You accept the risk of this NO_GO: " + what + ". Your name and reason go to the audit log and the channel."
        : "You reject this deploy: " + what + ". The NO_GO stands; your name and reason go to the audit log."));
    ObjectNode input = blocks.addObject().put("type", "input").put("block_id", REASON_BLOCK);
    input.set("label", VerdictMessage.plainText("Reason"));
    ObjectNode element = input.putObject("element").put("type", "plain_text_input").put("action_id", REASON_ACTION)
        .put("multiline", true).put("min_length", MIN_REASON).put("max_length", MAX_REASON);
    element.set("placeholder", VerdictMessage.plainText(approve ? "Why is it safe enough to deploy? (incident, ticket, rollback plan)"
        : "What must change first?"));
    return view;
  }

  /** The reason typed into a submitted form, or null. */
  static String reason(JsonNode submission) {
    JsonNode value = submission.path("view").path("state").path("values").path(REASON_BLOCK).path(REASON_ACTION).path("value");
    return value.isTextual() ? value.asText() : null;
  }

  /** The error to show in the form, or null when the reason is acceptable. */
  static String reasonProblem(String reason) {
    if (reason == null || reason.strip().length() < MIN_REASON) {
      return "Give a reason of at least " + MIN_REASON + " characters.";
    }
    if (reason.length() > MAX_REASON) {
      return "Keep the reason under " + MAX_REASON + " characters.";
    }
    return null;
  }
}
